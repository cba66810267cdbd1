"""Examples found in the data as it is now, so that the Discord tests follow the data as it grows."""

from __future__ import annotations

from functools import lru_cache

import pytest

from bot.knowledge.domain import Knowledge
from bot.knowledge.interactions import interactions_of

SEPARATORS = (",", ";", " and ", " with ", " plus ", "+", "&")


def listable(knowledge: Knowledge, drug_id: str) -> bool:
    """True when the id survives being written in a comma-separated list as one name."""
    return not any(s in drug_id for s in SEPARATORS) and knowledge.split(drug_id) == [drug_id]


@lru_cache(maxsize=2)
def _busiest(knowledge: Knowledge) -> tuple[str, ...]:
    store = knowledge.store
    ids = [d for d in store.curated_ids() if listable(knowledge, d)]
    return tuple(sorted(ids, key=lambda d: (-len(interactions_of(store, d)), d)))


def busy_drugs(knowledge: Knowledge, count: int) -> list[str]:
    """`count` reviewed drugs with the most interactions: a check of them is long and needs pages."""
    ids = _busiest(knowledge)
    if len(ids) < count:
        pytest.skip(f"only {len(ids)} reviewed drugs in the store")
    return list(ids[:count])


def lookalike_query(knowledge: Knowledge) -> str:
    """A misspelling that sits between two look-alike names."""
    for query in ("hydrazine", "cyclosprine", "prednisolne", "azathiodine", "hydroxyzone", "cycloserin"):
        resolution = knowledge.names.resolve(query)
        if resolution.status == "ambiguous" and len(resolution.candidates) >= 2:
            return query
    pytest.fail("no ambiguous look-alike misspelling found in the data")


def near_miss(knowledge: Knowledge) -> str:
    """A mangled name too far from any medicine to guess, close enough for "did you mean"."""
    for drug_id in knowledge.store.curated_ids():
        name = drug_id.replace(" ", "")
        if len(name) < 9 or not name.isalpha():
            continue
        middle = len(name) // 2
        for query in (name[:middle] + "qx" + name[middle + 2 :], name[:-3] + "zzq", "x" + name[1:-2] + "qq"):
            resolution = knowledge.names.resolve(query)
            if resolution.status == "unknown" and resolution.candidates:
                return query
    pytest.fail("no near miss with suggestions")


def dictionary_only_name(knowledge: Knowledge) -> str:
    """A name that resolves, but only to a drug known from the dictionary (curated False)."""
    for name in ("xeljanz", "tofacitinib", "ozempic", "lisinopril", "metformin"):
        resolution = knowledge.names.resolve(name)
        if resolution.status == "match" and not resolution.curated:
            return name
    for alias, entries in knowledge.store.aliases.items():
        if len(alias) > 5 and all(not e.curated for e in entries):
            resolution = knowledge.names.resolve(alias)
            if resolution.status == "match" and not resolution.curated:
                return alias
    pytest.fail("no dictionary-only name in the store")
