"""Domain speed and memory, each against a baseline measured in the same run.

- resolution: NameIndex.resolve on a mix of exact names, misspellings and garbage, vs a bare dict lookup;
- autocomplete: NameIndex.autocomplete on partial input, uncached and cached, vs the same bare lookup;
- chat scan: MentionFinder.scan on chat lines, vs splitting the same lines into words;
- start-up and memory: Knowledge.open, vs opening the same SQLite file and counting its aliases.
Printed as percentiles and ratios; nothing here asserts a time.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bot.knowledge.domain import Knowledge
from bot.knowledge.normalise import normalise
from bot.paths import DEFAULT_STORE

QUERIES = [
    "imuran",
    "azathiprine",
    "Imuran 50mg tablets",
    "methotrexat",
    "predisone",
    "qwxzvbnm",
    "cellcept",
    "hydroxycloroquine",
]
PARTIAL = ["i", "im", "imu", "meth", "pred", "hydroxy", "zz", "cel", "tac", "xel"]
CHAT = [
    "my rheumy put me on imuran, I also take allopurinol.",
    "I need advice about my plan for the weekend, the sun is out",
    "started cellcept and prednisone last week, also on omeprazole and vitamin d",
    "has anyone had hair loss on methotrexat? my doc says folic acid helps",
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2] * 1e6, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e6


def timed(call: Callable[[str], object], inputs: list[str], rounds: int) -> list[float]:
    samples = []
    for n in range(rounds):
        value = inputs[n % len(inputs)]
        start = time.perf_counter()
        call(value)
        samples.append(time.perf_counter() - start)
    return samples


def report(name: str, samples: list[float], baseline: list[float]) -> None:
    p50, p99 = percentiles(samples)
    b50, _ = percentiles(baseline)
    print(
        f"  {name:14s} p50 {p50:9.1f} µs  p99 {p99:9.1f} µs   baseline p50 {b50:6.2f} µs  ratio p50 x{p50 / max(b50, 1e-3):,.0f}"
    )


def main() -> None:
    path = Path(os.environ.get("DRUG_STORE_PATH") or DEFAULT_STORE)
    tracemalloc.start()
    start = time.perf_counter()
    knowledge = Knowledge.open(path)
    open_seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    start = time.perf_counter()
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
        aliases = db.execute("SELECT COUNT(*) FROM aliases").fetchone()[0]
    baseline_open = time.perf_counter() - start
    print(f"domain benchmarks ({aliases} names in the index)")
    print(
        f"  start-up       Knowledge.open {open_seconds * 1000:.0f} ms vs sqlite open+count {baseline_open * 1000:.1f} ms; peak Python memory {peak / 2**20:.0f} MiB"
    )
    lookup = knowledge.store.aliases.get

    def bare(text: str) -> object:
        return lookup(normalise(text))

    report("resolve", timed(knowledge.names.resolve, QUERIES, 1000), timed(bare, QUERIES, 1000))

    def cold_autocomplete(text: str) -> object:
        knowledge.names._autocomplete.cache_clear()
        return knowledge.names.autocomplete(text)

    report("autocomplete", timed(cold_autocomplete, PARTIAL, 1000), timed(bare, PARTIAL, 1000))
    report("  (cached)", timed(knowledge.names.autocomplete, PARTIAL, 1000), timed(bare, PARTIAL, 1000))
    scan = timed(knowledge.mentions.scan, CHAT, 1000)
    split = timed(str.split, CHAT, 1000)
    report("chat scan", scan, split)
    print(
        f"  chat scan throughput {len(scan) / sum(scan):,.0f} messages/s (mean {statistics.mean(scan) * 1e6:.0f} µs)"
    )


if __name__ == "__main__":
    main()
