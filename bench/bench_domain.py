"""Domain speed and memory with the full index, each against a baseline measured in the same run.

| figure | ours | baseline |
|---|---|---|
| resolve one name (exact, brand, misspelling, unknown) | Knowledge.resolve | rapidfuzz extractOne(WRatio) over all names |
| autocomplete, uncached prefix | NameIndex.autocomplete, cache cleared | rapidfuzz extract(WRatio, limit=25) |
| chat scan, 5-60 word messages | MentionFinder.find | drug_named_entity_recognition.find_drugs |
| chat scan with the screen in Python | MentionFinder with PythonWordTable | the same with the compiled table |
| start-up to ready | Knowledge.open (store read, indexes ready) | the same names read into a dict from SQLite |
| resident memory after start-up | a process that opened the knowledge | a bare `import discord` process |

Chat messages are built from the labelled chat lines of bench/chat_corpus.tsv (5 to 60 words each): a
realistic stream, where one message in five names a medicine, and a medicine-dense stream, where every
message does; each chat figure is the median of five passes taken in turn with its baseline's (the
first pass looks up the words not seen before). Then resolve and scan run on indexes of 1x, 2x and 4x the real name count (made-up names
added) to show how cost grows. Printed as percentiles and ratios; nothing here asserts a time.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from drug_named_entity_recognition import find_drugs
from rapidfuzz import fuzz, process

from bench.chat_precision import read_corpus
from bench.name_sets import sets
from bot.knowledge.chatwords import COMPILED, PythonWordTable
from bot.knowledge.domain import Knowledge
from bot.knowledge.mentions import MentionFinder
from bot.knowledge.store import AliasEntry, DrugStore
from bot.paths import DEFAULT_STORE

PARTIAL = ["i", "im", "imu", "meth", "pred", "hydroxy", "zz", "cel", "tac", "xel", "ada", "ritu", "sul"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SYLLABLES = [
    "ra",
    "zo",
    "mi",
    "tre",
    "vex",
    "lan",
    "do",
    "pro",
    "cin",
    "ta",
    "fel",
    "quo",
    "nib",
    "mab",
    "zol",
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2] * 1e6, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e6


def timed(call: Callable[[str], object], inputs: list[str]) -> list[float]:
    samples = []
    for value in inputs:
        start = time.perf_counter()
        call(value)
        samples.append(time.perf_counter() - start)
    return samples


def row(name: str, ours: list[float], baseline: list[float]) -> None:
    p50, p99 = percentiles(ours)
    b50, b99 = percentiles(baseline)
    print(
        f"  {name:34s} p50 {p50 / 1000:7.3f} ms  p99 {p99 / 1000:7.3f} ms | baseline p50 {b50 / 1000:7.3f}"
        f" p99 {b99 / 1000:7.3f} ms | p99 x{b99 / max(p99, 1e-3):.1f} faster"
    )


def queries(knowledge: Knowledge, rng: random.Random) -> list[str]:
    """Exact names, brands, misspellings (test parts) and unknown words, shuffled."""
    store = knowledge.store
    exact = rng.sample([a for a, es in store.aliases.items() if es[0].kind == "generic"], 150)
    brands = rng.sample([a for a, es in store.aliases.items() if es[0].kind == "brand"], 150)
    misspelt = [q.typed for part in sets(knowledge, "test").values() for q in part]
    unknown = [
        "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(5, 10))) for _ in range(100)
    ]
    mixed = exact + brands + rng.sample(misspelt, min(400, len(misspelt))) + unknown
    rng.shuffle(mixed)
    return mixed


def messages(rng: random.Random, medicine_share: float, count: int = 3000) -> list[str]:
    corpus = read_corpus()
    naming = [text for text, labels in corpus if labels]
    plain = [text for text, labels in corpus if not labels]
    built = []
    for _ in range(count):
        words: list[str] = []
        target = rng.randint(5, 60)
        pool = naming if rng.random() < medicine_share else plain
        while len(words) < target:
            words += rng.choice(pool).split()
        built.append(" ".join(words[:target]))
    return built


def throughput(call: Callable[[str], object], inputs: list[str]) -> float:
    start = time.perf_counter()
    for text in inputs:
        call(text)
    return len(inputs) / (time.perf_counter() - start)


PASSES = 5


def compared_throughput(
    ours: Callable[[str], object], theirs: Callable[[str], object], inputs: list[str]
) -> tuple[float, float]:
    """The median throughput of each over PASSES passes, taken in turn so that both meet the same noise.
    Ours looks up the words it has not seen in its first pass, and remembers them."""
    rates = [(throughput(ours, inputs), throughput(theirs, inputs)) for _ in range(PASSES)]
    return statistics.median(r[0] for r in rates), statistics.median(r[1] for r in rates)


ALIASES = "SELECT alias, drug_id FROM aliases"


def seconds_in_fresh_process(code: str, *arguments: str) -> float:
    """How long `code` takes in a fresh Python process, imports done (the best of three runs)."""
    script = (
        "import time, sqlite3, pathlib, bot.knowledge.domain\n"
        f"ALIASES = {ALIASES!r}\n"
        f"start = time.perf_counter()\n{code}\nprint(time.perf_counter() - start)"
    )
    command = [sys.executable, "-c", script, *arguments]
    runs = [
        float(subprocess.run(command, capture_output=True, text=True, check=True).stdout) for _ in range(3)
    ]
    return min(runs)


def resident_mib(code: str) -> float:
    """Resident memory of a fresh Python process after running `code`."""
    script = code + "\nprint([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def scaled(store: DrugStore, factor: int, rng: random.Random) -> Knowledge:
    """The knowledge with (factor - 1) x the real name count of made-up names added."""
    if factor == 1:
        return Knowledge(store)
    bigger = DrugStore.__new__(DrugStore)
    bigger.__dict__.update(store.__dict__)
    bigger.aliases = dict(store.aliases)
    bigger.spelling_tables = {}  # indexed afresh over the larger list
    owners = [d for d in store.names_of if not store.is_curated(d)]
    for n in range(len(store.aliases) * (factor - 1)):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))) + LETTERS[n % 26]
        bigger.aliases.setdefault(name, [AliasEntry(rng.choice(owners), name, "dictionary", False)])
    return Knowledge(bigger)


def main() -> None:
    path = Path(os.environ.get("DRUG_STORE_PATH") or DEFAULT_STORE)
    rng = random.Random(5)
    knowledge = Knowledge.open(path)
    # Start-up is timed in fresh processes (this one has run other benchmarks): ours, then the baseline.
    open_seconds = seconds_in_fresh_process(
        f"from pathlib import Path; from bot.knowledge.domain import Knowledge; Knowledge.open(Path({str(path)!r}))"
    )
    baseline_open = seconds_in_fresh_process(
        "import sys; db = sqlite3.connect(sys.argv[1]); names = dict(db.execute(ALIASES))", str(path)
    )
    names_only = knowledge.store.aliases
    all_names = list(knowledge.store.aliases)
    print(f"domain benchmarks ({len(all_names)} names, {len(knowledge.store.names_of)} medicines)")

    mixed = queries(knowledge, rng)
    for text in mixed[:50]:  # warm up
        knowledge.resolve(text)
    ours = timed(knowledge.resolve, mixed)
    subset = mixed[:200]  # the baseline is slow: a sample is enough for its percentiles
    row(
        "resolve one name",
        ours,
        timed(lambda q: process.extractOne(q, all_names, scorer=fuzz.WRatio), subset),
    )

    def cold(text: str) -> object:
        knowledge.names._autocomplete.cache_clear()
        return knowledge.names.autocomplete(text)

    prefixes = PARTIAL * 20
    row(
        "autocomplete, uncached prefix",
        timed(cold, prefixes),
        timed(lambda q: process.extract(q, all_names, scorer=fuzz.WRatio, limit=25), PARTIAL),
    )
    for share, label in ((0.2, "realistic, 1 in 5 names one"), (1.0, "every message names one")):
        stream = messages(rng, share)
        for text in stream[:300]:
            knowledge.mentions.find(text)  # warm: chat repeats its words, and their answers are kept
        ours_rate, theirs = compared_throughput(
            knowledge.mentions.find, lambda text: find_drugs(text.split()), stream
        )
        print(
            f"  chat scan, {label:28s} {ours_rate:9,.0f} msgs/s | baseline find_drugs {theirs:9,.0f} msgs/s"
            f" | x{ours_rate / theirs:.1f}"
        )
    # The same realistic stream through the screen's Python definition: the bot where no C compiler was.
    stream = messages(random.Random(5), 0.2)
    finders = (MentionFinder(knowledge.names), MentionFinder(knowledge.names, new_table=PythonWordTable))
    for finder in finders:
        for text in stream[:300]:
            finder.find(text)
    compiled_rate, python_rate = compared_throughput(finders[0].find, finders[1].find, stream)
    print(
        f"  chat scan, realistic, screen in Python {python_rate:9,.0f} msgs/s | compiled screen"
        f" ({'built' if COMPILED else 'NOT BUILT'}) {compiled_rate:9,.0f} msgs/s | x{compiled_rate / python_rate:.1f}"
    )
    print(
        f"  start-up to ready                  {open_seconds * 1000:7.0f} ms | baseline names into a dict"
        f" {baseline_open * 1000:5.0f} ms ({len(names_only)} names) | x{open_seconds / baseline_open:.1f} slower"
    )
    ours_rss = resident_mib(
        f"from pathlib import Path; from bot.knowledge.domain import Knowledge; k = Knowledge.open(Path({str(path)!r}))"
    )
    bare_rss = resident_mib("import discord")
    print(
        f"  resident memory after start-up     {ours_rss:7.0f} MiB | baseline bare import discord {bare_rss:.0f} MiB"
    )

    print("how cost grows with the index (made-up names added):")
    realistic = messages(rng, 0.2, 1500)
    for factor in (1, 2, 4):
        bigger = scaled(knowledge.store, factor, rng)
        samples = timed(bigger.names.resolve, mixed[:600])
        p50, p99 = percentiles(samples)
        for text in realistic[:300]:
            bigger.mentions.find(text)
        rate = throughput(bigger.mentions.find, realistic)
        print(
            f"  {factor}x ({len(bigger.store.aliases):7d} names)  resolve p50 {p50 / 1000:6.3f} ms"
            f" p99 {p99 / 1000:6.3f} ms | chat scan {rate:9,.0f} msgs/s"
        )


if __name__ == "__main__":
    main()
