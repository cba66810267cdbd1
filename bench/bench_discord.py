"""Discord-side latency, in process: /drug and autocomplete through discord.py's real parser and
CommandTree (the tier-1 test harness, responses recorded instead of sent), each against a baseline
measured in the same run: the bare domain call the command makes.

- /drug: time from INTERACTION_CREATE to the initial response, vs NameIndex.resolve + drug_answer;
- autocomplete: time from INTERACTION_CREATE to the choices, vs NameIndex.autocomplete.

1,000 calls each, p50/p99 in microseconds. Nothing here asserts a time. Run from the project root:
`.venv/bin/python bench/bench_discord.py`.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.answers.compose import drug_answer
from bot.knowledge.domain import Knowledge
from bot.paths import DEFAULT_STORE
from bot.tree import DrugTree
from tests.discord.harness import (
    autocomplete,
    feed,
    make_bot,
    prepare_offline,
    recording,
    settle,
    slash,
)

CALLS = 1000
NAMES = ["imuran", "azathioprine", "immuran", "methotrexat", "predisone", "qwxzvbnm", "cellcept", "xeljanz"]
PARTIAL = ["", "i", "im", "imu", "meth", "pred", "hydroxy", "zz", "cel", "tac"]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    pick = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return ordered[len(ordered) // 2] * 1e6, pick * 1e6, ordered[-1] * 1e6


def bare(call: Callable[[str], object], inputs: list[str]) -> list[float]:
    samples = []
    for n in range(CALLS):
        start = time.perf_counter()
        call(inputs[n % len(inputs)])
        samples.append(time.perf_counter() - start)
    return samples


async def through_discord(payloads: Callable[[int], dict[str, Any]], knowledge: Knowledge) -> list[float]:
    bot = await make_bot(knowledge)
    await prepare_offline(bot)
    tree = bot.tree
    assert isinstance(tree, DrugTree)
    tree.limiter.rate = CALLS * 10  # one benchmark user sends everything
    samples = []
    with recording(check=False) as recorder:
        for n in range(CALLS):
            payload = payloads(n)
            before = set(asyncio.all_tasks())
            start = time.perf_counter()
            feed(bot, payload)
            await settle(before)
            first = next(c for c in recorder.calls if c.interaction_id == payload["id"])
            samples.append(first.at - start)
    await bot.close()
    return samples


async def chat_throughput(knowledge: Knowledge, lines: list[str]) -> tuple[float, float]:
    """Messages per second through the real MESSAGE_CREATE parser and the chat listener (reply mode,
    a server with chat checks on), against the bare domain scan of the same lines."""
    from bot.community.models import GuildSettings
    from bot.settings import Settings
    from tests.discord.fake_discord import guild
    from tests.discord.harness import GUILD_ID, deliver, member_message

    bot = await make_bot(knowledge, Settings(chat_checks=True))
    await prepare_offline(bot)
    bot._connection.parse_guild_create(guild())
    await bot.community.save_guild_settings(GuildSettings(GUILD_ID, "reply"))
    cog = bot.get_cog("ChatChecks")
    assert cog is not None
    cog.limiter.allow = lambda *args, **kwargs: False  # type: ignore[attr-defined]  # measure the check, not sending
    payloads = [member_message(line) for line in lines]
    start = time.perf_counter()
    for payload in payloads:
        await deliver(bot, payload)
    through = len(payloads) / (time.perf_counter() - start)
    start = time.perf_counter()
    for line in lines:
        knowledge.scan(line)
    bare_rate = len(lines) / (time.perf_counter() - start)
    await bot.close()
    return through, bare_rate


def report(name: str, samples: list[float], baseline_name: str, baseline: list[float]) -> None:
    p50, p99, worst = percentiles(samples)
    b50, b99, _ = percentiles(baseline)
    print(
        f"{name:<14} p50 {p50:8.0f} µs  p99 {p99:8.0f} µs  max {worst:8.0f} µs   "
        f"| baseline {baseline_name}: p50 {b50:7.0f} µs  p99 {b99:7.0f} µs   "
        f"| overhead p50 {p50 - b50:+7.0f} µs ({p50 / max(b50, 1e-9):.1f}x)"
    )


def main() -> None:
    knowledge = Knowledge.open(DEFAULT_STORE)
    names = knowledge.names
    for name in NAMES:  # warm the caches both paths share
        drug_answer(names, names.resolve(name))
    print(f"Discord latency, in process, {CALLS} calls each (deadline for an initial response: 3,000,000 µs)")
    drug_base = bare(lambda q: drug_answer(names, names.resolve(q)), NAMES)
    drug = asyncio.run(through_discord(lambda n: slash("drug", name=NAMES[n % len(NAMES)]), knowledge))
    report("/drug", drug, "resolve + drug_answer", drug_base)
    auto_base = bare(names.autocomplete, PARTIAL)
    auto = asyncio.run(
        through_discord(lambda n: autocomplete("drug", "name", PARTIAL[n % len(PARTIAL)]), knowledge)
    )
    report("autocomplete", auto, "NameIndex.autocomplete", auto_base)
    print("(autocomplete results are cached per typed prefix; bench_domain also reports the uncached cost)")
    from bench.chat_precision import read_corpus

    lines = [text for text, _ in read_corpus()]
    through, bare_rate = asyncio.run(chat_throughput(knowledge, lines * 3))
    print(
        f"chat listener  {through:,.0f} messages/s through MESSAGE_CREATE dispatch "
        f"| baseline Knowledge.scan: {bare_rate:,.0f} messages/s ({len(lines) * 3} corpus lines)"
    )


if __name__ == "__main__":
    main()
