"""Name resolution against the real built store, including the safety rules."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge.domain import Knowledge
from bot.knowledge.names import AUTOCOMPLETE_LIMIT, CHOICE_LIMIT
from bot.knowledge.normalise import normalise


@pytest.mark.parametrize(
    "query", ["imuran", "immuran", "azathiprine", "azasan", "Imuran 50mg tablets", "aza", "AZATHIOPRINE"]
)
def test_azathioprine_by_brand_misspelling_strength_and_abbreviation(
    knowledge: Knowledge, query: str
) -> None:
    resolution = knowledge.names.resolve(query)
    assert (resolution.status, resolution.drug, resolution.curated) == ("match", "azathioprine", True)


@pytest.mark.parametrize(
    ("query", "drug"),
    [
        ("cellcept", "mycophenolate mofetil"),
        ("neoral", "cyclosporine"),
        ("sandimmune", "cyclosporine"),
        ("zyloprim", "allopurinol"),
        ("decadron", "dexamethasone"),
        ("bactrim", "trimethoprim-sulfamethoxazole"),
        ("mtx", "methotrexate"),
        ("hcq", "hydroxychloroquine"),
    ],
)
def test_brands_and_abbreviations(knowledge: Knowledge, query: str, drug: str) -> None:
    assert knowledge.names.resolve(query).drug == drug


def test_azacitidine_is_never_azathioprine(knowledge: Knowledge) -> None:
    for query in ("azacitidine", "Vidaza", "azacitadine", "azacitidin"):
        assert knowledge.names.resolve(query).drug != "azathioprine"


def test_a_misspelling_close_to_a_look_alike_pair_asks(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("prednisoe")
    assert resolution.status == "ambiguous"
    shown = {c.shown_as for c in resolution.candidates}
    assert {"predniSONE", "prednisoLONE"} <= shown


def test_dictionary_only_name_resolves_without_a_curated_entry(knowledge: Knowledge) -> None:
    drug = next(d for d in ("tofacitinib", "azacitidine", "ponesimod") if not knowledge.store.is_curated(d))
    resolution = knowledge.names.resolve(drug)
    assert (resolution.status, resolution.drug, resolution.curated) == ("match", drug, False)


def test_short_queries_get_suggestions_not_guesses(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("imz")
    assert resolution.status == "unknown" and resolution.drug is None


def test_unknown_names_get_at_most_five_candidates(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("methotrexxxxate zzz")
    assert resolution.status in ("unknown", "ambiguous")
    assert len(resolution.candidates) <= 5
    garbage = knowledge.names.resolve("qwxzvbnm")
    assert garbage.status == "unknown" and garbage.drug is None


def test_every_curated_name_resolves_to_its_own_drug(knowledge: Knowledge) -> None:
    store = knowledge.store
    for drug_id in store.curated_ids():
        for alias, entry in store.names_of[drug_id]:
            if entry.curated and len(store.aliases[alias]) == 1:
                resolution = knowledge.names.resolve(entry.display)
                assert resolution.drug == drug_id, (entry.display, resolution)


def test_lookalike_partners_are_reported_on_exact_hits(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("azathioprine")
    assert "azacitidine" in {c.drug for c in resolution.lookalikes}


def _one_edit(name: str, data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(name) - 1))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    kind = data.draw(st.sampled_from(["replace", "delete", "insert", "swap"]))
    if kind == "replace":
        return name[:i] + letter + name[i + 1 :]
    if kind == "delete":
        return name[:i] + name[i + 1 :]
    if kind == "insert":
        return name[:i] + letter + name[i:]
    j = min(i + 1, len(name) - 1)
    chars = list(name)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_a_misspelling_never_crosses_a_look_alike_pair(knowledge: Knowledge, data: st.DataObject) -> None:
    store = knowledge.store
    pairs = sorted((d, o.drug) for d, others in store.lookalikes.items() for o in others)
    drug, partner = data.draw(st.sampled_from(pairs))
    name = normalise(store.name(drug))
    query = _one_edit(name, data)
    resolution = knowledge.names.resolve(query)
    exact_owners = {e.drug for e in store.aliases.get(normalise(query), [])}
    if resolution.drug == partner:
        assert partner in exact_owners, f"{query!r} (from {drug}) silently became its look-alike {partner}"


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.data())
def test_an_exact_name_always_resolves_to_itself(knowledge: Knowledge, data: st.DataObject) -> None:
    store = knowledge.store
    alias = data.draw(st.sampled_from(sorted(store.aliases)))
    owners = {e.drug for e in store.aliases[alias]}
    resolution = knowledge.names.resolve(alias)
    if len(owners) == 1:
        assert resolution.status == "match" and resolution.drug in owners
    else:
        assert resolution.status == "ambiguous" and {c.drug for c in resolution.candidates} == owners


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.text(max_size=120))
def test_autocomplete_fits_discord_for_any_input(knowledge: Knowledge, text: str) -> None:
    choices = knowledge.names.autocomplete(text)
    assert len(choices) <= AUTOCOMPLETE_LIMIT
    for choice in choices:
        assert 1 <= len(choice.label) <= CHOICE_LIMIT and 1 <= len(choice.value) <= CHOICE_LIMIT
        assert choice.value in knowledge.store


def test_autocomplete_labels_show_brand_and_generic(knowledge: Knowledge) -> None:
    choices = knowledge.names.autocomplete("imur")
    assert choices[0].value == "azathioprine"
    assert "Imuran" in choices[0].label and "aza" in choices[0].label.lower()
    assert knowledge.names.autocomplete("")[0].value in knowledge.store


def test_form_words_separate_medicines_when_they_are_part_of_the_name(knowledge: Knowledge) -> None:
    names = knowledge.names
    assert names.resolve("oral typhoid vaccine").drug == "oral typhoid vaccine"
    assert names.resolve("typhoid injection").drug == "typhoid vi polysaccharide vaccine"
    assert names.resolve("typhoid vaccine").status == "ambiguous"  # one is live: the bot asks
    assert names.resolve("methotrexate injection").drug == "methotrexate"
    assert names.resolve("the pill").drug == "ethinyl estradiol"
    assert [m.drug for m in knowledge.mentions.find("I take the bus, then the pill")] == ["ethinyl estradiol"]
    assert knowledge.mentions.find("the dog and the cat") == []
