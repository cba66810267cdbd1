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
from collections.abc import Callable

from bot.knowledge.interactions import check_resolved
from bot.knowledge.models import Candidate, Mention, Resolution, ScanReport
from bot.knowledge.names import NameIndex
from bot.knowledge.normalise import ascii_line, fold_words, word_places, words_with_spans

MAX_WORDS_IN_NAME = 5
MEMORY = 100_000  # words and phrases whose answer is remembered (chat repeats its words)
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

_NOT_OWN_MARKS = ("`", "||", "http", "www.", ">")


def mask_quoted(text: str) -> str:
    """`text` with links, code, spoilers and quoted lines blanked out, offsets unchanged."""
    if not any(mark in text for mark in _NOT_OWN_MARKS):  # most messages: nothing to blank out
        return text
    return _NOT_OWN_WORDS.sub(lambda m: " " * len(m.group()), text)


def _remembered(
    memory: dict[str, tuple[str, ...]], key: str, work: Callable[[str], tuple[str, ...]]
) -> tuple[str, ...]:
    """`work(key)`, from `memory` when it was done before (chat repeats its words); the memory is
    emptied when full."""
    answer = memory.get(key)
    if answer is None:
        if len(memory) >= MEMORY:
            memory.clear()
        answer = memory[key] = work(key)
    return answer


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
        self._single_names = frozenset(
            a for a in self.store.aliases if " " not in a and self._exact_uncached(a)
        )
        self._longest_from: dict[tuple[str, str], int] = {}
        for alias in self.store.aliases:
            words = alias.split(" ")
            if len(words) > 1:
                start = (sys.intern(words[0]), sys.intern(words[1]))  # shared: "acid", "and", "sodium"
                self._longest_from[start] = max(self._longest_from.get(start, 0), len(words))
        self._fuzzy_memory: dict[str, tuple[str, ...]] = {}
        self._exact_memory: dict[str, tuple[str, ...]] = {}
        # Words found to be no misspelling of a medicine. A message's words minus these and ordinary
        # English leave few or none to look at one by one.
        self._not_misspelt: set[str] = set()

    def _exact(self, phrase: str) -> tuple[str, ...]:
        """The drugs an exact phrase names (several for a shared name such as "pred"), if it is safe
        to say so in chat; empty when it is not."""
        return _remembered(self._exact_memory, phrase, self._exact_uncached)

    def _exact_uncached(self, phrase: str) -> tuple[str, ...]:
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
        drugs = _remembered(self._fuzzy_memory, word, self._fuzzy_uncached)
        if not drugs:
            if len(self._not_misspelt) >= MEMORY:
                self._not_misspelt.clear()
            self._not_misspelt.add(word)
        return drugs

    def _may_be_misspelt(self, word: str) -> bool:
        """Only words long enough and not ordinary English are looked up as misspellings."""
        return (
            len(word) >= self.policy.chat_min_fuzzy_word
            and word.isalpha()
            and word not in self.store.common_words
        )

    def _fuzzy_uncached(self, word: str) -> tuple[str, ...]:
        """The reviewed medicines a misspelled word may be: one, or each candidate of a look-alike
        (never a guess), with fewer errors allowed than in a typed /drug query."""
        if not self._may_be_misspelt(word):
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
        # most messages have none, and end here after a few set operations.
        folded = fold_words(text)
        worth = self._worth_a_look(folded)
        if not worth:
            return []
        masked = mask_quoted(text)
        line = ascii_line(masked)
        exact_places: list[tuple[int, int]] = []
        if line is None:  # letters outside ASCII: words and places from the full folding
            words = words_with_spans(masked)
            folded = [w for w, _, _ in words]
            exact_places = [(start, end) for _, start, end in words]
        elif masked != text:
            folded = fold_words(line)
        if masked != text or line is None:
            worth = self._worth_a_look(folded)
        found: list[tuple[int, int, tuple[str, ...], bool]] = []  # first word, words, drugs, fuzzy
        covered = 0  # words before this are part of a name already found
        for i in [i for i, word in enumerate(folded) if word in worth]:
            if i < covered:
                continue
            start_of_name = (folded[i], folded[i + 1]) if i + 1 < len(folded) else ("", "")
            longest = min(self._longest_from.get(start_of_name, 1), MAX_WORDS_IN_NAME, len(folded) - i)
            for length in range(longest, 0, -1):
                drugs = self._exact(" ".join(folded[i : i + length]))
                if drugs:
                    found.append((i, length, drugs, False))
                    covered = i + length
                    break
            else:
                drugs = self._fuzzy(folded[i])
                if drugs:
                    found.append((i, 1, drugs, True))
        if not found:
            return []
        # Places are read off the ASCII line, which has the text's words in the same places.
        last, length, _, _ = found[-1]
        places = word_places(line, last + length) if line is not None else exact_places
        return [
            _mention(text, places[i][0], places[i + length - 1][1], drugs, fuzzy)
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

    def _worth_a_look(self, words: list[str]) -> set[str]:
        """The words of a message that are a name, begin a name with the word after them, or are a
        misspelling of a reviewed medicine's name. Set operations do most of the work: most
        messages have no such word."""
        present = set(words)
        worth = present & self._single_names
        worth.update(first for first, _ in self._longest_from.keys() & itertools.pairwise(words))
        unknown = present - self.store.common_words - self._not_misspelt - worth
        if not unknown:
            return worth
        lookups = self.policy.chat_fuzzy_lookups  # new words looked up, in the message's order
        for word in dict.fromkeys(word for word in words if word in unknown):
            if word not in self._fuzzy_memory and self._may_be_misspelt(word):
                if lookups == 0:
                    continue
                lookups -= 1
            if self._fuzzy(word):
                worth.add(word)
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
