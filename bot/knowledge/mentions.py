"""Finding drug names in free text, as members write them in chat.

First the chat screen (chatwords.py) folds the message's words and keeps those that could be part of a
name: most messages have none, and end there. Exact names (including multi-word ones and names glued to punctuation) are found by looking up runs of
words in the alias table, longest first. Misspellings go through the resolver's own engine (spelling.py),
only for words of five letters or more that are not ordinary English words, with fewer errors allowed
than in a typed query, and only when they mean a reviewed medicine, so that "advice", "plan" or "sun"
never become drugs. A misspelling that could be either of two look-alikes names both (the check then
covers each); any other doubt leaves the word out: chat checks never guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.knowledge.chatwords import BEGINS, KNOWN, LEARNED, NAME_WORDS, WordTable, new_word_table, screen
from bot.knowledge.interactions import check_resolved
from bot.knowledge.models import Candidate, Mention, Resolution, ScanReport
from bot.knowledge.names import NameIndex

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


def mask_quoted(text: str) -> str:
    """`text` with links, code, spoilers and quoted lines blanked out, offsets unchanged."""
    # Most messages have nothing to blank out; five substring tests are the quickest way to tell.
    if not ("`" in text or "||" in text or "http" in text or "www." in text or ">" in text):
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
    def __init__(self, index: NameIndex, new_table: Callable[[], WordTable] = new_word_table) -> None:
        self.index = index
        self.store = index.store
        self.policy = index.policy
        self._words = self._starting_words(new_table())
        self._learned = 0  # words LEARNED since they were last forgotten
        self._fuzzy_memory: dict[str, tuple[str, ...]] = {}
        self._exact_memory: dict[str, tuple[str, ...]] = {}

    def _starting_words(self, table: WordTable) -> WordTable:
        """What the chat screen (chatwords.py) needs: ordinary English that is no name of a medicine,
        and the first word and first two words of every name of several words."""
        for word in self.store.common_words:
            if not self._exact_uncached(word):  # "aspirin" is common English, and a name
                table.add(word, KNOWN)
        name_words: dict[str, int] = {}  # the first two words of names -> the most words of those names
        for alias in self.store.aliases:
            if " " in alias:
                first, second, *rest = alias.split(" ", MAX_WORDS_IN_NAME - 1)
                table.add(first, BEGINS)
                start = f"{first} {second}"
                name_words[start] = max(name_words.get(start, 0), 2 + len(rest))
        for start, count in name_words.items():
            table.add(start, count * NAME_WORDS)
        return table

    def _exact(self, phrase: str) -> tuple[str, ...]:
        """The drugs an exact phrase names (several for a shared name such as "pred"), if it is safe
        to say so in chat; empty when it is not."""
        drugs = self._exact_memory.get(phrase)  # the usual case, without a call to `_remembered`
        return drugs if drugs is not None else _remembered(self._exact_memory, phrase, self._exact_uncached)

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
        if not drugs:  # known to be nothing from now on: the screen passes over it
            if self._learned >= MEMORY:
                self._words.forget_learned()
                self._learned = 0
            self._words.add(word, KNOWN | LEARNED)
            self._learned += 1
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
        words, places, notable = screen(self._words, text)
        if not notable:  # most messages: no word that could be part of a name
            return []
        masked = mask_quoted(text)
        if masked != text:
            words, places, notable = screen(self._words, masked)
        found: list[Mention] = []
        covered = 0  # words before this are part of a name already found
        lookups = self.policy.chat_fuzzy_lookups  # new words looked up as misspellings, in order
        for i in notable:
            if i < covered:
                continue
            word = words[i]
            # The longest name that begins here, for a word that begins names of several words.
            drugs: tuple[str, ...] = ()
            length = 1
            if i + 1 < len(words) and self._words.flags(word) & BEGINS:
                longest = self._words.flags(f"{word} {words[i + 1]}") // NAME_WORDS  # 0: none begins so
                length = max(1, min(longest, len(words) - i))
                while length > 1 and not (drugs := self._exact(" ".join(words[i : i + length]))):
                    length -= 1
            if drugs or (drugs := self._exact(word)):
                found.append(_mention(text, places[i][0], places[i + length - 1][1], drugs))
                covered = i + length
                continue
            if word not in self._fuzzy_memory and self._may_be_misspelt(word):
                if lookups == 0:  # a long message of new words: the rest wait for another message
                    continue
                lookups -= 1
            if drugs := self._fuzzy(word):
                found.append(_mention(text, *places[i], drugs, fuzzy=True))
        return found

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
