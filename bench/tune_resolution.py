"""How well do resolution settings do on misspellings, and do they ever give a wrong medicine?

Three query sets: a handwritten list of real-world misspellings and look-alike traps; misspellings
generated from every reviewed generic name by one edit (a letter dropped, doubled, swapped or replaced),
skipping any that is itself a known name; and the same for name-only drugs whose names are close to a
reviewed one (where a reviewed medicine must not win wrongly). For each scorer and cut-off we count right answers, questions
asked (safe, but one more tap for the reader) and WRONG answers: a different medicine, the one thing that
must stay at zero. The baseline is exact lookup only.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.knowledge.domain import Knowledge
from bot.knowledge.normalise import lookup_keys
from bot.knowledge.policy import DEFAULT_POLICY
from bot.paths import DEFAULT_STORE

ASK = "ask"
HANDWRITTEN: list[tuple[str, str]] = [
    ("azothiaprine", "azathioprine"),
    ("metotrexate", "methotrexate"),
    ("hydroxichloroquine", "hydroxychloroquine"),
    ("plaquenel", "hydroxychloroquine"),
    ("mycophenolate mofitil", "mycophenolate mofetil"),
    ("cellsept", "mycophenolate mofetil"),
    ("cyclophosamide", "cyclophosphamide"),
    ("sulfasalazene", "sulfasalazine"),
    ("allopurinal", "allopurinol"),
    ("dexamethsone", "dexamethasone"),
    ("hydroxyzin", "hydroxyzine"),
    ("hydralazin", "hydralazine"),
    # Look-alike traps: a safe resolver asks.
    ("prednisoe", ASK),
    ("cycloserin", ASK),
    ("azacitadine", ASK),
]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit(name: str, rng: random.Random) -> str:
    i = rng.randrange(len(name))
    kind = rng.choice(["drop", "double", "swap", "replace"])
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    if kind == "swap" and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + rng.choice(LETTERS) + name[i + 1 :]


def generated(knowledge: Knowledge, per_drug: int = 3, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    store = knowledge.store
    queries = []
    for drug in store.curated_ids():
        name = drug.replace("-", " ")
        if len(name) < 6:
            continue
        for _ in range(per_drug):
            query = one_edit(name, rng)
            if not any(key in store.aliases for key in lookup_keys(query)):
                # Near a known look-alike, asking is the right answer too.
                queries.append((query, drug))
    return queries


def near_reviewed(knowledge: Knowledge, limit: int = 400, seed: int = 11) -> list[tuple[str, str]]:
    """Misspellings of name-only drugs whose names are close to a reviewed one: the risky direction,
    where a reviewed medicine could wrongly win."""
    rng = random.Random(seed)
    store = knowledge.store
    reviewed = [d.replace("-", " ") for d in store.curated_ids()]
    queries = []
    for drug in sorted(d for d in store.names_of if not store.is_curated(d) and d.isalpha() and len(d) >= 6):
        if process.extractOne(drug, reviewed, scorer=fuzz.ratio, score_cutoff=80) is None:
            continue
        query = one_edit(drug, rng)
        if not any(key in store.aliases for key in lookup_keys(query)):
            queries.append((query, drug))
        if len(queries) >= limit:
            break
    return queries


def run(knowledge: Knowledge, labelled: list[tuple[str, str]]) -> tuple[int, int, list[str]]:
    right = asked = 0
    wrong: list[str] = []
    for query, expected in labelled:
        resolution = knowledge.resolve(query)
        if resolution.status != "match":
            right += expected == ASK
            asked += expected != ASK
        elif resolution.drug == expected:
            right += 1
        else:
            wrong.append(f"{query}->{resolution.drug} (meant {expected})")
    return right, asked, wrong


def main() -> None:
    knowledge = Knowledge.open(Path(os.environ.get("DRUG_STORE_PATH") or DEFAULT_STORE))
    sets = {
        "handwritten": HANDWRITTEN,
        "generated from reviewed names": generated(knowledge),
        "generated from name-only drugs near a reviewed name": near_reviewed(knowledge),
    }
    scorers: list[tuple[str, Callable[..., float]]] = [
        ("ratio", fuzz.ratio),
        ("WRatio", fuzz.WRatio),
        ("QRatio", fuzz.QRatio),
    ]
    for set_name, labelled in sets.items():
        exact_only = Knowledge(knowledge.store, replace(DEFAULT_POLICY, cutoff=101.0))  # the baseline
        exact, _, _ = run(exact_only, labelled)
        print(
            f"resolution on {len(labelled)} {set_name} queries: right / asked / WRONG (baseline exact-only: {exact} right)"
        )
        for scorer_name, scorer in scorers:
            for cutoff in (80.0, 84.0, 88.0, 92.0):
                policy = replace(DEFAULT_POLICY, scorer=scorer, cutoff=cutoff)
                right, asked, wrong = run(Knowledge(knowledge.store, policy), labelled)
                mark = "  <- in use" if policy == DEFAULT_POLICY else ""
                print(
                    f"  {scorer_name:7s} cut-off {cutoff:3.0f}   {right:4d} / {asked:4d} / {len(wrong):3d} {wrong[:2]}{mark}"
                )


if __name__ == "__main__":
    main()
