"""Checking a list of medicines against each other: every pair, pair and class rules, worst first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from bot.knowledge.models import (
    CheckReport,
    Duplicate,
    FoundInteraction,
    InteractionRule,
    Resolution,
    rule_key,
)
from bot.knowledge.names import NameIndex
from bot.knowledge.store import DrugStore

MAX_DRUGS = 10
_LIST_SEPARATORS = re.compile(r"\s*(?:[,;+&\n]|\band\b|\bwith\b|\bplus\b)\s*", re.IGNORECASE)


def rules_between(store: DrugStore, drug_a: str, drug_b: str) -> list[InteractionRule]:
    """Every rule that applies to two different drugs, worst first, then narrowest first."""
    found: dict[tuple[str, str], InteractionRule] = {}
    for side_a in store.sides(drug_a):
        for side_b in store.sides(drug_b):
            rule = store.rules.get(rule_key(side_a, side_b))
            if rule is not None:
                found[rule.key] = rule
    return sorted(found.values(), key=lambda r: (-r.severity, _breadth(store, r), r.origin))


def _breadth(store: DrugStore, rule: InteractionRule) -> int:
    """How many drugs a rule covers: among equally severe rules the narrowest one speaks, so a pair rule
    beats a class rule and "corticosteroids + live vaccines" beats "immunosuppressants + live vaccines"."""

    def size(side: str) -> int:
        kind, _, ref = side.partition(":")
        return len(store.members_of.get(ref, ())) if kind == "class" else 1

    return size(rule.a) * size(rule.b)


def describe_rule(store: DrugStore, rule: InteractionRule) -> str:
    """Which rule an answer came from, in words: "pair rule" or "class rule: NSAIDs + ..."."""
    if not rule.is_class_rule:
        return "pair rule"
    return f"class rule: {store.side_name(rule.a)} + {store.side_name(rule.b)}"


def find_interaction(store: DrugStore, drug_a: str, drug_b: str) -> FoundInteraction | None:
    rules = rules_between(store, drug_a, drug_b)
    if not rules:
        return None
    pair = (drug_a, drug_b) if drug_a <= drug_b else (drug_b, drug_a)
    return FoundInteraction(pair, rules[0], describe_rule(store, rules[0]), tuple(rules[1:]))


def interactions_of(store: DrugStore, drug_id: str) -> list[FoundInteraction]:
    """Every curated drug that has a rule with `drug_id`: worst first, then narrowest rule first."""
    found = []
    for other in store.curated_ids():
        if other != drug_id:
            interaction = find_interaction(store, drug_id, other)
            if interaction is not None:
                found.append(interaction)
    return sorted(found, key=lambda f: (-f.severity, _breadth(store, f.rule), store.name(_other(f, drug_id))))


@dataclass(frozen=True)
class RuleGroup:
    """One rule and every curated drug it gives for a drug: "live vaccines: MMR, BCG, varicella"."""

    rule: InteractionRule
    other_side: str
    partners: tuple[str, ...]


def grouped_interactions_of(store: DrugStore, drug_id: str) -> list[RuleGroup]:
    """`interactions_of`, with the drugs that the same rule covers gathered together, in the same order."""
    groups: dict[tuple[str, str], list[str]] = {}
    rules: dict[tuple[str, str], InteractionRule] = {}
    for found in interactions_of(store, drug_id):
        groups.setdefault(found.rule.key, []).append(_other(found, drug_id))
        rules[found.rule.key] = found.rule
    mine = set(store.sides(drug_id))
    out = []
    for key, partners in groups.items():
        rule = rules[key]
        other_side = rule.b if rule.a in mine else rule.a
        out.append(RuleGroup(rule, other_side, tuple(partners)))
    return out


def _other(found: FoundInteraction, drug_id: str) -> str:
    return found.drugs[1] if found.drugs[0] == drug_id else found.drugs[0]


def check_resolved(store: DrugStore, resolutions: list[Resolution]) -> CheckReport:
    """Check already-resolved names: duplicates, every pair's worst rule, and pairs with no record."""
    matched = [r for r in resolutions if r.status == "match" and r.drug]
    unresolved = tuple(r for r in resolutions if r.status != "match")
    duplicates: list[Duplicate] = []
    by_drug: dict[str, list[Resolution]] = {}
    for resolution in matched:
        by_drug.setdefault(resolution.drug or "", []).append(resolution)
    for drug_id, same in by_drug.items():
        if len(same) > 1:
            names = tuple(r.query for r in same)
            duplicates.append(Duplicate((drug_id,), names, f"all of these are {store.name(drug_id)}"))
    drugs = list(by_drug)
    interactions: list[FoundInteraction] = []
    no_record: list[tuple[str, str]] = []
    for drug_a, drug_b in combinations(drugs, 2):
        shared = set(store.classes_of.get(drug_a, ())) & set(store.classes_of.get(drug_b, ()))
        for class_id in sorted(c for c in shared if store.classes[c].duplicate_therapy)[:1]:
            duplicates.append(
                Duplicate(
                    (drug_a, drug_b),
                    (store.name(drug_a), store.name(drug_b)),
                    f"both are {store.classes[class_id].name}",
                )
            )
        found = find_interaction(store, drug_a, drug_b)
        if found is None:
            no_record.append((drug_a, drug_b))
        else:
            interactions.append(found)
    interactions.sort(key=lambda f: (-f.severity, f.drugs))
    return CheckReport(
        tuple(resolutions), tuple(interactions), tuple(duplicates), unresolved, tuple(no_record)
    )


def check_names(index: NameIndex, names: list[str]) -> CheckReport:
    """Resolve each name, then check them together."""
    return check_resolved(index.store, [index.resolve(name) for name in names])


def split_names(index: NameIndex, text: str) -> list[str]:
    """The medicine names in "imuran, allopurinol and bactrim" or "imuran allopurinol".

    Commas, semicolons, "and", "with" and "+" separate names. Without any separator, words are split,
    then adjacent words that together form a known name ("mycophenolate mofetil") are joined again.
    """
    parts = [p for p in _LIST_SEPARATORS.split(text) if p and p.strip()]
    if len(parts) != 1:
        return [p.strip() for p in parts]
    words = parts[0].split()
    names: list[str] = []
    i = 0
    while i < len(words):
        for length in range(len(words) - i, 0, -1):
            phrase = " ".join(words[i : i + length])
            if length == 1 or index.is_known_name(phrase):
                names.append(phrase)
                i += length
                break
    return names
