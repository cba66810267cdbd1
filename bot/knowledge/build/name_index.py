"""What the build precomputes for name resolution, so that start-up only reads it:

- the spelling index over every name (letter pairs and sound keys: see bot/knowledge/spelling.py);
- each medicine's popularity, 0..1, from data/derived/popularity.tsv (US market and Medicare Part D
  claims, log-scaled): the resolver's tie-breaking prior. A medicine missing from it (newer, infused,
  or not sold in the US) simply has no popularity: the prior has a floor, never a penalty.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

from bot.knowledge.build.derived import read_table
from bot.knowledge.normalise import lookup_keys
from bot.knowledge.spelling import SpellingIndex, names_digest
from bot.knowledge.store import DrugStore

POPULARITY = Path("derived") / "popularity.tsv"


def popularity(store: DrugStore, table: Path) -> dict[str, float]:
    if not table.is_file():
        return {}
    claims: dict[str, int] = {}
    for row in read_table(table):
        drugs = {e.drug for key in lookup_keys(row["name"]) for e in store.aliases.get(key, ())}
        for drug in drugs:
            claims[drug] = max(claims.get(drug, 0), int(row["claims"]))
    top = math.log10(max(claims.values(), default=0) + 1) or 1.0
    return {drug: round(math.log10(count + 1) / top, 4) for drug, count in claims.items()}


def write_name_index(store_path: Path, data_root: Path) -> int:
    """Add the spelling index and the popularity prior to a freshly written store; how many medicines
    have a popularity."""
    store = DrugStore.open(store_path)
    names = sorted(store.aliases)
    tables = SpellingIndex.build(names).to_tables(names)
    tables["names"] = names_digest(names)
    popular = popularity(store, data_root / POPULARITY)
    with sqlite3.connect(store_path) as connection:
        connection.executemany("INSERT INTO spelling (part, data) VALUES (?, ?)", tables.items())
        connection.executemany("INSERT INTO popularity (drug_id, value) VALUES (?, ?)", popular.items())
    connection.close()
    return len(popular)
