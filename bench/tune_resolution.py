"""How well does name resolution do on the names patients type, and does it ever give a wrong medicine?

For each labelled set of `bench/name_sets.py` (tuning part and test part) it prints, as percentages of
the set: right (the intended medicine), asked with the right choice among the options (safe, one more
tap), asked without it, WRONG (another medicine: what must stay near zero) and unknown. A set whose
label is "" wants a question: asking is right there and an answer is wrong. Look-alike variants also
count crossings: a variant of one medicine answered as its look-alike.

`--grid` compares settings of the resolver on the tuning parts only (the test parts are for reporting).
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from bench.name_sets import Query, lookalike_variants, sets
from bot.knowledge.domain import Knowledge
from bot.knowledge.policy import DEFAULT_POLICY
from bot.paths import DEFAULT_STORE

OUTCOMES = ("right", "asked right", "asked other", "WRONG", "unknown")
LABELS = ("right", "asked+", "asked-", "WRONG", "unknown")
# What was tried (on the tuning parts only): the lead needed, and how much nearer a reviewed and a
# marketed medicine count. The policy in use is marked.
GRID = [
    (lead, reviewed, marketed)
    for lead in (0.5, 0.75, 1.0)
    for reviewed in (0.3, 0.5, 0.75, 1.0)
    for marketed in (0.15, 0.25)
]


@dataclass
class Outcome:
    counts: Counter[str]
    wrong: list[str]
    total: int

    def line(self) -> str:
        shares = "  ".join(f"{self.counts[o] / max(self.total, 1):7.1%}" for o in OUTCOMES)
        return f"{self.total:6d}  {shares}"


def outcome(knowledge: Knowledge, queries: list[Query]) -> Outcome:
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    for query in queries:
        resolution = knowledge.resolve(query.typed)
        options = {c.drug for c in resolution.candidates}
        if resolution.status == "match":
            if query.drug and resolution.drug == query.drug:
                counts["right"] += 1
            else:
                counts["WRONG"] += 1
                wrong.append(f"{query.typed} -> {resolution.drug} (meant {query.drug or 'a question'})")
        elif resolution.status == "ambiguous" or options:
            if not query.drug:
                counts["right"] += 1
            elif query.drug in options:
                counts["asked right"] += 1
            else:
                counts["asked other" if resolution.status == "ambiguous" else "unknown"] += 1
        else:
            counts["unknown"] += 1
    return Outcome(counts, wrong, len(queries))


def crossings(knowledge: Knowledge, queries: list[Query]) -> list[str]:
    """Variants of a look-alike name answered as another medicine of its group, silently."""
    store = knowledge.store
    found = []
    for query in queries:
        resolution = knowledge.resolve(query.typed)
        partners = {other.drug for other in store.lookalikes.get(query.drug, ())}
        if resolution.status == "match" and resolution.drug in partners:
            found.append(f"{query.typed} -> {resolution.drug} (made from {query.drug})")
    return found


def report(knowledge: Knowledge, parts: tuple[str, ...] = ("tune", "test"), show_wrong: int = 0) -> None:
    header = "  ".join(f"{o:>7s}" for o in LABELS)
    for part in parts:
        print(f"name resolution, {part} part: queries  {header}")
        for name, queries in sets(knowledge, part).items():
            if not queries:
                print(f"  {name:22s} (not available here)")
                continue
            result = outcome(knowledge, queries)
            print(f"  {name:22s}{result.line()}")
            for line in result.wrong[:show_wrong]:
                print(f"      wrong: {line}")
        variants = lookalike_variants(knowledge.store, part)
        crossed = crossings(knowledge, variants)
        print(f"  look-alike variants: {len(variants)}, silently crossed: {len(crossed)} {crossed[:3]}")


def grid(knowledge: Knowledge) -> None:
    """Each setting of GRID on the tuning parts: right and WRONG per set, and look-alike crossings."""
    tuning = sets(knowledge, "tune")
    variants = lookalike_variants(knowledge.store, "tune")
    print("settings tried on the tuning parts (right / WRONG per set; crossings):")
    for lead, reviewed, marketed in GRID:
        policy = replace(DEFAULT_POLICY, lead=lead, prior_reviewed=reviewed, prior_marketed=marketed)
        trial = knowledge.with_policy(policy)
        cells = []
        for name, queries in tuning.items():
            if queries:
                result = outcome(trial, queries)
                total = max(result.total, 1)
                cells.append(
                    f"{name[:9]} {result.counts['right'] / total:5.1%}/{result.counts['WRONG'] / total:4.1%}"
                )
        mark = "  <- in use" if policy == DEFAULT_POLICY else ""
        settings = f"lead {lead}, reviewed {reviewed}, marketed {marketed}"
        print(f"  {settings:40s} {' | '.join(cells)} | crossed {len(crossings(trial, variants))}{mark}")


def main() -> None:
    knowledge = Knowledge.open(Path(os.environ.get("DRUG_STORE_PATH") or DEFAULT_STORE))
    started = time.perf_counter()
    if "--grid" in sys.argv:
        grid(knowledge)
    else:
        report(knowledge, show_wrong=int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(f"  ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
