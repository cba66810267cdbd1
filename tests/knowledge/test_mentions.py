from __future__ import annotations

import pytest

from bot.knowledge.knowledge import Knowledge
from bot.knowledge.models import Severity


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


def test_a_look_alike_misspelling_in_chat_is_not_guessed(knowledge: Knowledge) -> None:
    assert all(
        m.drug not in ("prednisone", "prednisolone") for m in knowledge.mentions.find("my prednisoe dose")
    )
