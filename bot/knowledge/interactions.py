"""Checking a list of medicines against each other: every pair, pair and class rules, worst first."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Literal

from bot.knowledge.models import (
    CheckReport,
    Duplicate,
    FoundInteraction,
    InteractionRule,
    Resolution,
    Subject,
    rule_key,
)
from bot.knowledge.names import NameIndex
from bot.knowledge.store import DrugStore

_LIST_SEPARATORS = re.compile(r"(\s*(?:[,;+&/\n]|\band\b|\bwith\b|\bplus\b)\s*)", re.IGNORECASE)


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


def partners_of(store: DrugStore, drug_id: str) -> set[str]:
    """Every drug, reviewed or known by name only, that some rule joins to `drug_id`."""
    partners: set[str] = set()
    for side in store.sides(drug_id):
        for rule in store.rules_by_side.get(side, ()):
            partners.update(store.side_members(rule.b if rule.a == side else rule.a))
    partners.discard(drug_id)
    return partners


def interactions_of(store: DrugStore, drug_id: str) -> list[FoundInteraction]:
    """Every drug that has a rule with `drug_id`: worst first, then narrowest rule first, then by name."""
    found = [f for other in partners_of(store, drug_id) if (f := find_interaction(store, drug_id, other))]
    return sorted(found, key=lambda f: (-f.severity, _breadth(store, f.rule), store.name(_other(f, drug_id))))


@dataclass(frozen=True)
class RuleGroup:
    """One rule and every drug it gives for a drug: "live vaccines: MMR, BCG, varicella"."""

    rule: InteractionRule
    other_side: str
    partners: tuple[str, ...]


def grouped_interactions_of(store: DrugStore, drug_id: str) -> list[RuleGroup]:
    """`interactions_of`, with the drugs that the same rule covers gathered together, in the same order.

    A partner with two equally severe rules (citalopram + ondansetron: serotonin and QT) is listed under
    both, so that neither warning is hidden behind the other.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    rules: dict[tuple[str, str], InteractionRule] = {}
    for found in interactions_of(store, drug_id):
        for rule in (found.rule, *(r for r in found.also if r.severity == found.severity)):
            groups.setdefault(rule.key, []).append(_other(found, drug_id))
            rules[rule.key] = rule
    mine = set(store.sides(drug_id))
    out = []
    for key, partners in groups.items():
        rule = rules[key]
        other_side = rule.b if rule.a in mine else rule.a
        out.append(RuleGroup(rule, other_side, tuple(partners)))
    return sorted(out, key=lambda g: (-g.rule.severity, _breadth(store, g.rule)))


def _other(found: FoundInteraction, drug_id: str) -> str:
    return found.drugs[1] if found.drugs[0] == drug_id else found.drugs[0]


def subject_of(store: DrugStore, resolution: Resolution) -> Subject | None:
    """What a resolved name stands for in a check, or None when it could not be understood.

    A name that could mean several medicines (pred, mycophenolate, a look-alike) is checked as each of
    them: a check never goes quiet because a name asked a question.
    """
    if resolution.status == "match" and resolution.drug:
        kind = store.kind_of(resolution.drug)
        how: Literal["drug", "combination", "class"] = (
            "class" if kind == "class" else "combination" if kind == "combination" else "drug"
        )
        return Subject(resolution, resolution.drug, tuple(store.drugs_of(resolution.drug)), how)
    if resolution.status == "ambiguous" and resolution.candidates:
        drugs = [d for c in resolution.candidates for d in store.drugs_of(c.drug)]
        return Subject(resolution, "", tuple(dict.fromkeys(drugs)), "either")
    return None


def check_resolved(store: DrugStore, resolutions: list[Resolution]) -> CheckReport:
    """Check resolved names together: double-ups, every pair's rules, and pairs with no record.

    Each name stands for one or more drugs (a class, a combination's ingredients, the candidates of an
    ambiguous name); every drug of one name is checked against every drug of the others.
    """
    subjects: list[Subject] = []
    unresolved: list[Resolution] = []
    for resolution in resolutions:
        subject = subject_of(store, resolution)
        if subject is None:
            unresolved.append(resolution)
        elif not any(s.entity and s.entity == subject.entity for s in subjects):
            subjects.append(subject)
    duplicates = _duplicates(store, resolutions, subjects)
    interactions: list[FoundInteraction] = []
    no_record: list[tuple[str, str]] = []
    not_reviewed: list[tuple[str, str]] = []
    usual: list[tuple[str, str, str]] = []
    for i, j in combinations(range(len(subjects)), 2):
        found = []
        for drug_a in subjects[i].drugs:
            for drug_b in subjects[j].drugs:
                if drug_a != drug_b and (hit := find_interaction(store, drug_a, drug_b)):
                    found.append(replace(hit, between=(i, j)))
        interactions += found
        if not found and not _same_drugs(subjects[i], subjects[j]):
            pair = (subject_label(store, subjects[i]), subject_label(store, subjects[j]))
            pairing = next(
                (p for a in subjects[i].drugs for b in subjects[j].drugs if (p := store.usual_pairing(a, b))),
                None,
            )
            if pairing is not None:
                note, sources = pairing
                usual.append((*pair, f"{note} (Source: {sources[0].cite()})" if sources else note))
                continue
            everything_reviewed = all(
                store.is_curated(d) for s in (subjects[i], subjects[j]) for d in s.drugs
            )
            (no_record if everything_reviewed else not_reviewed).append(pair)
    interactions.sort(key=lambda f: (-f.severity, f.between, f.drugs))
    return CheckReport(
        tuple(resolutions),
        tuple(interactions),
        tuple(duplicates),
        tuple(unresolved),
        tuple(no_record),
        tuple(subjects),
        tuple(not_reviewed),
        tuple(usual),
    )


def _same_drugs(a: Subject, b: Subject) -> bool:
    return set(a.drugs) == set(b.drugs)


def subject_label(store: DrugStore, subject: Subject) -> str:
    """How a checked name is shown: the medicine, the class, or the candidates of an ambiguous name."""
    if subject.how == "either":
        return " or ".join(store.name(d) for d in subject.drugs)
    return store.name(subject.entity)


def _duplicates(store: DrugStore, resolutions: list[Resolution], subjects: list[Subject]) -> list[Duplicate]:
    """The same medicine named twice (imuran + azathioprine, Percocet + Tylenol), or two of one kind."""
    duplicates: list[Duplicate] = []
    taken: dict[str, list[str]] = {}  # drug -> the names it is taken under
    for subject in subjects:
        if subject.how in ("drug", "combination"):
            for drug_id in subject.drugs:
                taken.setdefault(drug_id, []).append(subject.resolution.query)
    for resolution in resolutions:  # the same name twice is one subject, but still a double-up
        if resolution.status == "match" and resolution.drug and store.kind_of(resolution.drug) == "drug":
            queries = taken.get(resolution.drug, [])
            if resolution.query not in queries:
                queries.append(resolution.query)
    for drug_id, names in taken.items():
        if len(names) > 1:
            duplicates.append(
                Duplicate((drug_id,), tuple(names), f"all of these are or contain {store.name(drug_id)}")
            )
    definite = [d for s in subjects if s.how in ("drug", "combination") for d in s.drugs]
    for drug_a, drug_b in combinations(dict.fromkeys(definite), 2):
        shared = set(store.classes_of.get(drug_a, ())) & set(store.classes_of.get(drug_b, ()))
        for class_id in sorted(c for c in shared if store.classes[c].duplicate_therapy)[:1]:
            duplicates.append(
                Duplicate(
                    (drug_a, drug_b),
                    (store.name(drug_a), store.name(drug_b)),
                    f"both are {store.classes[class_id].name}",
                )
            )
    return duplicates


def split_names(index: NameIndex, text: str) -> list[str]:
    """The medicine names in "imuran, allopurinol and bactrim", "imuran/allopurinol" or "imuran allopurinol".

    Commas, semicolons, slashes, "and", "with", "plus" and "+" separate names, unless the words on both
    sides make one known name together ("tylenol with codeine", "nurofen plus", "oxycodone/apap").
    Without any separator, words are split, then adjacent words that together form a known name
    ("mycophenolate mofetil") are joined again. Strength ratios ("5/325") are dropped first.
    """
    pieces = _LIST_SEPARATORS.split(_RATIO.sub(" ", text))  # names and, between them, separators
    names = _join_known(index, pieces[0::2], pieces[1::2])
    if len(names) == 1:
        words = names[0].split()
        names = _join_known(index, words, [" "] * (len(words) - 1))
    return names


_LONGEST_NAME = 6  # parts; no known name is longer
_RATIO = re.compile(r"\b\d+(?:\.\d+)?\s*/\s*\d+(?:\.\d+)?\b")


def _join_known(index: NameIndex, parts: list[str], separators: list[str]) -> list[str]:
    """`parts` with neighbours joined (by what separated them) wherever the join is a known name."""
    names: list[str] = []
    i = 0
    while i < len(parts):
        for end in range(min(len(parts), i + _LONGEST_NAME), i, -1):
            joined = parts[i]
            for k in range(i + 1, end):
                joined += separators[k - 1] + parts[k]
            if end == i + 1 or index.is_known_name(joined):
                if joined.strip():
                    names.append(joined.strip())
                i = end
                break
    return names
