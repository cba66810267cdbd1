"""Bulk fuzz of the domain and the offline faces: about 300,000 generated inputs, seeded so a failure
can be replayed, through chat scanning, name resolution, autocomplete, cards, interaction
checks, the console and the JSON command line. Hypothesis explores the Discord faces in depth
(tests/exts/test_fuzz.py); this covers breadth, at the speed of the domain itself.

For every input: nothing raises; the word folding keeps its promises; every mention lies inside the
text; every answer fits Discord's limits once fitted, carries the disclaimer when it is medical, and
shows user text only escaped; the CLI exits 0 or with a usage error and prints valid JSON."""

from __future__ import annotations

import contextlib
import io
import json
import random
import string
import sys
from collections.abc import Iterator

import pytest

from bot import cli
from bot.answers.compose import check_answer, drug_answer, scan_answer
from bot.answers.embed import to_embed
from bot.answers.model import Answer
from bot.answers.text import render
from bot.console import Console
from bot.knowledge.chatwords import PythonWordTable
from bot.knowledge.domain import CheckSizeError, Knowledge
from bot.knowledge.mentions import MentionFinder
from bot.knowledge.normalise import ascii_line, fold_words, words_with_spans
from bot.knowledge.wording import DISCLAIMER
from tests.conftest import store_path
from tests.discord.limits import CHOICE_TEXT, CHOICES, CONTENT, check_embed
from tests.exts.test_fuzz import HOSTILE as DISCORD_HOSTILE

SEED = 20261205
# The Discord fuzz's hostile strings, and smaller pieces to mix: lone marks and controls, markdown
# markers, symbols and letters that fold, names in other scripts.
HOSTILE = [
    *DISCORD_HOSTILE,
    "\"; DELETE FROM pins; --", "%s %d {0} $1 ?", "\u200b", "\u200d", "\ufeff", "\u202e", "\u202c", "\u2066",
    "\u0301", "**", "__", "~~", "||", "> ", "# ", "-# ", "[link](https://example.org)", "💊", "👩‍⚕️", "🇺🇸",
    "\ud800", "\udfff", "\x00", "\t", "\n", "\r\n", "\\", "/", "’", "don't", "İ", "ß", "ﬁ", "Ⅻ", "٣",
    "имуран", "アザチオプリン", "مرحبا", "ｉｍｕｒａｎ", "IMURAN", "I.M.U.R.A.N", "50mg", "1,000", "and", "with",
]  # fmt: skip
PLAIN_WORDS = [
    "i",
    "take",
    "my",
    "meds",
    "with",
    "food",
    "but",
    "the",
    "new",
    "one",
    "makes",
    "me",
    "tired",
    "and",
    "my",
    "doctor",
    "said",
    "to",
]
ALPHABETS = [string.ascii_letters, string.digits + string.punctuation, "áéíóúñçøåæœ", "αβγδεζηθ", "абвгд"]


def mutate(word: str, rng: random.Random) -> str:
    """One or two typing errors: a letter dropped, doubled, swapped with the next, or replaced."""
    for _ in range(rng.randint(1, 2)):
        if not word:
            break
        i = rng.randrange(len(word))
        kind = rng.randrange(4)
        if kind == 0:
            word = word[:i] + word[i + 1 :]
        elif kind == 1:
            word = word[:i] + word[i] + word[i:]
        elif kind == 2 and i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            word = word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    return word


class Inputs:
    """Generated text: medicine names as typed (exact, misspelt, cased), hostile pieces, ordinary
    words, random characters from several scripts, and all of them mixed in lines of 1 to 60 pieces."""

    def __init__(self, knowledge: Knowledge, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = sorted(knowledge.names.store.aliases)

    def piece(self) -> str:
        rng = self.rng
        kind = rng.randrange(10)
        if kind <= 2:
            name = rng.choice(self.names)
            return mutate(name, rng) if kind == 1 else name.upper() if kind == 2 else name
        if kind <= 4:
            return rng.choice(HOSTILE)
        if kind <= 7:
            return rng.choice(PLAIN_WORDS)
        if kind == 8:
            return "".join(rng.choice(rng.choice(ALPHABETS)) for _ in range(rng.randint(1, 12)))
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randint(1, 6)))

    def line(self, most: int = 60) -> str:
        return " ".join(self.piece() for _ in range(self.rng.randint(1, most)))

    def name(self) -> str:
        return self.line(most=3)[: self.rng.choice([100, 100, 100, 4000])]


@pytest.fixture(scope="module")
def inputs(knowledge: Knowledge) -> Inputs:
    return Inputs(knowledge, SEED)


def fits(answer: Answer) -> None:
    """What the Discord face would send fits Discord's limits, and a medical answer has the disclaimer."""
    check_embed(to_embed(answer.fitted()))
    text = render(answer)
    if answer.medical:
        assert DISCLAIMER in answer.footer or DISCLAIMER in text, answer.title
    for part in (answer.title, answer.description, *(f.value for f in answer.fields)):
        assert "@everyone" not in part and "@here" not in part, part  # echoed text is escaped


def count(label: str, tried: int) -> None:
    print(f"\nfuzz: {tried:,} {label}")  # the closing note counts them (pytest -s)


CHAT_LINES = 250_000
SCANNED = 25  # one line in 25 is scanned too: a hostile line of many odd words costs milliseconds


def test_chat_lines_fold_and_scan_without_fault(knowledge: Knowledge, inputs: Inputs) -> None:
    # The scanned lines go through two fresh chat finders too: one with the compiled word table, one with
    # its Python definition. They must find the same, learning the same words as they go.
    compiled = MentionFinder(knowledge.names)
    python = MentionFinder(knowledge.names, new_table=PythonWordTable)
    for n in range(CHAT_LINES):
        text = inputs.line(most=30)
        line = ascii_line(text)
        words = fold_words(text)
        if line is not None:
            assert len(line) == len(text) and line.isascii()
            assert words == [word for word, _, _ in words_with_spans(text)], text
        if n % SCANNED:
            continue
        report = knowledge.scan(text)
        for mention in report.mentions:
            assert 0 <= mention.start < mention.end <= len(text), (text, mention)
        assert compiled.find(text) == python.find(text), text
        reply = scan_answer(knowledge.names, report)
        if reply is not None:
            fits(reply)
    count(f"chat lines folded, {CHAT_LINES // SCANNED:,} of them scanned (three ways)", CHAT_LINES)


NAMES = 20_000


def test_names_resolve_complete_and_make_cards_without_fault(knowledge: Knowledge, inputs: Inputs) -> None:
    for n in range(NAMES):
        name = inputs.name()
        resolution = knowledge.resolve(name)
        choices = knowledge.autocomplete(name[:100])
        assert len(choices) <= CHOICES
        assert all(1 <= len(c.label) <= CHOICE_TEXT and 1 <= len(c.value) <= CHOICE_TEXT for c in choices)
        if n % 5 == 0:  # a card is a millisecond: one name in five
            fits(drug_answer(knowledge.names, resolution, inputs.rng.choice(["overview", "interactions"])))
    count("names resolved and completed (a fifth made into cards)", NAMES)


CHECKS = 4_000


def test_interaction_lists_check_without_fault(knowledge: Knowledge, inputs: Inputs) -> None:
    for _ in range(CHECKS):
        separator = inputs.rng.choice([", ", " and ", "\n", " + ", ";"])
        text = separator.join(inputs.name() for _ in range(inputs.rng.randint(1, 8)))
        try:
            report = knowledge.check_text(text[:1000])
        except CheckSizeError as refusal:  # fewer than two names, or more than twenty: said politely
            assert 0 < len(str(refusal)) <= CONTENT
            continue
        fits(check_answer(knowledge.names, report))
    count("interaction lists checked", CHECKS)


CONSOLE_LINES = 20_000


def test_console_lines_answer_without_fault(knowledge: Knowledge, inputs: Inputs) -> None:
    out = io.StringIO()
    console = Console(knowledge, out=out)
    prefixes = ["/drug ", "/interactions ", "/about", "/help", "/DRUG ", "/nope ", "", "", "1", "42"]
    for _ in range(CONSOLE_LINES):
        line = inputs.rng.choice(prefixes) + inputs.line(most=8)
        out.seek(0)
        out.truncate()
        assert console.handle(line.replace("/quit", "").replace("/exit", "")) is True
    count("console lines answered", CONSOLE_LINES)


CLI_RUNS = 1_500


@contextlib.contextmanager
def captured(stdin: str) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """A command line's standard streams: `stdin` in (`scan` reads it without TEXT), out and err kept."""
    out, err = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as patch,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        yield out, err


def test_cli_arguments_exit_cleanly(inputs: Inputs) -> None:
    store = str(store_path())
    faces = [
        ["resolve", "--json"], ["resolve"], ["check", "--json"], ["check"], ["scan", "--json"],
        ["info", "--json"], ["info", "--section"], ["info", "--json", "--section", "interactions"], ["nope"],
    ]  # fmt: skip
    for _ in range(CLI_RUNS):
        face = inputs.rng.choice(faces)
        argv = [*face, *(inputs.name().replace("\x00", "") for _ in range(inputs.rng.randint(0, 4)))]
        with captured(inputs.line(most=10) + "\n" + inputs.line(most=10)) as (out, _err):
            try:
                code = cli.main([*argv[:1], "--store", store, *argv[1:]] if face != ["nope"] else argv)
            except SystemExit as stop:  # argparse: a usage error
                code = stop.code if isinstance(stop.code, int) else 1
        assert code in (0, 2), (argv, code)
        if "--json" in face and code == 0:
            for record in out.getvalue().split("\n")[:-1]:  # JSON lines: one record per "\\n"
                json.loads(record)
    count("command lines run", CLI_RUNS)
