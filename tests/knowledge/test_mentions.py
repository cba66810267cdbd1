from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge.domain import Knowledge
from bot.knowledge.models import Severity
from bot.knowledge.normalise import normalise


def test_chat_line_finds_both_drugs_and_their_interaction(knowledge: Knowledge) -> None:
    text = "my rheumy put me on imuran, I also take allopurinol."
    scan = knowledge.mentions.scan(text)
    assert [(m.text, m.drug) for m in scan.mentions] == [
        ("imuran", "azathioprine"),
        ("allopurinol", "allopurinol"),
    ]
    assert all(text[m.start : m.end] == m.text for m in scan.mentions)
    assert scan.check is not None and scan.check.interactions[0].severity >= Severity.MAJOR


@pytest.mark.parametrize(
    "text",
    ["I need advice about my plan", "amen, the sun is out", "Planning a walk today", "", "!!! ??? 123"],
)
def test_ordinary_words_are_not_drugs(knowledge: Knowledge, text: str) -> None:
    assert knowledge.mentions.find(text) == []


def test_multi_word_names_misspellings_and_punctuation(knowledge: Knowledge) -> None:
    mentions = knowledge.mentions.find(
        "Started mycophenolate mofetil (CellCept), and methotrexat; also IMURAN!"
    )
    assert [m.drug for m in mentions] == [
        "mycophenolate mofetil",
        "mycophenolate mofetil",
        "methotrexate",
        "azathioprine",
    ]


def test_a_look_alike_misspelling_in_chat_is_not_guessed_but_checked_as_both(knowledge: Knowledge) -> None:
    (mention,) = knowledge.mentions.find("my prednisoe dose")
    assert set(mention.candidates) == {"prednisone", "prednisolone"}
    scan = knowledge.mentions.scan("my prednisoe dose and ibuprofen")
    assert scan.check is not None and scan.check.interactions
    assert {f.drugs for f in scan.check.interactions} == {
        ("ibuprofen", "prednisone"),
        ("ibuprofen", "prednisolone"),
    }


FILLER = [
    "I",
    "take",
    "my",
    "plan",
    "advice",
    "and",
    "the",
    "sun",
    "today",
    "doctor",
    "said",
    "ok",
    "with",
    "also",
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.text(max_size=200))
def test_mentions_are_ordered_slices_of_the_text_for_any_input(knowledge: Knowledge, text: str) -> None:
    mentions = knowledge.mentions.find(text)
    end = 0
    for mention in mentions:
        assert end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.drug in knowledge.store
        end = mention.end


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.data())
def test_a_curated_name_among_ordinary_words_is_found(knowledge: Knowledge, data: st.DataObject) -> None:
    drug = data.draw(st.sampled_from(knowledge.store.curated_ids()))
    use_brand = data.draw(st.booleans())
    brands = knowledge.store.drug(drug).brands
    name = brands[0] if brands and use_brand else drug
    before = data.draw(st.lists(st.sampled_from(FILLER), max_size=6))
    after = data.draw(st.lists(st.sampled_from(FILLER), max_size=6))
    punctuation = data.draw(st.sampled_from(["", ",", ".", "!", "?"]))
    text = " ".join([*before, name + punctuation, *after])
    found = [m.drug for m in knowledge.mentions.find(text)]
    owners = {e.drug for e in knowledge.store.aliases.get(normalise(name, keep_forms=True), [])}
    assert drug in found or len(owners) > 1, (text, found)  # a shared name ("pred") is not guessed
