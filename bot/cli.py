"""The `drugbot` command: the bot, the offline console, JSON commands and the data build.

Every well-formed request exits 0 whatever it finds; a usage error exits 2 (argparse's convention);
a missing or broken drug store exits 1 with one line saying what to do.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.answers.compose import SECTIONS, about_answer, check_answer, drug_answer, mentioned, scan_answer
from bot.answers.records import about_record, check_record, drug_record, resolution_record, scan_record
from bot.answers.text import plain, render
from bot.knowledge.build import build
from bot.knowledge.build.curated import DataError
from bot.knowledge.domain import CheckSizeError, Knowledge
from bot.knowledge.store import StoreError
from bot.paths import DATA_DIR, DEFAULT_STORE, DRUGSATFDA_PRODUCTS, NDFRT_FILE
from bot.settings import Settings, SettingsError

NO_TOKEN = (
    "No DISCORD_TOKEN is set, so the Discord bot is not started: put your bot token in .env "
    "(see .env.example and the README). Opening the offline console instead."
)


def _data_build(args: argparse.Namespace) -> int:
    def progress(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        output = None if args.command == "check" else args.output
        summary = build(
            args.data, output, fda_products=args.fda_products, ndfrt=NDFRT_FILE, progress=progress
        )
    except DataError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary.counts.items())
    where = f"wrote {summary.path}" if summary.path else "all sources are valid"
    print(f"{where} (data version {summary.data_version}): {counts}")
    return 0


def _audit(args: argparse.Namespace, knowledge: Knowledge) -> int:
    from bot.knowledge.build.audit import audit, read_exceptions, summarise

    if not args.ndfrt.is_file():
        raise SystemExit(
            f"drugbot: no NDF-RT file at {args.ndfrt} (it lives in ../shared/datasets, not in the project)"
        )
    rows = audit(knowledge, args.ndfrt, read_exceptions(args.data / "audit-exceptions.toml"))
    for row in rows:
        answered = row.answered.word if row.answered else "no record"
        verdict = "ok" if row.ok else "SHORT"
        note = f"  exception: {row.exception}" if row.exception else ""
        if args.all or not row.ok:
            print(
                f"{verdict:5s} {row.ndfrt_severity:11s} {row.drugs[0]} + {row.drugs[1]}: store says {answered}{note}"
            )
    for level, numbers in summarise(rows).items():
        print(
            f"{level}: {numbers['pairs']} pairs with both drugs curated, {numbers['as_expected']} answered as "
            f"expected ({numbers['by_exception']} by recorded exception), {numbers['short']} short"
        )
    return 0


def _gaps(args: argparse.Namespace, knowledge: Knowledge) -> int:
    from bot.knowledge.build.card_gaps import EXCEPTIONS_FILE, card_gaps, read_card_exceptions

    gaps = card_gaps(knowledge, read_card_exceptions(args.data / EXCEPTIONS_FILE))
    for gap in gaps:
        print(f"{gap.drug} | {knowledge.store.name(gap.named)} | {gap.text}")
    print(f"{len(gaps)} card(s) name a medicine with no rule and no recorded exception")
    return 0


def _community(args: argparse.Namespace) -> int:
    """`drugbot community backup|export|forget|migrate`: what the community store keeps, for its owner."""
    import asyncio

    from bot.community import open_community_store
    from bot.community.sqlite import SqliteCommunityStore
    from bot.community.store import CommunityStoreError

    if args.action == "migrate":
        return _migrate_community(args)
    if args.target is None:
        raise _UsageError(
            f"community {args.action} needs a {'PATH' if args.action == 'backup' else 'GUILD_ID'}"
        )
    location = args.community or _settings().community_store
    if args.action == "forget" and not args.yes:
        raise _UsageError(f"forget removes everything kept about server {args.target}: add --yes to confirm")

    async def act() -> int:
        store = await open_community_store(location)
        try:
            if args.action == "backup":
                if not isinstance(store, SqliteCommunityStore):
                    raise _UsageError("backup copies a SQLite store; back up PostgreSQL with pg_dump")
                await store.backup(Path(args.target))
                print(f"backed up {store.where} to {args.target}")
            elif args.action == "export":
                _print_json(await store.export(_guild_id(args.target)))
            else:
                removed = await store.forget(_guild_id(args.target))
                print(f"forgot server {args.target}: {removed} record(s) removed")
        finally:
            await store.close()
        return 0

    try:
        return asyncio.run(act())
    except CommunityStoreError as error:
        raise SystemExit(f"drugbot: {error}") from None


def _migrate_community(args: argparse.Namespace) -> int:
    """Copy every server's data (or one server's, with --guild) from one community store to another,
    each server in one transaction, then check that the copy reads back the same."""
    import asyncio

    from bot.community import open_community_store
    from bot.community.store import CommunityStoreError

    if not (args.source and args.destination):
        raise _UsageError(
            "community migrate needs --from STORE and --to STORE (sqlite:PATH or postgresql://...)"
        )
    if args.source == args.destination:
        raise _UsageError("--from and --to are the same store")

    async def act() -> int:
        source = await open_community_store(args.source)
        try:
            destination = await open_community_store(args.destination)
            try:
                guilds = [_guild_id(args.guild)] if args.guild else await source.guilds()
                total = 0
                for done, guild in enumerate(guilds, start=1):
                    copied = await destination.copy_from(source, guild)
                    if await destination.export(guild) != await source.export(guild):
                        raise CommunityStoreError(f"server {guild} reads back differently after the copy")
                    total += copied
                    print(
                        f"[{done}/{len(guilds)}] server {guild}: {copied} record(s) copied", file=sys.stderr
                    )
                print(
                    f"copied {len(guilds)} server(s), {total} record(s), from {source.where} to {destination.where}"
                )
            finally:
                await destination.close()
        finally:
            await source.close()
        return 0

    try:
        return asyncio.run(act())
    except CommunityStoreError as error:
        raise SystemExit(f"drugbot: {error}") from None


def _guild_id(text: str) -> int:
    if not text.isdigit():
        raise _UsageError(f"{text!r} is not a server id (a long number)")
    return int(text)


def _print_json(record: dict[str, Any]) -> None:
    print(json.dumps(record, ensure_ascii=False))


def _resolve(args: argparse.Namespace, knowledge: Knowledge) -> int:
    for name in args.names:
        resolution = knowledge.resolve(name)
        if args.json:
            _print_json(resolution_record(resolution, knowledge.store))
        else:
            shown = resolution.drug or ", ".join(c.shown_as for c in resolution.candidates) or "-"
            print(f"{name}\t{resolution.status}\t{shown}")
    return 0


def _info(args: argparse.Namespace, knowledge: Knowledge) -> int:
    if args.about:
        if args.json:
            _print_json(about_record(knowledge.store))
        else:
            print(render(about_answer(knowledge.store)))
        return 0
    if not args.names:
        raise _UsageError("info needs a NAME (or --about)")
    resolution = knowledge.resolve(" ".join(args.names))
    if args.json:
        _print_json(drug_record(knowledge.store, resolution))
    else:
        print(render(drug_answer(knowledge.names, resolution, args.section)))
    return 0


def _check(args: argparse.Namespace, knowledge: Knowledge) -> int:
    try:
        report = knowledge.check(args.names)
    except CheckSizeError as error:
        raise _UsageError(f"check: {error}") from None
    if args.json:
        _print_json(check_record(knowledge.store, report))
    else:
        print(render(check_answer(knowledge.names, report)))
    return 0


def _scan(args: argparse.Namespace, knowledge: Knowledge) -> int:
    lines = [" ".join(args.text)] if args.text else (line.rstrip("\n") for line in sys.stdin)
    for line in lines:
        scan = knowledge.scan(line)
        if args.json:
            _print_json(scan_record(knowledge.store, scan))
            continue
        answer = scan_answer(knowledge.names, scan)
        found = (
            ", ".join(plain(mentioned(knowledge.store, m)) for m in scan.mentions)
            or "no medicine names found"
        )
        print(found if answer is None else f"{found}\n{render(answer)}")
    return 0


def _console(args: argparse.Namespace, knowledge: Knowledge) -> int:
    from bot.console import run_console

    return run_console(knowledge)


def _run(args: argparse.Namespace) -> int:
    settings = _settings()
    if not settings.has_token:
        print(NO_TOKEN)
        return _console(args, _open(settings.drug_store_path))
    from bot.bot import run_bot

    if args.guild is not None and not args.sync:
        raise _UsageError("--guild only applies with --sync")
    guild = settings.dev_guild_id if args.guild == _DEV_GUILD else args.guild
    if args.guild == _DEV_GUILD and guild is None:
        raise _UsageError("--guild without an ID needs DEV_GUILD_ID in .env")
    return run_bot(settings, sync=args.sync, guild=guild)


_DEV_GUILD = 0  # `--guild` given without an ID: use DEV_GUILD_ID


class _UsageError(Exception):
    pass


def _settings() -> Settings:
    try:
        return Settings.load()
    except SettingsError as error:
        raise SystemExit(f"drugbot: {error}") from None


@functools.cache  # opened once per process, however many commands run in it (main() may be called again)
def _open(path: Path) -> Knowledge:
    try:
        return Knowledge.open(path)
    except StoreError as error:
        raise SystemExit(f"drugbot: {error}") from None


def _with_knowledge(handler: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        path = args.store or _settings().drug_store_path
        result: int = handler(args, _open(path))
        return result

    return run


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="drugbot", description=__doc__.splitlines()[0] if __doc__ else None)
    commands = top.add_subparsers(dest="face", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start the Discord bot (the offline console without a token)")
    run.add_argument("--sync", action="store_true", help="sync slash commands with Discord, then start")
    run.add_argument(
        "--guild",
        type=int,
        nargs="?",
        const=_DEV_GUILD,
        metavar="ID",
        help="with --sync: sync only this server, instantly (without ID: DEV_GUILD_ID)",
    )
    run.set_defaults(handler=_run)

    def face(name: str, text: str, handler: Any, json_help: str = "") -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text)
        sub.add_argument(
            "--store", type=Path, help="drug store file (default: DRUG_STORE_PATH or build/drugs.sqlite3)"
        )
        if json_help:
            sub.add_argument("--json", action="store_true", help=json_help)
        sub.set_defaults(handler=_with_knowledge(handler))
        return sub

    face("console", "offline chat: /drug, /interactions and chat lines, as Discord would answer", _console)
    resolve = face("resolve", "what each NAME means", _resolve, "one JSON object per name (JSON Lines)")
    resolve.add_argument("names", nargs="+", metavar="NAME")
    info = face("info", "a medicine's card", _info, "the card as one JSON object")
    info.add_argument("--about", action="store_true", help="data version, counts and sources instead")
    info.add_argument("--section", default="overview", choices=SECTIONS)
    info.add_argument("names", nargs="*", metavar="NAME")
    check = face("check", "check two or more medicines together", _check, "the report as one JSON object")
    check.add_argument("names", nargs="+", metavar="NAME")
    scan_help = "find medicines and interactions in TEXT (or in each line of stdin)"
    scan = face("scan", scan_help, _scan, "one JSON object per text")
    scan.add_argument("text", nargs="*", metavar="TEXT")

    community = commands.add_parser("community", help="back up, export, forget or migrate per-server data")
    community.add_argument("action", choices=("backup", "export", "forget", "migrate"))
    community.add_argument(
        "target",
        nargs="?",
        metavar="PATH|GUILD_ID",
        help="backup: the file to write; export, forget: a server id",
    )
    community.add_argument("--yes", action="store_true", help="forget: confirm removing the server's data")
    community.add_argument(
        "--community",
        metavar="STORE",
        help="community store: sqlite:PATH, a path, or postgresql://... (default: COMMUNITY_STORE_URL,"
        " else COMMUNITY_STORE_PATH)",
    )
    community.add_argument("--from", dest="source", metavar="STORE", help="migrate: the store to copy from")
    community.add_argument("--to", dest="destination", metavar="STORE", help="migrate: the store to copy to")
    community.add_argument("--guild", metavar="GUILD_ID", help="migrate: only this server")
    community.set_defaults(handler=_community)

    data = commands.add_parser("data", help="build or check the drug store from data/")
    data_commands = data.add_subparsers(dest="command", required=True, metavar="ACTION")
    for name, text in (
        ("build", "validate data/ and write the drug store"),
        ("check", "validate data/ only"),
    ):
        sub = data_commands.add_parser(name, help=text)
        sub.add_argument(
            "--data", type=Path, default=DATA_DIR, help="curated sources folder (default: data/)"
        )
        if name == "build":
            sub.add_argument("--output", type=Path, default=DEFAULT_STORE, help="store file to write")
        sub.add_argument(
            "--fda-products",
            type=Path,
            default=DRUGSATFDA_PRODUCTS,
            help="Drugs@FDA Products.txt for US brand names (used when the file exists; default: ../shared/datasets/...)",
        )
        sub.set_defaults(handler=_data_build)
    audit = data_commands.add_parser("audit", help="compare the store with the VA NDF-RT interaction list")
    audit.add_argument(
        "--ndfrt", type=Path, default=NDFRT_FILE, help="NDF-RT TSV (default: ../shared/datasets/...)"
    )
    audit.add_argument(
        "--data", type=Path, default=DATA_DIR, help="curated sources folder, for audit-exceptions.toml"
    )
    audit.add_argument("--all", action="store_true", help="list every pair, not only the short ones")
    audit.add_argument("--store", type=Path, help="drug store file")
    audit.set_defaults(handler=_with_knowledge(_audit))
    gaps = data_commands.add_parser(
        "gaps", help="list reviewed cards whose cautions name a medicine with no rule between them"
    )
    gaps.add_argument(
        "--data", type=Path, default=DATA_DIR, help="curated sources folder, for card-mention-exceptions.toml"
    )
    gaps.add_argument("--store", type=Path, help="drug store file")
    gaps.set_defaults(handler=_with_knowledge(_gaps))
    return top


def command_names() -> set[str]:
    """The top-level commands of `drugbot` ("info", "check", ...), for keeping faces in step."""
    return {
        name
        for action in parser()._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }


def _tolerant_streams() -> None:
    """Bytes that are not UTF-8 (a file in another encoding, a bad terminal) never crash a command:
    they are read as lone surrogates, as the arguments already are, and written back escaped."""
    for stream, errors in (
        (sys.stdin, "surrogateescape"),
        (sys.stdout, "backslashreplace"),
        (sys.stderr, "backslashreplace"),
    ):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=errors)


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    top = parser()
    args = top.parse_args(argv)
    try:
        result: int = args.handler(args)
    except _UsageError as error:
        top.error(str(error))
    except BrokenPipeError:
        return 0
    return result
