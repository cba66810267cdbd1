"""Quality checks on the real curated data, as built into the store."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from bot.answers.model import DESCRIPTION_LIMIT
from bot.knowledge.build.audit import audit, read_exceptions
from bot.knowledge.domain import Knowledge
from bot.knowledge.normalise import normalise, strip_salts
from bot.paths import DATA_DIR, DRUGSATFDA_PRODUCTS, NDFRT_FILE


def test_every_entry_has_the_fields_a_card_needs(knowledge: Knowledge) -> None:
    for drug_id in knowledge.store.curated_ids():
        drug = knowledge.store.drug(drug_id)
        assert drug.summary and drug.uses and drug.sources and drug.last_reviewed, drug_id
        if drug.kind == "drug":
            assert drug.common_side_effects and drug.serious_side_effects and drug.how_it_works, drug_id
        assert len(drug.summary) <= 600 < DESCRIPTION_LIMIT


def test_every_class_in_a_rule_has_members(knowledge: Knowledge) -> None:
    store = knowledge.store
    for rule in store.rules.values():
        for side in (rule.a, rule.b):
            kind, _, ref = side.partition(":")
            assert store.members_of[ref] if kind == "class" else ref in store, (rule.origin, side)


def test_no_curated_alias_points_at_two_drugs_unless_declared_shared(knowledge: Knowledge) -> None:
    import tomllib

    declared = {
        normalise(s["name"])
        for s in tomllib.loads((DATA_DIR / "lookalikes.toml").read_text()).get("shared_name", [])
    }
    class_words = tomllib.loads((DATA_DIR / "class-words.toml").read_text()).get("class_word", [])
    declared |= {
        form
        for item in class_words
        if len(item["classes"]) > 1
        for w in item["words"]
        for form in (normalise(w), normalise(w, keep_forms=True))
    }
    for alias, entries in knowledge.store.aliases.items():
        curated_owners = {e.drug for e in entries if e.curated}
        if len(curated_owners) > 1:
            assert alias in declared, (alias, curated_owners)


def test_the_issue_lists_are_covered(knowledge: Knowledge) -> None:
    counts = knowledge.store.counts
    assert counts["curated_drugs"] + counts["non_drug_interactants"] >= 180
    for drug in (
        "azathioprine",
        "mycophenolic acid",
        "belimumab",
        "ocrelizumab",
        "warfarin",
        "alcohol",
        "grapefruit",
    ):
        assert knowledge.store.is_curated(drug), drug


@pytest.mark.skipif(
    not DRUGSATFDA_PRODUCTS.is_file(), reason="Drugs@FDA reference data (../shared/datasets) is absent"
)
def test_every_drugsatfda_brand_of_a_curated_generic_resolves_to_it(knowledge: Knowledge) -> None:
    store = knowledge.store
    curated = set(store.curated_ids())
    brands: dict[str, set[str]] = defaultdict(set)
    with DRUGSATFDA_PRODUCTS.open(encoding="latin-1") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            ingredient = strip_salts(normalise(row["ActiveIngredient"]))
            if ";" in row["ActiveIngredient"] or ingredient not in curated:
                continue
            brand = row["DrugName"]
            if normalise(brand) and strip_salts(normalise(brand)) != ingredient:
                brands[ingredient].add(brand)
    assert brands, "no curated generic found in Drugs@FDA: is the file the expected one?"
    wrong = []
    for generic, names in sorted(brands.items()):
        for brand in sorted(names):
            resolution = knowledge.names.resolve(brand)
            asks_with_it = resolution.status == "ambiguous" and generic in {
                c.drug for c in resolution.candidates
            }
            if resolution.drug != generic and not asks_with_it:
                wrong.append(f"{brand} ({generic}) -> {resolution.status} {resolution.drug}")
    assert not wrong, f"{len(wrong)} brands do not resolve to their generic: {wrong[:40]}"


@pytest.mark.skipif(
    not NDFRT_FILE.is_file(), reason="VA NDF-RT reference data (../shared/datasets) is absent"
)
def test_ndfrt_pairs_are_answered_at_least_as_seriously(knowledge: Knowledge) -> None:
    rows = audit(knowledge, NDFRT_FILE, read_exceptions(DATA_DIR / "audit-exceptions.toml"))
    assert rows, "no NDF-RT pair has both drugs curated: is the file the expected one?"
    short = [
        f"{r.ndfrt_severity} {r.drugs}: {r.answered.word if r.answered else 'no record'}"
        for r in rows
        if not r.ok
    ]
    assert not short, f"{len(short)} of {len(rows)} NDF-RT pairs are answered less seriously: {short[:40]}"
