"""`drugbot data build`: validate the curated sources and write the SQLite drug store.

The store is written to a temporary file beside the target and moved into place only when complete, so
a broken source never leaves a half-written store behind.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sqlite3
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wordfreq import top_n_list

from bot.knowledge.build.audit import audit, read_exceptions, summarise
from bot.knowledge.build.card_gaps import EXCEPTIONS_FILE as CARD_EXCEPTIONS
from bot.knowledge.build.card_gaps import card_gaps, read_card_exceptions
from bot.knowledge.build.curated import (
    FDA_COMBINATIONS,
    NON_MEDICINES,
    CuratedData,
    DataError,
    Problem,
    curated_aliases,
    name_forms,
    read_curated,
)
from bot.knowledge.build.derived import read_table
from bot.knowledge.build.dictionary import NameDictionary, load_dictionary
from bot.knowledge.build.lookalike import auto_lookalike_pairs, tall_man_pair
from bot.knowledge.build.name_index import write_name_index
from bot.knowledge.domain import Knowledge
from bot.knowledge.normalise import normalise, strip_salts
from bot.knowledge.store import SCHEMA_VERSION

_COMBINATION_SPLIT = re.compile(r"\s*(?:/|,\s*and\s+|,|\band\b|\bwith\b)\s*")
COMMON_WORDS = 50_000  # stored for the chat check: no fuzzy matching on these
CHAT_WORDS = "chat-words.txt"  # ...nor on these words of patient communities' chat


def read_chat_words(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


ORDINARY_WORDS = 5_000  # a name shortened to one of these is not indexed ("the pill" -> "the")

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE drugs (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, curated INTEGER NOT NULL, kind TEXT NOT NULL,
    details TEXT NOT NULL
);
CREATE TABLE aliases (
    alias TEXT NOT NULL, drug_id TEXT NOT NULL REFERENCES drugs(id), display TEXT NOT NULL,
    kind TEXT NOT NULL, origin TEXT NOT NULL, PRIMARY KEY (alias, drug_id)
);
CREATE TABLE classes (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, duplicate_therapy INTEGER NOT NULL
);
CREATE TABLE class_members (
    class_id TEXT NOT NULL REFERENCES classes(id), drug_id TEXT NOT NULL REFERENCES drugs(id),
    PRIMARY KEY (class_id, drug_id)
);
CREATE TABLE rules (
    id INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, severity INTEGER NOT NULL,
    what_happens TEXT NOT NULL, what_to_do TEXT NOT NULL, mechanism TEXT NOT NULL, sources TEXT NOT NULL,
    exception TEXT NOT NULL, origin TEXT NOT NULL
);
CREATE TABLE lookalikes (
    group_id INTEGER NOT NULL, name TEXT NOT NULL, drug_id TEXT NOT NULL, tall_man TEXT NOT NULL,
    origin TEXT NOT NULL
);
CREATE TABLE class_words (
    alias TEXT NOT NULL, class_id TEXT NOT NULL REFERENCES classes(id), display TEXT NOT NULL,
    PRIMARY KEY (alias, class_id)
);
CREATE TABLE pairings (a TEXT NOT NULL, b TEXT NOT NULL, note TEXT NOT NULL, sources TEXT NOT NULL);
CREATE TABLE common_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE spelling (part TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE popularity (drug_id TEXT PRIMARY KEY, value REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE sources (title TEXT PRIMARY KEY, publisher TEXT NOT NULL, url TEXT NOT NULL, cited_by INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class BuildSummary:
    path: Path | None
    data_version: str
    counts: dict[str, int]


@dataclass
class _Alias:
    display: str
    kind: str
    origin: str


class _Plan:
    """Everything that will be written, worked out and validated before the file is touched."""

    def __init__(self, data: CuratedData, dictionary: NameDictionary, data_root: Path) -> None:
        self.data = data
        self.data_root = data_root
        self.dictionary = dictionary
        self.problems: list[Problem] = []
        self.drug_names: dict[str, str] = {d.id: d.name for d in data.drugs.values()}
        self.aliases: dict[str, dict[str, _Alias]] = defaultdict(dict)
        self.members: dict[str, set[str]] = defaultdict(set)
        self.lookalike_groups: list[list[tuple[str, str, str, str]]] = []
        # Combination products by id: ingredients, sources, brands and where the entry came from.
        self.combinations: dict[str, dict[str, Any]] = {}
        self.combination_of: dict[tuple[str, ...], str] = {}  # sorted ingredients -> combination id
        self.class_words: list[tuple[str, str, str]] = []  # (index form, class id, as written)
        self.non_medicines = frozenset(row["name"] for row in read_table(data_root / NON_MEDICINES))
        # Dictionary generics that differ only by a dose form ("nitroglycerin patch") are one drug.
        self.plain_generics = {c for c in dictionary.canonical_names if normalise(c) == c}
        # English words by frequency (wordfreq): the most common ones must never be a name on their own.
        self.english = top_n_list("en", COMMON_WORDS) + read_chat_words(data_root / CHAT_WORDS)
        self.ordinary = {w for w in self.english[:ORDINARY_WORDS] if w.isalpha()}

    def run(self, fda_brands: dict[str, set[str]] | None = None) -> None:
        self._curated_aliases()
        self._curated_combinations()
        self._extra_names()
        if fda_brands:
            self._fda_aliases(fda_brands)
        self._fda_combinations()
        self._dictionary_aliases()
        self._classes()
        self._class_words()
        self._rules()
        self._lookalikes()

    def _curated_aliases(self) -> None:
        shared = {normalise(s.name): set(s.drugs) for s in self.data.shared_names}
        owner: dict[str, str] = {}
        names = [(drug, *name) for drug in self.data.drugs.values() for name in curated_aliases(drug)]
        # Full names first: a name without its form words ("typhoid vaccine" from "oral typhoid vaccine")
        # is only a convenience, and gives way to any other medicine's name.
        for drug, alias, display, kind, shortened in sorted(names, key=lambda n: n[4]):
            other = owner.get(alias)
            allowed = {other, drug.id} <= shared.get(alias, set())
            if shortened and (
                (other and other != drug.id and not allowed) or len(alias) <= 3 or alias in self.ordinary
            ):
                continue  # "the pill" without "pill" is "the": only the full name is indexed
            if other and other != drug.id and not allowed:
                self.problems.append(
                    Problem(
                        drug.file,
                        f"drug '{drug.id}'",
                        f"name {display!r} also belongs to '{other}' ({self.data.drugs[other].file}); declare it in lookalikes.toml [[shared_name]] if it really means both",
                    )
                )
                continue
            owner.setdefault(alias, drug.id)
            self.aliases[alias][drug.id] = _Alias(display, kind, "curated")
        for entry in self.data.shared_names:
            alias = normalise(entry.name)
            for drug_id in entry.drugs:
                target = self._known_drug(drug_id)
                if target is None:
                    self.problems.append(
                        Problem(
                            "data/lookalikes.toml",
                            f"shared_name '{entry.name}'",
                            f"unknown drug '{drug_id}'",
                            entry.line,
                        )
                    )
                    continue
                self.aliases[alias].setdefault(target, _Alias(entry.name, "synonym", "curated"))

    def _fda_aliases(self, fda_brands: dict[str, set[str]]) -> None:
        """US brand names from Drugs@FDA for curated generics; a name another drug already has is skipped."""
        for generic, brands in fda_brands.items():
            targets = [
                d for d, a in self.aliases.get(normalise(generic), {}).items() if a.origin == "curated"
            ]
            if len(targets) != 1:
                continue
            for brand in sorted(brands):
                alias = normalise(brand)
                owners = self.aliases.get(alias, {})
                if alias and not owners:
                    self.aliases[alias][targets[0]] = _Alias(brand.title(), "brand", "drugsatfda")

    # Combination products --------------------------------------------------------------------

    def _ingredient(self, name: str) -> str | None:
        """The drug id an ingredient name means: a curated drug, else a dictionary generic."""
        norm = normalise(name)
        for key in (norm, strip_salts(norm)):
            curated = {d for d, a in self.aliases.get(key, {}).items() if a.origin == "curated"}
            curated -= self.combinations.keys()
            if len(curated) == 1:
                return curated.pop()
            known = self._known_drug(key)
            if known is not None:
                return known
            canonicals = self.dictionary.variant_to_canonicals.get(key, [])
            if len(canonicals) == 1:
                return self._dictionary_target(canonicals[0])[0]
        return None

    def _add_combination(
        self, name: str, ingredients: list[str], origin: str, sources: list[dict[str, str]]
    ) -> str:
        """The combination with these ingredients, made if new; its id is its name in lower case."""
        wanted = tuple(sorted(set(ingredients)))
        if wanted in self.combination_of:
            return self.combination_of[wanted]
        combo_id = " ".join(name.lower().split())
        self.combination_of[wanted] = combo_id
        self.drug_names[combo_id] = name
        self.combinations[combo_id] = {
            "ingredients": list(dict.fromkeys(ingredients)),
            "sources": sources,
            "origin": origin,
        }
        return combo_id

    def _curated_combinations(self) -> None:
        for combo in self.data.combinations:
            entry = f"combination '{combo.name}'"
            ingredients = []
            for name in combo.ingredients:
                target = self._ingredient(name)
                if target is None:
                    self.problems.append(
                        Problem(combo.file, entry, f"unknown ingredient {name!r}", combo.line)
                    )
                else:
                    ingredients.append(target)
            if len(ingredients) != len(combo.ingredients):
                continue
            combo_id = self._add_combination(
                combo.name, ingredients, "curated", [asdict(s) for s in combo.sources]
            )
            named = [(combo.name, "generic"), *((b, "brand") for b in combo.brands)]
            named += [(s, "synonym") for s in combo.synonyms]
            for text, kind in named:
                for alias, shortened in name_forms(text):
                    if shortened and self._not_worth_indexing(alias, combo_id):
                        continue
                    owners = [d for d in self.aliases.get(alias, {}) if d != combo_id]
                    if owners:
                        self.problems.append(
                            Problem(
                                combo.file, entry, f"name {text!r} already belongs to {owners}", combo.line
                            )
                        )
                    elif alias:
                        self.aliases[alias][combo_id] = _Alias(text, kind, "curated")

    def _extra_names(self) -> None:
        """data/names.toml: reviewed names for medicines known otherwise only from the dictionary."""
        for item in self.data.extra_names:
            entry = f"names for '{item.drug}'"
            owners = list(self.aliases.get(normalise(item.drug), {}))
            target = owners[0] if len(owners) == 1 else self._known_drug(item.drug)
            if target is None:
                self.problems.append(Problem("data/names.toml", entry, "is not a known medicine", item.line))
                continue
            for name, (alias, shortened) in ((n, f) for n in item.names for f in name_forms(n)):
                if shortened and self._not_worth_indexing(alias, target):
                    continue
                others = [
                    d
                    for d, a in self.aliases.get(alias, {}).items()
                    if d != target and a.origin != "dictionary"
                ]
                if others:
                    self.problems.append(
                        Problem(
                            "data/names.toml", entry, f"name {name!r} already belongs to {others}", item.line
                        )
                    )
                elif alias:
                    self.aliases[alias] = {target: _Alias(name, "brand", "curated")}

    def _fda_combinations(self) -> None:
        """Drugs@FDA combination products (the committed derived table): each name means its ingredients."""
        for row in read_table(self.data_root / FDA_COMBINATIONS):
            ingredients = [self._ingredient(i) for i in row["ingredients"].split(";")]
            if None in ingredients or len(set(ingredients)) < 2:
                continue
            found = [i for i in ingredients if i is not None]
            generic = " and ".join(self.drug_names.get(i, i) for i in found)
            source = {"title": "Drugs@FDA product list (US FDA)", "sections": f"{row['product'].title()}"}
            combo_id = self._add_combination(generic, found, "drugsatfda", [source])
            alias = normalise(row["product"])
            if alias and not self.aliases.get(alias):
                self.aliases[alias][combo_id] = _Alias(row["product"].title(), "brand", "drugsatfda")

    def _dictionary_combination(self, canonical: str) -> str | None:
        """A dictionary generic written as a combination ("aspirin/paracetamol/caffeine"), split."""
        parts = [p for p in _COMBINATION_SPLIT.split(canonical) if p.strip()]
        if len(parts) < 2:
            return None
        ingredients = [self._ingredient(p) for p in parts]
        if None in ingredients or len(set(ingredients)) < 2:
            return None
        found = [i for i in ingredients if i is not None]
        return self._add_combination(
            " and ".join(self.drug_names.get(i, i) for i in found), found, "dictionary", []
        )

    # Class words -------------------------------------------------------------------------------

    def _class_words(self) -> None:
        for item in self.data.class_words:
            for word, (alias, shortened) in ((w, f) for w in item.words for f in name_forms(w)):
                owners = [d for d, a in self.aliases.get(alias, {}).items() if a.origin != "dictionary"]
                if shortened and (owners or self._not_worth_indexing(alias, "")):
                    continue
                if owners:
                    self.problems.append(
                        Problem(
                            "data/class-words.toml",
                            f"class word {word!r}",
                            f"is already a name of {owners}",
                            item.line,
                        )
                    )
                    continue
                # A dictionary heading for the same idea ("anti-inflammatory agents, non-steroidal") gives way.
                self.aliases.pop(alias, None)
                for class_id in item.classes:
                    self.class_words.append((alias, class_id, word))

    def _not_worth_indexing(self, shortened: str, owner: str) -> bool:
        """A name without its form words is only a convenience: not when it is an ordinary word ("water
        tablet" -> "water"), very short, or another medicine's name."""
        others = [
            d for d, a in self.aliases.get(shortened, {}).items() if d != owner and a.origin != "dictionary"
        ]
        return bool(others) or len(shortened) <= 3 or shortened in self.ordinary

    def _known_drug(self, name: str) -> str | None:
        """The drug id a curated reference means: a curated id, or a dictionary generic."""
        if name in self.data.drugs:
            return name
        for candidate in (name, name.lower()):
            if candidate in self.dictionary.canonical_names:
                return self._dictionary_target(candidate)[0]
        return None

    def _dictionary_target(self, canonical: str) -> list[str]:
        """Curated drugs a dictionary generic means (by a curated name), else the generic itself."""
        norm = normalise(canonical)
        for key in (norm, strip_salts(norm)):
            curated = [d for d, a in self.aliases.get(key, {}).items() if a.origin == "curated"]
            if curated:
                return curated
        canonical = norm if norm in self.plain_generics else canonical
        self.drug_names.setdefault(canonical, canonical)
        return [canonical]

    def _dictionary_aliases(self) -> None:
        """Names from the dictionary, except those that are not medicines (data/derived/non-medicines.tsv)."""
        excluded = self.non_medicines
        split = {
            c: combo for c in self.dictionary.canonical_names if (combo := self._dictionary_combination(c))
        }
        for variant, all_canonicals in self.dictionary.variant_to_canonicals.items():
            canonicals = [c for c in all_canonicals if c not in excluded]
            alias = normalise(variant)
            if not alias or any(a.origin != "dictionary" for a in self.aliases.get(alias, {}).values()):
                continue
            kind = "brand" if variant in self.dictionary.brands else "dictionary"
            for canonical in canonicals:
                for target in (
                    [split[canonical]] if canonical in split else self._dictionary_target(canonical)
                ):
                    display = variant if kind != "brand" else variant.title()
                    self.aliases[alias].setdefault(target, _Alias(display, kind, "dictionary"))
        for canonical in self.dictionary.canonical_names:
            alias = normalise(canonical)
            if alias and alias not in self.aliases and canonical not in excluded:
                for target in (
                    [split[canonical]] if canonical in split else self._dictionary_target(canonical)
                ):
                    self.aliases[alias].setdefault(target, _Alias(canonical, "generic", "dictionary"))

    def _classes(self) -> None:
        for drug in self.data.drugs.values():
            for class_id in drug.interaction_classes:
                if class_id not in self.data.classes:
                    self.problems.append(
                        Problem(drug.file, f"drug '{drug.id}'", f"unknown interaction class '{class_id}'")
                    )
                else:
                    self.members[class_id].add(drug.id)
        for class_id, definition in self.data.classes.items():
            entry = f"class '{class_id}'"
            for member in definition.extra_members:
                name = member.name
                targets = list(self.aliases.get(normalise(name), {}))
                if not targets:
                    self.problems.append(
                        Problem(
                            definition.file,
                            entry,
                            f"extra member {name!r} is not a known drug name",
                            definition.line,
                        )
                    )
                elif len(targets) > 1:
                    self.problems.append(
                        Problem(
                            definition.file,
                            entry,
                            f"extra member {name!r} names several drugs: {targets}",
                            definition.line,
                        )
                    )
                else:
                    self.members[class_id].add(targets[0])
            if not self.members[class_id]:
                self.problems.append(Problem(definition.file, entry, "has no members", definition.line))

    def _rules(self) -> None:
        """Validate the rules. A side may name a medicine known only from the dictionary (acitretin):
        the rule then reaches it by its dictionary id."""
        seen: dict[tuple[str, str], str] = {}
        self.data.rules = [
            replace(rule, a=self._rule_side(rule.a), b=self._rule_side(rule.b)) for rule in self.data.rules
        ]
        for rule in self.data.rules:
            file, _, line = rule.origin.partition(":")
            entry = f"interaction ({rule.a.split(':', 1)[1]} + {rule.b.split(':', 1)[1]})"
            for side in (rule.a, rule.b):
                kind, _, ref = side.partition(":")
                if kind == "drug" and ref not in self.drug_names:
                    self.problems.append(
                        Problem(file, entry, f"unknown drug '{ref}'", int(line) if line else None)
                    )
                if kind == "class" and ref not in self.data.classes:
                    self.problems.append(
                        Problem(file, entry, f"unknown class '{ref}'", int(line) if line else None)
                    )
            if rule.a == rule.b and rule.a.startswith("drug:"):
                self.problems.append(
                    Problem(file, entry, "a drug cannot interact with itself", int(line) if line else None)
                )
            if rule.key in seen:
                self.problems.append(
                    Problem(
                        file,
                        entry,
                        f"the same two sides already have a rule at {seen[rule.key]}",
                        int(line) if line else None,
                    )
                )
            seen.setdefault(rule.key, rule.origin)

    def _rule_side(self, side: str) -> str:
        kind, _, ref = side.partition(":")
        if kind != "drug" or ref in self.data.drugs:
            return side
        known = self._known_drug(ref)
        return f"drug:{known}" if known is not None else side

    def _lookalikes(self) -> None:
        for group in self.data.lookalikes:
            rows = []
            for name, tall in zip(group.names, group.tall_man, strict=True):
                targets = list(self.aliases.get(normalise(name), {}))
                if not targets:
                    self.problems.append(
                        Problem(
                            "data/lookalikes.toml",
                            f"lookalike {group.names}",
                            f"{name!r} is not a known drug name",
                            group.line,
                        )
                    )
                rows += [(normalise(name), target, tall, "curated") for target in targets]
            if len({r[1] for r in rows}) > 1:
                self.lookalike_groups.append(rows)
        curated_names = {
            alias: next(iter(owners))
            for alias, owners in self.aliases.items()
            if len(owners) == 1
            and any(a.origin == "curated" and a.kind in ("generic", "brand") for a in owners.values())
        }
        other_names = {
            alias: next(iter(owners))
            for alias, owners in self.aliases.items()
            if len(owners) == 1 and any(a.kind in ("generic", "brand") for a in owners.values())
        }
        for name_a, name_b in auto_lookalike_pairs(curated_names, other_names):
            tall_a, tall_b = tall_man_pair(name_a, name_b)
            self.lookalike_groups.append(
                [
                    (name_a, curated_names[name_a], tall_a, "auto"),
                    (name_b, other_names[name_b], tall_b, "auto"),
                ]
            )


def _data_version(data: CuratedData) -> str:
    digest = hashlib.sha256()
    for path in sorted(data.files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    newest = max((d.last_reviewed for d in data.drugs.values() if d.last_reviewed), default="0000-00-00")
    return f"{newest}+{digest.hexdigest()[:10]}"


def read_fda_brands(products: Path) -> dict[str, set[str]]:
    """Single-ingredient brand names by normalised ingredient, from a Drugs@FDA Products.txt file."""
    brands: dict[str, set[str]] = defaultdict(set)
    with products.open(encoding="latin-1", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            ingredient = row.get("ActiveIngredient") or ""
            if ";" in ingredient:
                continue  # combination products are not a brand of either ingredient
            generic = strip_salts(normalise(ingredient))
            if generic and strip_salts(normalise(row.get("DrugName") or "")) != generic:
                brands[generic].add(row["DrugName"])
    return brands


def validate(
    root: Path, dictionary: NameDictionary | None = None, fda_products: Path | None = None
) -> tuple[_Plan, list[Problem]]:
    data, problems = read_curated(root)
    plan = _Plan(data, dictionary or load_dictionary(), root)
    plan.run(read_fda_brands(fda_products) if fda_products and fda_products.is_file() else None)
    return plan, problems + plan.problems


def build(
    root: Path,
    output: Path | None,
    *,
    dictionary: NameDictionary | None = None,
    fda_products: Path | None = None,
    ndfrt: Path | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildSummary:
    """Validate `root` and, when `output` is given, write the store there. Raises DataError.

    `fda_products`, a Drugs@FDA Products.txt, adds US brand names for curated generics when given.
    `ndfrt`, the VA NDF-RT interaction list, is audited against the new store and the figures recorded
    in it (for /about) when given.
    """
    progress(f"reading curated sources in {root}")
    if fda_products and fda_products.is_file():
        progress(f"adding US brand names from {fda_products}")
    else:
        progress(
            f"optional source not found: Drugs@FDA Products.txt ({fda_products}); US brand names of reviewed "
            "medicines from it are left out (pass --fda-products PATH to add them)"
        )
    plan, problems = validate(root, dictionary, fda_products)
    if problems:
        raise DataError(problems)
    data = plan.data
    version = _data_version(data)
    counts = {
        "curated_drugs": sum(1 for d in data.drugs.values() if d.kind == "drug"),
        "non_drug_interactants": sum(1 for d in data.drugs.values() if d.kind != "drug"),
        "dictionary_drugs": len(plan.drug_names) - len(data.drugs) - len(plan.combinations),
        "aliases": sum(len(v) for v in plan.aliases.values()),
        "curated_aliases": sum(1 for v in plan.aliases.values() for a in v.values() if a.origin == "curated"),
        "fda_brand_aliases": sum(
            1 for v in plan.aliases.values() for a in v.values() if a.origin == "drugsatfda"
        ),
        "pair_rules": sum(1 for r in data.rules if not r.is_class_rule),
        "class_rules": sum(1 for r in data.rules if r.is_class_rule),
        "classes": len(data.classes),
        "class_words": len({w for w, _, _ in plan.class_words}),
        "curated_combinations": sum(1 for c in plan.combinations.values() if c["origin"] == "curated"),
        "fda_combinations": sum(1 for c in plan.combinations.values() if c["origin"] == "drugsatfda"),
        "non_medicines_excluded": len(plan.non_medicines & plan.dictionary.canonical_names.keys()),
        "dictionary_combinations": sum(1 for c in plan.combinations.values() if c["origin"] == "dictionary"),
        "lookalike_groups": len(plan.lookalike_groups),
    }
    # The store is written to a temporary file first, also for `data check`: some checks (cards that
    # name a medicine with no rule) read the built store.
    scratch = tempfile.TemporaryDirectory() if output is None else None
    target = Path(scratch.name) / "check.sqlite3" if scratch is not None else output
    assert target is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        progress(f"writing {sum(counts.values())} records to {target}")
        _write(temporary, plan, version, counts)
        progress("indexing names for misspellings (letter pairs, sounds) and their popularity")
        write_name_index(temporary, root)
        progress("checking that every card's cautions agree with the rules")
        _check_card_gaps(temporary, plan, root)
        if output is None:
            return BuildSummary(None, version, counts)
        if not (ndfrt and ndfrt.is_file()):
            progress(
                f"optional source not found: VA NDF-RT interaction list ({ndfrt}); /about will not show "
                "the audit figures"
            )
        if ndfrt and ndfrt.is_file():
            progress(f"auditing the store against {ndfrt}")
            _record_audit(temporary, ndfrt, root / "audit-exceptions.toml")
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
        if scratch is not None:
            scratch.cleanup()
    return BuildSummary(output, version, counts)


def _check_card_gaps(store: Path, plan: _Plan, root: Path) -> None:
    """A reviewed card whose cautions name a medicine with no rule between them fails the build."""
    knowledge = Knowledge.open(store)
    gaps = card_gaps(knowledge, read_card_exceptions(root / CARD_EXCEPTIONS))
    if gaps:
        raise DataError(
            [
                Problem(
                    plan.data.drugs[gap.drug].file,
                    f"drug '{gap.drug}'",
                    f"its cautions name {knowledge.store.name(gap.named)!r} but no rule joins them: add a rule, "
                    f"or record why not in data/{CARD_EXCEPTIONS} ({gap.text[:80]!r})",
                )
                for gap in gaps
            ]
        )


def _record_audit(store: Path, ndfrt: Path, exceptions: Path) -> None:
    rows = audit(Knowledge.open(store), ndfrt, read_exceptions(exceptions))
    with sqlite3.connect(store) as connection:
        connection.execute("INSERT INTO meta VALUES ('audit', ?)", (json.dumps(summarise(rows)),))
    connection.close()


def _write(path: Path, plan: _Plan, version: str, counts: dict[str, int]) -> None:
    data = plan.data
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "data_version": version,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "dictionary_source": plan.dictionary.source,
            "fda_products": "Drugs@FDA Products.txt" if counts["fda_brand_aliases"] else "",
            "counts": json.dumps(counts),
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        drug_rows = []
        for drug_id, name in plan.drug_names.items():
            curated = data.drugs.get(drug_id)
            combination = plan.combinations.get(drug_id)
            if combination is not None:
                drug_rows.append(
                    (
                        drug_id,
                        name,
                        int(combination["origin"] == "curated"),
                        "combination",
                        json.dumps(combination),
                    )
                )
                continue
            details = (
                {}
                if curated is None
                else {
                    key: value
                    for key, value in asdict(curated).items()
                    if key not in ("id", "name", "kind", "file", "misspellings", "interaction_classes")
                }
            )
            drug_rows.append(
                (
                    drug_id,
                    name,
                    int(curated is not None),
                    curated.kind if curated else "drug",
                    json.dumps(details),
                )
            )
        connection.executemany("INSERT INTO drugs VALUES (?, ?, ?, ?, ?)", drug_rows)
        connection.executemany(
            "INSERT INTO aliases VALUES (?, ?, ?, ?, ?)",
            (
                (alias, drug_id, a.display, a.kind, a.origin)
                for alias, owners in plan.aliases.items()
                for drug_id, a in owners.items()
            ),
        )
        connection.executemany(
            "INSERT INTO classes VALUES (?, ?, ?, ?)",
            (
                (c.cls.id, c.cls.name, c.cls.description, int(c.cls.duplicate_therapy))
                for c in data.classes.values()
            ),
        )
        connection.executemany(
            "INSERT INTO class_words VALUES (?, ?, ?)",
            {
                (alias, class_id): (alias, class_id, word) for alias, class_id, word in plan.class_words
            }.values(),
        )
        connection.executemany(
            "INSERT INTO pairings VALUES (?, ?, ?, ?)",
            ((p.a, p.b, p.note, json.dumps([asdict(s) for s in p.sources])) for p in data.pairings),
        )
        connection.executemany(
            "INSERT INTO class_members VALUES (?, ?)",
            (
                (class_id, drug_id)
                for class_id, members in plan.members.items()
                for drug_id in sorted(members)
            ),
        )
        connection.executemany(
            "INSERT INTO rules (a, b, severity, what_happens, what_to_do, mechanism, sources, exception, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    r.a,
                    r.b,
                    int(r.severity),
                    r.what_happens,
                    r.what_to_do,
                    r.mechanism,
                    json.dumps([asdict(s) for s in r.sources]),
                    r.exception,
                    r.origin,
                )
                for r in data.rules
            ),
        )
        connection.executemany(
            "INSERT INTO lookalikes VALUES (?, ?, ?, ?, ?)",
            (
                (n, name, drug_id, tall, origin)
                for n, group in enumerate(plan.lookalike_groups)
                for name, drug_id, tall, origin in group
            ),
        )
        curated_words = {
            alias
            for alias, owners in plan.aliases.items()
            if any(a.origin == "curated" for a in owners.values())
        }
        connection.executemany(
            "INSERT INTO common_words VALUES (?)",
            ((w,) for w in sorted({w for w in plan.english if w.isalpha()} - curated_words)),
        )
        cited = Counter(s for drug in data.drugs.values() for s in drug.sources)
        first_of_title = {s.title: s for s in cited}
        connection.executemany(
            "INSERT INTO sources VALUES (?, ?, ?, ?)",
            (
                (t, s.publisher, s.url, sum(n for x, n in cited.items() if x.title == t))
                for t, s in first_of_title.items()
            ),
        )
        connection.execute("CREATE INDEX aliases_by_drug ON aliases (drug_id)")
        connection.commit()
    finally:
        connection.close()
