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
    for line in result.misses + result.extras:
        print("   ", line)


if __name__ == "__main__":
    main()
