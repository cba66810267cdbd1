"""Finding drug names in free text, as members write them in chat.

Exact names (including multi-word ones and names glued to punctuation) are found by looking up runs of
words in the alias table, longest first. Misspellings go through the resolver's own engine (spelling.py),
only for words of five letters or more that are not ordinary English words, with fewer errors allowed
than in a typed query, and only when they mean a reviewed medicine, so that "advice", "plan" or "sun"
never become drugs. A misspelling that could be either of two look-alikes names both (the check then
covers each); any other doubt leaves the word out: chat checks never guess.
"""

from __future__ import annotations

import itertools
import re
import sys

from bot.knowledge.interactions import check_resolved
from bot.knowledge.models import Candidate, Mention, Resolution, ScanReport
from bot.knowledge.names import NameIndex
from bot.knowledge.normalise import fold_words, words_with_spans

MAX_WORDS_IN_NAME = 5
FUZZY_MEMORY = 100_000
CHAT_FUZZY_TARGETS = (
    "generic",
    "brand",
    "misspelling",
)  # words whose fuzzy answer is remembered (chat repeats its words)
# Parts of a chat message that are not the member's own words: code blocks and inline code, spoilers,
# links, and quoted lines ("> ..."), which are often the bot's own answer quoted back.
_NOT_OWN_WORDS = re.compile(
    r"```.*?```|`[^`\n]*`|\|\|.*?\|\||<?https?://\S+|\bwww\.\S+|^>.*$", re.DOTALL | re.MULTILINE
)


def mask_quoted(text: str) -> str:
    """`text` with links, code, spoilers and quoted lines blanked out, offsets unchanged."""
    return _NOT_OWN_WORDS.sub(lambda m: " " * len(m.group()), text)


def _mention(text: str, start: int, end: int, drugs: tuple[str, ...], fuzzy: bool = False) -> Mention:
    return Mention(text[start:end], start, end, drugs[0], fuzzy, drugs if len(drugs) > 1 else ())


class MentionFinder:
    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.store = index.store
        self.policy = index.policy
        # Single-word names the chat check accepts, and the first two words of every name of several
        # words with the most words of a name they begin: a message with none of these (two words in a
        # row for the second) and no misspelling of a reviewed medicine names nothing (the fast path).
        self._single_names = frozenset(a for a in self.store.aliases if " " not in a and self._exact(a))
        self._longest_from: dict[tuple[str, str], int] = {}
        for alias in self.store.aliases:
            words = alias.split(" ")
            if len(words) > 1:
                start = (sys.intern(words[0]), sys.intern(words[1]))  # shared: "acid", "and", "sodium"
                self._longest_from[start] = max(self._longest_from.get(start, 0), len(words))
        self._name_starts = frozenset(self._longest_from)
        self._fuzzy_memory: dict[str, tuple[str, ...]] = {}

    def _exact(self, phrase: str) -> tuple[str, ...]:
        """The drugs an exact phrase names (several for a shared name such as "pred"), if it is safe
        to say so in chat; empty when it is not."""
        entries = self.store.aliases.get(phrase)
        if not entries:
            return ()
        drugs = tuple(dict.fromkeys(e.drug for e in entries))
        if all(e.curated for e in entries):
            return drugs if len(phrase) > 2 else ()
        if (
            len(drugs) > 1
            or phrase in self.store.common_words
            or len(phrase) < self.policy.chat_min_dictionary_word
        ):
            return ()
        return drugs

    def _fuzzy(self, word: str) -> tuple[str, ...]:
        remembered = self._fuzzy_memory.get(word)
        if remembered is None:
            if len(self._fuzzy_memory) >= FUZZY_MEMORY:
                self._fuzzy_memory.clear()
            remembered = self._fuzzy_memory[word] = self._fuzzy_uncached(word)
        return remembered

    def _fuzzy_uncached(self, word: str) -> tuple[str, ...]:
        """The reviewed medicines a misspelled word may be: one, or each candidate of a look-alike
        (never a guess). Only words long enough and not ordinary English, with fewer errors allowed
        than in a typed /drug query."""
        if (
            len(word) < self.policy.chat_min_fuzzy_word
            or not word.isalpha()
            or word in self.store.common_words
        ):
            return ()
        allowed = self.policy.allowed(len(word), self.policy.chat_errors_allowed)
        if allowed < 0:
            return ()
        resolution = self.index.resolve_misspelling(word, allowed)
        # Only a medicine's own generic or brand name is a fuzzy target in chat: slang and synonyms
        # ("rhum", "pred") are too short and too like chat's own words ("rheum").
        if resolution.status == "match" and resolution.curated and resolution.drug:
            return (resolution.drug,) if resolution.matched_kind in CHAT_FUZZY_TARGETS else ()
        if resolution.status == "ambiguous" and resolution.reason == "look-alike":
            return tuple(c.drug for c in resolution.candidates)
        return ()

    def find(self, text: str) -> list[Mention]:
        """Medicine names in `text`, with their offsets. Links, code, spoilers and quoted lines are
        left out: a name there is not the member telling us what they take."""
        # Only words that can begin a name, or are a misspelling of one, are looked at one by one;
        # most messages have none, and end here after a few set lookups.
        folded = fold_words(text)
        worth = self._worth_a_look(folded)
        if not worth:
            return []
        masked = mask_quoted(text)
        # ASCII words are found without their places (faster) and placed only if something is named;
        # other text is folded word by word, exactly as its places will be counted.
        words = None if masked.isascii() else words_with_spans(masked)
        if words is not None or masked != text:
            folded = fold_words(masked) if words is None else [w for w, _, _ in words]
            worth = self._worth_a_look(folded)
        found: list[tuple[int, int, tuple[str, ...], bool]] = []  # first word, words, drugs, fuzzy
        i = 0
        while i < len(folded):
            if folded[i] not in worth:
                i += 1
                continue
            start_of_name = (folded[i], folded[i + 1]) if i + 1 < len(folded) else ("", "")
            longest = min(self._longest_from.get(start_of_name, 1), MAX_WORDS_IN_NAME, len(folded) - i)
            for length in range(longest, 0, -1):
                drugs = self._exact(" ".join(folded[i : i + length]))
                if drugs:
                    found.append((i, length, drugs, False))
                    i += length
                    break
            else:
                drugs = self._fuzzy(folded[i])
                if drugs:
                    found.append((i, 1, drugs, True))
                i += 1
        if not found:
            return []
        spans = [(start, end) for _, start, end in (words or words_with_spans(masked))]
        return [
            _mention(text, spans[i][0], spans[i + length - 1][1], drugs, fuzzy)
            for i, length, drugs, fuzzy in found
        ]

    def _resolution(self, mention: Mention) -> Resolution:
        if mention.candidates:
            candidates = tuple(
                Candidate(d, self.store.name(d), self.index.shown_as(d), 100.0) for d in mention.candidates
            )
            return Resolution(mention.text, "ambiguous", None, False, None, candidates, "shared name")
        drug = mention.drug
        return Resolution(
            mention.text,
            "match",
            drug,
            self.store.is_curated(drug),
            mention.text,
            kind=self.store.kind_of(drug),
        )

    def may_name_something(self, text: str) -> bool:
        """False only when `text` certainly names no medicine: none of its words is a name, begins one
        with the word after it, or is a misspelling of one. Most chat messages end here, after a few
        set lookups. (Masking quotes and links only removes words, so it can wait.)"""
        return bool(self._worth_a_look(fold_words(text)))

    def _worth_a_look(self, words: list[str]) -> set[str]:
        """The words of a message that are a name, begin a name with the word after them, or are a
        misspelling of a reviewed medicine's name."""
        present = set(words)
        worth = present & self._single_names
        worth.update(first for first, _ in self._name_starts.intersection(itertools.pairwise(words)))
        worth.update(w for w in present - worth - self.store.common_words if len(w) >= 5 and self._fuzzy(w))
        return worth

    def scan(self, text: str) -> ScanReport:
        """Mentions in `text` and, when two or more different drugs are named, their check."""
        mentions = self.find(text)
        resolutions = []
        seen: set[tuple[str, ...]] = set()
        for mention in mentions:
            key = mention.candidates or (mention.drug,)
            if key not in seen:
                seen.add(key)
                resolutions.append(self._resolution(mention))
        check = check_resolved(self.store, resolutions) if len(resolutions) >= 2 else None
        return ScanReport(text, tuple(mentions), check)
