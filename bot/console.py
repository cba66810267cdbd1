"""The offline console: the same answers Discord shows, as text, without Discord.

Type `/drug imuran`, `/interactions imuran allopurinol`, or a chat line, which is scanned the way the
chat check scans messages. After an answer with numbered choices, type the number to pick one.
The console ends at end of input (Ctrl-D), so `make run < /dev/null` only sets things up.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from bot.answers.compose import (
    SECTIONS,
    about_answer,
    check_answer,
    drug_answer,
    mentioned,
    message_check_answer,
    scan_answer,
)
from bot.answers.model import Answer, Option
from bot.answers.text import plain, render
from bot.knowledge.domain import CheckSizeError, Knowledge
from bot.knowledge.models import Severity

HELP = """Commands:
  /drug NAME [section]        a medicine's card; sections: overview, side-effects, interactions, cautions, sources
  /interactions A, B, ...     check 2 to 20 medicines (or class words, combination products) together
  /scan TEXT                  every medicine in TEXT and their check (Discord: "Check drugs in message")
  /about                      data version, sources and privacy
  /help                       this help
  anything else               scanned like a chat message: drugs are found and interactions flagged
  a number                    pick one of the numbered choices of the last answer
End with Ctrl-D (or /quit)."""


class Console:
    def __init__(
        self, knowledge: Knowledge, out: TextIO = sys.stdout, threshold: Severity = Severity.MODERATE
    ) -> None:
        self.knowledge = knowledge
        self.out = out
        self.threshold = threshold
        self.options: tuple[Option, ...] = ()

    def show(self, answer: Answer) -> None:
        self.options = answer.options
        print(render(answer), file=self.out)
        print(file=self.out)

    def handle(self, line: str) -> bool:
        """Answer one line; False when the console should end."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        if line.isdigit() and self.options:
            number = int(line)
            if 1 <= number <= len(self.options):
                self.drug(self.options[number - 1].drug)
            else:
                print(f"Pick a number from 1 to {len(self.options)}.", file=self.out)
            return True
        command, _, rest = line.partition(" ")
        command = command.lower()  # "/Drug imuran" on a phone keyboard is still /drug
        handler = self.commands().get(command)
        if handler is not None:
            handler(rest.strip())
        elif command.startswith("/"):
            print(f"Unknown command {command}. Type /help.", file=self.out)
        else:
            self.chat(line)
        return True

    def commands(self) -> dict[str, Callable[[str], None]]:
        """The console's slash commands: the same answers as the Discord commands of the same name."""
        return {
            "/drug": self.drug_command,
            "/interactions": self.interactions_command,
            "/about": lambda _: self.show(about_answer(self.knowledge.store)),
            "/scan": lambda rest: self.show(
                message_check_answer(self.knowledge.names, self.knowledge.scan(rest))
            ),
            "/help": lambda _: print(HELP, file=self.out),
        }

    def drug_command(self, rest: str) -> None:
        if rest:
            self.drug(*split_section(rest))
        else:
            print("Usage: /drug NAME [section]", file=self.out)

    def interactions_command(self, rest: str) -> None:
        try:
            self.show(check_answer(self.knowledge.names, self.knowledge.check_text(rest)))
        except CheckSizeError as error:
            print(error, file=self.out)

    def drug(self, name: str, section: str = "overview") -> None:
        self.show(drug_answer(self.knowledge.names, self.knowledge.resolve(name), section))

    def chat(self, line: str) -> None:
        scan = self.knowledge.scan(line)
        answer = scan_answer(self.knowledge.names, scan, self.threshold)
        if answer is not None:
            self.show(answer)
            return
        store = self.knowledge.store
        if scan.mentions:
            found = ", ".join(dict.fromkeys(plain(mentioned(store, m)) for m in scan.mentions))
            print(
                f"(chat check: {found}; no interaction at {self.threshold.word} or above is on record between "
                "them, which does not mean they are safe together)",
                file=self.out,
            )
        else:
            print("(chat check: no medicine names found)", file=self.out)

    def run(self, lines: Iterator[str]) -> None:
        for line in lines:
            if not self.handle(line):
                break


def split_section(text: str) -> tuple[str, str]:
    """ "prednisone side effects" -> ("prednisone", "side-effects"): a section may end the line, written
    with a space or a hyphen, in any case."""
    words = text.split()
    for size in (2, 1):
        section = "-".join(words[-size:]).lower()
        if len(words) > size and section in SECTIONS:
            return " ".join(words[:-size]), section
    return text, "overview"


def _interactive_lines(prompt: str) -> Iterator[str]:
    while True:
        try:
            yield input(prompt)
        except EOFError:
            print()
            return


def run_console(knowledge: Knowledge) -> int:
    console = Console(knowledge)
    if sys.stdin.isatty():
        print(
            "drugbot offline console. Try: /drug immuran   or   /interactions imuran, allopurinol   (/help, Ctrl-D to quit)"
        )
        console.run(_interactive_lines("drugbot> "))
    else:
        console.run(iter(sys.stdin))
    return 0
