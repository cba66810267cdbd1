from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge.domain import Knowledge
from bot.knowledge.interactions import find_interaction
from bot.knowledge.models import Severity


def test_azathioprine_and_allopurinol_is_serious_with_advice(knowledge: Knowledge) -> None:
    for other in ("allopurinol", "zyloprim"):
        report = knowledge.check(["imuran", other])
        assert len(report.interactions) == 1
        found = report.interactions[0]
        assert found.severity >= Severity.MAJOR
        assert found.rule.what_to_do and found.rule.sources


def test_febuxostat_with_a_thiopurine_is_contraindicated_and_the_worse_rule_wins(
    knowledge: Knowledge,
) -> None:
    found = find_interaction(knowledge.store, "azathioprine", "febuxostat")
    assert found is not None and found.severity == Severity.CONTRAINDICATED
    assert any(r.severity == Severity.MAJOR for r in found.also)


def test_the_same_medicine_twice_is_flagged(knowledge: Knowledge) -> None:
    report = knowledge.check(["imuran", "azathioprine"])
    assert report.duplicates and report.duplicates[0].drugs == ("azathioprine",)
    assert not report.interactions


def test_no_record_is_reported_as_no_record(knowledge: Knowledge) -> None:
    store = knowledge.store
    curated = store.curated_ids()
    pair = next((a, b) for a in curated for b in curated if a < b and find_interaction(store, a, b) is None)
    report = knowledge.check(list(pair))
    assert report.no_record == (pair,) and not report.interactions


def test_unresolved_names_are_listed(knowledge: Knowledge) -> None:
    report = knowledge.check(["imuran", "qwxzvbnm"])
    assert [r.query for r in report.unresolved] == ["qwxzvbnm"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.data())
def test_interactions_are_symmetric(knowledge: Knowledge, data: st.DataObject) -> None:
    drugs = knowledge.store.curated_ids()
    a = data.draw(st.sampled_from(drugs))
    b = data.draw(st.sampled_from(drugs))
    forward, backward = find_interaction(knowledge.store, a, b), find_interaction(knowledge.store, b, a)
    assert (forward is None) == (backward is None)
    if forward and backward:
        assert forward.rule == backward.rule and forward.drugs == backward.drugs


def test_interaction_lists_split_on_commas_and_words(knowledge: Knowledge) -> None:
    assert knowledge.split("imuran, allopurinol and bactrim") == [
        "imuran",
        "allopurinol",
        "bactrim",
    ]
    assert knowledge.split("mycophenolate mofetil allopurinol") == [
        "mycophenolate mofetil",
        "allopurinol",
    ]


def test_among_equally_severe_rules_the_narrowest_speaks(knowledge: Knowledge) -> None:
    from bot.knowledge.interactions import rules_between

    store = knowledge.store
    ties = 0
    for a in store.curated_ids():
        for b in store.curated_ids():
            rules = rules_between(store, a, b)
            if a != b and len(rules) > 1 and rules[0].severity == rules[1].severity:
                ties += 1
                sizes = [
                    (len(store.members_of.get(r.a[6:], ())) if r.a.startswith("class:") else 1)
                    * (len(store.members_of.get(r.b[6:], ())) if r.b.startswith("class:") else 1)
                    for r in rules[:2]
                ]
                assert sizes[0] <= sizes[1], (a, b, rules[0].origin, rules[1].origin)
    if not ties:
        pytest.skip("no pair has two equally severe rules")
