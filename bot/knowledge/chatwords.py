"""A chat message's words, and which of them are worth a closer look: the first step of every chat check.

Every message the bot can see comes through here, and most name no medicine, so this step decides the
bot's speed in chat. A `WordTable` holds words with flags:
- KNOWN: known to be nothing (ordinary English; then each word looked up and found to be no medicine,
  which is LEARNED too, so that it can be forgotten when the chat memory is full);
- BEGINS: the first word of a name of several words;
- and for the first two words of such a name ("folic acid"), NAME_WORDS times the most words of a name
  they begin.
Its `screen(text)` folds the message's words and marks as notable each word that is not KNOWN, or that
BEGINS a name with the word after it. A message with no notable word names nothing.

`PythonWordTable` is the definition. `_chatwords.c`, built by `pip install` where a C compiler is
present, is its compiled twin: it looks each word up by its hash, without making a Python object for
it, and is several times faster; tests hold the two equal on generated text. Without the compiled
module (`COMPILED` is False) the bot gives the same answers, more slowly.
"""

from __future__ import annotations

from typing import Protocol

from bot.knowledge.normalise import ascii_line, fold_words, word_places, words_with_spans

KNOWN = 1
BEGINS = 2
LEARNED = 4
NAME_WORDS = 8  # a pair's flags are this times the most words of a name it begins (2 to 7)

# (words, spans, notable): every folded word, its (start, end) in the text, and the indices of the notable
# words; three empty lists when no word is notable.
Screened = tuple[list[str], list[tuple[int, int]], list[int]]


class WordTable(Protocol):
    def add(self, word: str, flags: int, /) -> None:
        """Adds `flags` (1 to 63) to the word's."""

    def flags(self, word: str, /) -> int:
        """The word's flags, 0 when it has none."""

    def forget_learned(self) -> None:
        """Words flagged LEARNED lose it and KNOWN; words left with no flags are dropped."""

    def screen(self, text: str, /) -> Screened | None:
        """`text`'s words, their places and which are notable; None when a letter or digit outside
        ASCII needs the full folding (see `screen`)."""

    def __len__(self) -> int: ...


class PythonWordTable:
    def __init__(self) -> None:
        self._flags: dict[str, int] = {}

    def add(self, word: str, flags: int, /) -> None:
        if not 1 <= flags <= 63:
            raise ValueError("flags must be between 1 and 63")
        self._flags[word] = self._flags.get(word, 0) | flags

    def flags(self, word: str, /) -> int:
        return self._flags.get(word, 0)

    def forget_learned(self) -> None:
        for word, flags in list(self._flags.items()):
            if flags & LEARNED:
                flags &= ~(LEARNED | KNOWN)
                if flags:
                    self._flags[word] = flags
                else:
                    del self._flags[word]

    def screen(self, text: str, /) -> Screened | None:
        line = ascii_line(text)
        if line is None:
            return None
        words = fold_words(line)
        notable = notable_words(self, words)
        return (words, word_places(line, len(words)), notable) if notable else ([], [], [])

    def __len__(self) -> int:
        return len(self._flags)


def notable_words(table: WordTable, words: list[str]) -> list[int]:
    """The indices of the words that are not KNOWN, or that BEGIN a name with the word after them."""
    notable = []
    for i, word in enumerate(words):
        flags = table.flags(word)
        if not flags & KNOWN or (
            flags & BEGINS and i + 1 < len(words) and table.flags(f"{word} {words[i + 1]}") >= NAME_WORDS
        ):
            notable.append(i)
    return notable


def screen(table: WordTable, text: str) -> Screened:
    """`text`'s words, their places and which are notable, from any text."""
    screened = table.screen(text)
    if screened is not None:
        return screened
    spanned = words_with_spans(text)  # letters outside ASCII: words and places from the full folding
    words = [word for word, _, _ in spanned]
    notable = notable_words(table, words)
    return (words, [(start, end) for _, start, end in spanned], notable) if notable else ([], [], [])


def new_word_table() -> WordTable:
    """An empty table: the compiled one when it was built."""
    return CompiledWordTable() if CompiledWordTable is not None else PythonWordTable()


CompiledWordTable: type[WordTable] | None
try:
    from bot.knowledge._chatwords import WordTable as CompiledWordTable
except ImportError:  # no C compiler where the bot was installed: the same answers, more slowly
    CompiledWordTable = None

COMPILED = CompiledWordTable is not None
