"""The built drug store, opened read-only and held in memory for fast answers.

Everything the domain needs is loaded once at start-up: drugs, names, classes, rules and look-alikes.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from bot.knowledge.models import CLASS_PREFIX, Drug, DrugClass, InteractionRule, Severity, Source, rule_key

SCHEMA_VERSION = 4  # raised whenever the build writes a store this code could misread


class StoreError(Exception):
    """The drug store is missing or unreadable; the message says what to do."""


class AliasEntry(NamedTuple):
    """One name of a medicine. A named tuple: the store makes 100,000 of them at start-up."""

    drug: str
    display: str
    kind: str
    curated: bool


@dataclass(frozen=True)
class LookalikeName:
    name: str
    drug: str
    tall_man: str
    curated: bool


def _sources(raw: list[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(Source(**{k: str(v) for k, v in item.items()}) for item in raw)


class DrugStore:
    """Read-only, in-memory view of the built store."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        rows = connection.execute("SELECT key, value FROM meta").fetchall()
        self.meta: dict[str, str] = dict(rows)
        if self.meta.get("schema_version") != str(SCHEMA_VERSION):
            raise StoreError(
                f"the drug store was built by another version (schema {self.meta.get('schema_version')}, "
                f"this code reads {SCHEMA_VERSION}): rebuild it with `drugbot data build` (or `make run`)"
            )
        self.counts: dict[str, int] = json.loads(self.meta.get("counts", "{}"))
        self._drugs: dict[str, Drug] = {}
        self._details: dict[str, dict[str, Any]] = {}
        self._names: dict[str, tuple[str, bool, str]] = {}
        for drug_id, name, curated, kind, details in connection.execute(
            "SELECT id, name, curated, kind, details FROM drugs"
        ):
            self._names[drug_id] = (name, bool(curated), kind)
            if curated or kind == "combination":
                self._details[drug_id] = json.loads(details)
        self.aliases: dict[str, list[AliasEntry]] = defaultdict(list)
        self.names_of: dict[str, list[tuple[str, AliasEntry]]] = defaultdict(list)
        for alias, drug_id, display, kind, origin in connection.execute(
            "SELECT alias, drug_id, display, kind, origin FROM aliases ORDER BY alias, drug_id"
        ):
            entry = AliasEntry(drug_id, display, kind, origin != "dictionary")
            self.aliases[alias].append(entry)
            self.names_of[drug_id].append((alias, entry))
        self.classes: dict[str, DrugClass] = {
            cid: DrugClass(cid, name, description, bool(dup))
            for cid, name, description, dup in connection.execute(
                "SELECT id, name, description, duplicate_therapy FROM classes"
            )
        }
        # Class words ("NSAIDs", "blood thinners") are names too: they stand for a class.
        for alias, class_id, display in connection.execute(
            "SELECT alias, class_id, display FROM class_words ORDER BY alias, class_id"
        ):
            entry = AliasEntry(CLASS_PREFIX + class_id, display, "class", True)
            self.aliases[alias].append(entry)
            self.names_of[entry.drug].append((alias, entry))
        self.classes_of: dict[str, list[str]] = defaultdict(list)
        self.members_of: dict[str, list[str]] = defaultdict(list)
        for class_id, drug_id in connection.execute("SELECT class_id, drug_id FROM class_members"):
            self.classes_of[drug_id].append(class_id)
            self.members_of[class_id].append(drug_id)
        self.rules: dict[tuple[str, str], InteractionRule] = {}
        self.rules_by_side: dict[str, list[InteractionRule]] = defaultdict(list)
        for a, b, severity, happens, to_do, mechanism, sources, exception, origin in connection.execute(
            "SELECT a, b, severity, what_happens, what_to_do, mechanism, sources, exception, origin FROM rules"
        ):
            rule = InteractionRule(
                a,
                b,
                Severity(severity),
                happens,
                to_do,
                mechanism,
                _sources(json.loads(sources)),
                exception,
                origin,
            )
            self.rules[rule_key(a, b)] = rule
            self.rules_by_side[a].append(rule)
            if b != a:
                self.rules_by_side[b].append(rule)
        # Pairs prescribed together on purpose: side key -> (note, sources).
        self.pairings: dict[tuple[str, str], tuple[str, tuple[Source, ...]]] = {
            rule_key(a, b): (note, _sources(json.loads(sources)))
            for a, b, note, sources in connection.execute("SELECT a, b, note, sources FROM pairings")
        }
        self.lookalikes: dict[str, list[LookalikeName]] = defaultdict(list)
        groups: dict[int, list[LookalikeName]] = defaultdict(list)
        for group, name, drug_id, tall, origin in connection.execute(
            "SELECT group_id, name, drug_id, tall_man, origin FROM lookalikes"
        ):
            groups[group].append(LookalikeName(name, drug_id, tall, origin == "curated"))
        for members in groups.values():
            for member in members:
                self.lookalikes[member.drug] += [m for m in members if m.drug != member.drug]
        # How commonly each medicine is taken, 0..1 (Medicare Part D claims, log-scaled); only medicines
        # sold in the US are in it. The resolver's prior (names.py) uses it to break ties.
        self.popularity: dict[str, float] = dict(connection.execute("SELECT drug_id, value FROM popularity"))
        # The spelling index over every name (see spelling.py), computed when the store was built.
        self.spelling_tables: dict[str, bytes] = dict(connection.execute("SELECT part, data FROM spelling"))
        self.common_words: frozenset[str] = frozenset(
            w for (w,) in connection.execute("SELECT word FROM common_words")
        )
        self.sources: list[tuple[str, str, str, int]] = connection.execute(
            "SELECT title, publisher, url, cited_by FROM sources ORDER BY cited_by DESC, title"
        ).fetchall()

    @classmethod
    def open(cls, path: Path) -> DrugStore:
        """Open the store at `path` read-only. Raises StoreError with a fix when it is missing or stale."""
        if not path.is_file():
            raise StoreError(f"no drug store at {path}: build it with `drugbot data build` (or `make run`)")
        try:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                return cls(connection)
            finally:
                connection.close()
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"the drug store at {path} cannot be read ({error}): rebuild it with `drugbot data build`"
            ) from error

    # Drugs --------------------------------------------------------------------------------------

    def __contains__(self, drug_id: object) -> bool:
        if isinstance(drug_id, str) and drug_id.startswith(CLASS_PREFIX):
            return drug_id.removeprefix(CLASS_PREFIX) in self.classes
        return drug_id in self._names

    def name(self, drug_id: str) -> str:
        if drug_id.startswith(CLASS_PREFIX):
            return self.classes[drug_id.removeprefix(CLASS_PREFIX)].name
        return self._names[drug_id][0]

    def is_curated(self, drug_id: str) -> bool:
        """True for a reviewed entry (a drug, a combination from data/, or a class)."""
        return drug_id.startswith(CLASS_PREFIX) or self._names[drug_id][1]

    def kind_of(self, entity: str) -> str:
        """What an id names: a "class", a "combination" product or a "drug"."""
        if entity.startswith(CLASS_PREFIX):
            return "class"
        return "combination" if self._names[entity][2] == "combination" else "drug"

    def drugs_of(self, entity: str) -> list[str]:
        """The drugs an id stands for: a class's members, a combination's ingredients, or the drug."""
        if entity.startswith(CLASS_PREFIX):
            return list(self.members_of.get(entity.removeprefix(CLASS_PREFIX), ()))
        if self.kind_of(entity) == "combination":
            return list(self._details[entity]["ingredients"])
        return [entity]

    def combination_sources(self, combo_id: str) -> tuple[Source, ...]:
        return _sources(self._details[combo_id].get("sources", []))

    def curated_ids(self) -> list[str]:
        """Reviewed medicines and other interactants (not combination products)."""
        return sorted(d for d in self._details if self._names[d][2] != "combination")

    def drug(self, drug_id: str) -> Drug:
        cached = self._drugs.get(drug_id)
        if cached is not None:
            return cached
        name, curated, kind = self._names[drug_id]
        details = self._details.get(drug_id, {})
        brands = (
            details.get("brands")
            or sorted({e.display for _, e in self.names_of[drug_id] if e.kind == "brand"}, key=str.casefold)[
                :8
            ]
        )
        drug = Drug(
            id=drug_id,
            name=name,
            curated=curated,
            kind=kind,
            drug_class=details.get("drug_class", ""),
            brands=tuple(brands),
            synonyms=tuple(details.get("synonyms", ())),
            summary=details.get("summary", ""),
            uses=tuple(details.get("uses", ())),
            how_it_works=details.get("how_it_works", ""),
            common_side_effects=tuple(details.get("common_side_effects", ())),
            serious_side_effects=tuple(details.get("serious_side_effects", ())),
            cautions=tuple(details.get("cautions", ())),
            boxed_warning=tuple(details.get("boxed_warning", ())),
            sources=_sources(details.get("sources", [])),
            last_reviewed=details.get("last_reviewed", ""),
            classes=tuple(self.classes_of.get(drug_id, ())),
        )
        self._drugs[drug_id] = drug
        return drug

    def sides(self, drug_id: str) -> list[str]:
        """The rule sides a drug can appear on: itself and each class it belongs to."""
        return [f"drug:{drug_id}"] + [f"class:{c}" for c in self.classes_of.get(drug_id, ())]

    def usual_pairing(self, drug_a: str, drug_b: str) -> tuple[str, tuple[Source, ...]] | None:
        """The note and sources when two drugs are prescribed together on purpose."""
        for side_a in self.sides(drug_a):
            for side_b in self.sides(drug_b):
                found = self.pairings.get(rule_key(side_a, side_b))
                if found is not None:
                    return found
        return None

    def side_members(self, side: str) -> list[str]:
        """The drugs a rule side stands for: one drug, or every member of a class."""
        kind, _, ref = side.partition(":")
        return list(self.members_of.get(ref, ())) if kind == "class" else [ref]

    def side_name(self, side: str) -> str:
        kind, _, ref = side.partition(":")
        return self.classes[ref].name if kind == "class" else self.name(ref)
