"""Finding drug names in free text, as members write them in chat.

Exact names (including multi-word ones and names glued to punctuation) are found by looking up runs of
words in the alias table, longest first. Misspellings are matched fuzzily only for words that are long
enough and are not ordinary English words, and only against curated names, so that "advice", "plan" or
"sun" never become drugs. A misspelling that is ambiguous is left out: chat checks never guess.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.knowledge.interactions import check_resolved
from bot.knowledge.models import Mention, Resolution, ScanReport
from bot.knowledge.names import CUTOFF, MARGIN, NameIndex
from bot.knowledge.normalise import words_with_spans

MAX_WORDS_IN_NAME = 5
MIN_FUZZY_WORD = 6  # letters; shorter misspellings are too often other words
FUZZY_CUTOFF = max(CUTOFF, 88.0)  # chat is noisier than a typed /drug query
MIN_DICTIONARY_WORD = (
    4  # a dictionary-only name this short is too likely to be an abbreviation of something else
)


class MentionFinder:
    def __init__(self, index: NameIndex) -> None:
        self.index = index
        self.store = index.store
        self._curated_single_words = [a for a in index.curated_names if " " not in a]

    def _exact(self, phrase: str) -> str | None:
        """The drug an exact phrase names, if it is safe to say so in chat."""
        entries = self.store.aliases.get(phrase)
        if not entries or len({e.drug for e in entries}) > 1:
            return None
        entry = entries[0]
        if entry.curated:
            return entry.drug if len(phrase) > 2 else None
        if phrase in self.store.common_words or len(phrase) < MIN_DICTIONARY_WORD:
            return None
        return entry.drug

    def _fuzzy(self, word: str) -> str | None:
        if len(word) < MIN_FUZZY_WORD or not word.isalpha() or word in self.store.common_words:
            return None
        found = process.extract(
            word, self._curated_single_words, scorer=fuzz.ratio, limit=5, score_cutoff=FUZZY_CUTOFF - MARGIN
        )
        if not found or found[0][1] < FUZZY_CUTOFF:
            return None
        resolution = self.index.resolve(word)
        return resolution.drug if resolution.status == "match" and resolution.curated else None

    def find(self, text: str) -> list[Mention]:
        words = words_with_spans(text)
        mentions: list[Mention] = []
        i = 0
        while i < len(words):
            for length in range(min(MAX_WORDS_IN_NAME, len(words) - i), 0, -1):
                phrase = " ".join(w for w, _, _ in words[i : i + length])
                drug = self._exact(phrase)
                if drug is not None:
                    start, end = words[i][1], words[i + length - 1][2]
                    mentions.append(Mention(text[start:end], start, end, drug))
                    i += length
                    break
            else:
                word, start, end = words[i]
                drug = self._fuzzy(word)
                if drug is not None:
                    mentions.append(Mention(text[start:end], start, end, drug, fuzzy=True))
                i += 1
        return mentions

    def scan(self, text: str) -> ScanReport:
        """Mentions in `text` and, when two or more different drugs are named, their check."""
        mentions = self.find(text)
        resolutions = []
        seen: set[str] = set()
        for mention in mentions:
            if mention.drug not in seen:
                seen.add(mention.drug)
                resolutions.append(
                    Resolution(
                        mention.text, "match", mention.drug, self.store.is_curated(mention.drug), mention.text
                    )
                )
        check = check_resolved(self.store, resolutions) if len(resolutions) >= 2 else None
        return ScanReport(text, tuple(mentions), check)
