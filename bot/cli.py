"""The `drugbot` command: the bot, the offline console, JSON commands and the data build.

Every well-formed request exits 0 whatever it finds; a usage error exits 2 (argparse's convention);
a missing or broken drug store exits 1 with one line saying what to do.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.knowledge.build import build
from bot.knowledge.curated import DataError
from bot.paths import DATA_DIR, DEFAULT_STORE


def _data_build(args: argparse.Namespace) -> int:
    def progress(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        summary = build(args.data, None if args.command == "check" else args.output, progress=progress)
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary.counts.items())
    where = f"wrote {summary.path}" if summary.path else "all sources are valid"
    print(f"{where} (data version {summary.data_version}): {counts}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="drugbot", description=__doc__.splitlines()[0] if __doc__ else None)
    commands = top.add_subparsers(dest="face", required=True, metavar="COMMAND")

    data = commands.add_parser("data", help="build or check the drug store from data/")
    data_commands = data.add_subparsers(dest="command", required=True, metavar="ACTION")
    for name, text in (("build", "validate data/ and write the drug store"), ("check", "validate data/ only")):
        sub = data_commands.add_parser(name, help=text)
        sub.add_argument("--data", type=Path, default=DATA_DIR, help="curated sources folder (default: data/)")
        if name == "build":
            sub.add_argument("--output", type=Path, default=DEFAULT_STORE, help="store file to write")
        sub.set_defaults(handler=_data_build)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result: int = args.handler(args)
    return result
