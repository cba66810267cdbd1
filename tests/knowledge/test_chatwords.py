"""The chat screen: the compiled word table (_chatwords.c) against its Python definition, on generated
text and on the bot's own chat checks."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.chat_precision import TEMPLATES, read_corpus
from bot.knowledge.chatwords import (
    BEGINS,
    COMPILED,
    KNOWN,
    LEARNED,
    NAME_WORDS,
    CompiledWordTable,
    PythonWordTable,
    WordTable,
    screen,
)
from bot.knowledge.domain import Knowledge
from bot.knowledge.mentions import MentionFinder
from bot.knowledge.normalise import fold_words, words_with_spans
from tests.knowledge.test_normalise import CHAT_TEXT


def test_the_compiled_screen_is_built() -> None:
    """`make test` installs with a C compiler present: the bot it tests is the one that ships fast."""
    assert COMPILED, "bot/knowledge/_chatwords.c did not build: is a C compiler installed?"


def both_tables(entries: list[tuple[str, int]]) -> tuple[WordTable, WordTable]:
    assert CompiledWordTable is not None
    compiled, python = CompiledWordTable(), PythonWordTable()
    for word, flags in entries:
        compiled.add(word, flags)
        python.add(word, flags)
    return compiled, python


@given(CHAT_TEXT, st.data())
def test_the_compiled_screen_is_the_python_one(text: str, data: st.DataObject) -> None:
    """Same words, same places, same notable words, for any text and any flags on its words."""
    words = fold_words(text) + [word for word, _, _ in words_with_spans(text)]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    chosen = data.draw(st.lists(st.sampled_from(words + pairs + ["x"]), max_size=12))
    flags = data.draw(st.lists(st.integers(1, 63), min_size=len(chosen), max_size=len(chosen)))
    compiled, python = both_tables(list(zip(chosen, flags, strict=True)))
    assert compiled.screen(text) == python.screen(text)
    assert screen(compiled, text) == screen(python, text)
    assert [compiled.flags(word) for word in chosen] == [python.flags(word) for word in chosen]
    compiled.forget_learned()
    python.forget_learned()
    assert compiled.screen(text) == python.screen(text)
    assert [compiled.flags(word) for word in chosen] == [python.flags(word) for word in chosen]
    assert len(compiled) == len(python)


def test_a_word_is_notable_unless_known_or_beginning_a_name_with_the_word_after_it() -> None:
    compiled, python = both_tables(
        [
            ("i", KNOWN),
            ("take", KNOWN),
            ("and", KNOWN),
            ("folic", KNOWN | BEGINS),
            ("folic acid", 2 * NAME_WORDS),
        ]
    )
    for table in (compiled, python):
        assert table.screen("I take folic and...") == ([], [], [])  # "folic and" begins no name
        assert table.screen("I take FOLIC acid") == (
            ["i", "take", "folic", "acid"],
            [(0, 1), (2, 6), (7, 12), (13, 17)],
            [2, 3],  # "acid" is not known
        )
        assert table.screen("I take Imuran’s, don't I") == (
            ["i", "take", "imurans", "dont", "i"],
            [(0, 1), (2, 6), (7, 15), (17, 22), (23, 24)],
            [2, 3],
        )
        assert table.screen("I take méthotrexate") is None  # a letter outside ASCII: the full folding
        assert screen(table, "I take méthotrexate") == (
            ["i", "take", "methotrexate"],
            [(0, 1), (2, 6), (7, 19)],
            [2],
        )
        assert table.screen("") == ([], [], [])


def test_a_word_in_another_script_that_hashes_as_a_name_does_not_hide_it(knowledge: Knowledge) -> None:
    """Python hashes "牰摥" over the same four bytes as "pred": a member who writes it in chat must not
    make the name "pred" KNOWN, and with it invisible to every chat check."""
    lookalike = b"pred".decode("utf-16-le")
    assert hash(lookalike) == hash("pred")  # why the compiled table keeps such words apart
    compiled, python = both_tables([("on", KNOWN), ("again", KNOWN), (lookalike, KNOWN | LEARNED)])
    for table in (compiled, python):
        assert (table.flags("pred"), table.flags(lookalike), len(table)) == (0, KNOWN | LEARNED, 3)
        assert table.screen("on pred again") == (["on", "pred", "again"], [(0, 2), (3, 7), (8, 13)], [1])
        table.forget_learned()
        assert (table.flags(lookalike), len(table)) == (0, 2)
    finder = MentionFinder(knowledge.names)
    assert finder.find(f"{lookalike} {lookalike}") == []  # looked up, found to be nothing, learned
    assert [m.candidates for m in finder.find("on pred again")] == [("prednisolone", "prednisone")]


def test_the_table_grows_forgets_what_it_learned_and_refuses_bad_input() -> None:
    """Every flag survives the table's growth (from a thousand slots to 65,536) and the forgetting."""
    words = [f"word{n}" for n in range(20_000)]
    compiled, python = both_tables([(word, n % 63 + 1) for n, word in enumerate(words)] + [("the", KNOWN)])
    for table in (compiled, python):
        assert len(table) == 20_001
        assert [table.flags(word) for word in words] == [n % 63 + 1 for n in range(20_000)]
        assert table.flags("word20000") == 0
        table.forget_learned()
        kept = {
            word: flags & ~(LEARNED | KNOWN) if flags & LEARNED else flags
            for word, flags in zip(words, (n % 63 + 1 for n in range(20_000)), strict=True)
        }
        assert [table.flags(word) for word in words] == list(kept.values())
        assert len(table) == 1 + sum(1 for flags in kept.values() if flags)
        assert table.flags("the") == KNOWN
        with pytest.raises(ValueError):
            table.add("x", 0)
        with pytest.raises(ValueError):
            table.add("x", 64)
    assert CompiledWordTable is not None
    with pytest.raises(TypeError):
        compiled.screen(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        compiled.add(1, KNOWN)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CompiledWordTable(1)  # type: ignore[call-arg]


def test_the_chat_finder_finds_the_same_with_either_table(knowledge: Knowledge) -> None:
    """The whole chat check, on the labelled chat lines and on misspellings in sentences, learning the
    same words as it goes."""
    compiled = MentionFinder(knowledge.names)
    python = MentionFinder(knowledge.names, new_table=PythonWordTable)
    lines = [text for text, _ in read_corpus()]
    lines += [
        template.format(word)
        for word in ("imuran", "methotrexat", "hydroxychloroquin", "zanex")
        for template in TEMPLATES
    ]
    lines += [" ".join(lines[n : n + 3]) for n in range(0, len(lines), 3)]  # longer messages
    found = 0
    for text in lines * 2:  # the second time, from what each learned the first time
        mentions = compiled.find(text)
        assert mentions == python.find(text), text
        found += len(mentions)
    assert found > len(lines)
