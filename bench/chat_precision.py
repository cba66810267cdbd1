"""How well does the chat finder find medicines in chat, and how often does it see one that is not there?

Measured on `bench/chat_corpus.tsv`, 420 chat lines written for this project and labelled by hand with the
medicines a careful reader would say each names, and on the 10,000 most common English words (wordfreq),
which should give no mention at all. Prints precision, recall, the false-mention rate and the misses;
`tests/knowledge/test_chat_corpus.py` asserts floors on the same figures.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from wordfreq import top_n_list

from bot.knowledge.build.derived import read_table
from bot.knowledge.domain import Knowledge
from bot.paths import DEFAULT_STORE

CORPUS = Path(__file__).resolve().parent / "chat_corpus.tsv"
_LABEL_SPLIT = re.compile(r",(?! )")  # a combination id may itself contain ", "


@dataclass
class Result:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def read_corpus(path: Path = CORPUS) -> list[tuple[str, list[set[str]]]]:
    """(text, labels): each label is the set of ids any one of which is right ("pred": either steroid)."""
    return [
        (
            row["text"],
            [set(label.split("|")) for label in _LABEL_SPLIT.split(row["medicines"] or "") if label],
        )
        for row in read_table(path)
    ]


def evaluate(knowledge: Knowledge, corpus: list[tuple[str, list[set[str]]]]) -> Result:
    result = Result()
    for text, labels in corpus:
        found = {frozenset(m.candidates or (m.drug,)) for m in knowledge.mentions.find(text)}  # once each
        unmatched = list(found)
        for label in labels:
            hit = next((f for f in unmatched if f & label), None)
            if hit is None:
                result.false_negatives += 1
                result.misses.append(f"{text!r}: missed {'|'.join(sorted(label))}")
            else:
                result.true_positives += 1
                unmatched.remove(hit)
        result.false_positives += len(unmatched)
        result.extras += [f"{text!r}: found {'|'.join(sorted(f))}" for f in unmatched]
    return result


def english_mentions(knowledge: Knowledge, count: int = 10_000) -> tuple[list[str], list[str]]:
    """The common English words (each alone as a message) in which the finder sees something: those that
    are the everyday name of a reviewed entry ("alcohol", "wine", "iron", "insulin"), and the others, which
    are false mentions."""
    named: list[str] = []
    false: list[str] = []
    for word in top_n_list("en", count):
        for mention in knowledge.mentions.find(word):
            entity = mention.drug
            everyday = knowledge.store.is_curated(entity) and any(
                alias == word for alias, _ in knowledge.store.names_of.get(entity, ())
            )
            (named if everyday and not entity.startswith("class:") else false).append(word)
    return named, false


# Chat sentences a misspelled name is dropped into (the misspellings: test parts of bench/name_sets.py).
TEMPLATES = [
    "my rheum just started me on {} and I'm nervous",
    "anyone else on {}? the fatigue is rough",
    "been taking {} for 3 weeks now, no change yet",
    "is {} ok with my other meds",
    "doc switched me to {} after the flare",
]


def misspelt_in_sentences(knowledge: Knowledge, part: str = "test") -> tuple[int, int, list[str]]:
    """(found, tried, misses): misspellings of reviewed medicines (one word, 5+ letters, not a known name)
    in chat sentences, and whether the finder names the medicine meant (alone, or among look-alikes)."""
    from bench.name_sets import sets  # the name sets read ../shared when present; only needed here

    found = tried = 0
    misses: list[str] = []
    chosen = sets(knowledge, part)
    queries = [q for name in ("one edit", "phonetic", "handwritten") for q in chosen[name]]
    for n, query in enumerate(queries):
        if not query.drug or not query.typed.isalpha() or len(query.typed) < 5:
            continue
        if query.typed in knowledge.store.common_words:
            continue  # an English word: the finder rightly leaves it alone
        tried += 1
        text = TEMPLATES[n % len(TEMPLATES)].format(query.typed)
        named = {d for m in knowledge.mentions.find(text) for d in (m.candidates or (m.drug,))}
        if query.drug in named:
            found += 1
        else:
            misses.append(f"{query.typed} (meant {query.drug})")
    return found, tried, misses


def main() -> None:
    knowledge = Knowledge.open(Path(os.environ.get("DRUG_STORE_PATH") or DEFAULT_STORE))
    corpus = read_corpus()
    result = evaluate(knowledge, corpus)
    named, false = english_mentions(knowledge)
    print(f"chat finder on {len(corpus)} labelled chat lines (bench/chat_corpus.tsv):")
    print(
        f"  precision {result.precision:.1%}  recall {result.recall:.1%}  "
        f"({result.true_positives} found, {result.false_positives} wrong, {result.false_negatives} missed)"
    )
    print(f"  false mentions in the 10,000 most common English words: {len(false)} {false}")
    print(f"  ...and {len(named)} that are a reviewed entry's everyday name (intended): {named}")
    found, tried, misses = misspelt_in_sentences(knowledge)
    print(
        f"  misspelt names in chat sentences (test parts): {found}/{tried} found ({found / max(tried, 1):.1%});"
        f" missed e.g. {misses[:6]}"
    )
    for line in result.misses + result.extras:
        print("   ", line)


if __name__ == "__main__":
    main()
