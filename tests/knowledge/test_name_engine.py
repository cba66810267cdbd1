"""Name resolution on the names patients type, with floors on the test parts of bench/name_sets.py
(generated one-edit and phonetic misspellings of every reviewed name, handwritten brand misspellings),
the issue's own failures, look-alike crossings, and misspelt names in chat sentences.

The floors are below the measured figures (see README, "How names are resolved") so that a change that
costs accuracy fails here; bench/tune_resolution.py prints the figures themselves."""

from __future__ import annotations

import pytest

from bench.chat_precision import misspelt_in_sentences
from bench.name_sets import generated, handwritten, lookalike_variants, phonetic
from bench.tune_resolution import crossings, outcome
from bot.knowledge.domain import Knowledge


@pytest.mark.parametrize(
    ("make", "right", "wrong"),
    [
        (lambda k: generated(k.store, "test", 1), 0.95, 0.005),
        (lambda k: phonetic(k.store, "test"), 0.95, 0.005),
        (lambda k: handwritten(k.store, "test"), 0.95, 0.0),
    ],
    ids=["one edit", "phonetic", "handwritten"],
)
def test_misspellings_of_reviewed_names_resolve_right(
    knowledge: Knowledge, make: object, right: float, wrong: float
) -> None:
    queries = make(knowledge)  # type: ignore[operator]
    result = outcome(knowledge, queries)
    assert result.counts["right"] / result.total >= right, result.line()
    assert result.counts["WRONG"] / result.total <= wrong, result.wrong[:10]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("anbien", "zolpidem"),
        ("xanaz", "alprazolam"),
        ("hunira", "adalimumab"),
        ("enbryl", "etanercept"),
        ("adivan", "lorazepam"),
        ("cupro", "ciprofloxacin"),
        ("perkoset", "oxycodone and acetaminophen"),
        ("zanex", "alprazolam"),
        ("perocets", "oxycodone and acetaminophen"),
        ("viocodin", "hydrocodone and acetaminophen"),
    ],
)
def test_the_brands_that_used_to_be_unknown_or_wrong(knowledge: Knowledge, typed: str, meant: str) -> None:
    resolution = knowledge.resolve(typed)
    assert resolution.drug == meant or (
        resolution.status == "ambiguous" and meant in {c.drug for c in resolution.candidates}
    ), (resolution.status, resolution.drug, [c.drug for c in resolution.candidates])


def test_no_look_alike_is_crossed_silently(knowledge: Knowledge) -> None:
    variants = lookalike_variants(knowledge.store, "test") + lookalike_variants(knowledge.store, "tune")
    assert len(variants) > 500  # about 1,400; fewer without the Drugs@FDA brand names
    assert crossings(knowledge, variants) == []


def test_misspelt_names_are_found_in_chat_sentences(knowledge: Knowledge) -> None:
    found, tried, misses = misspelt_in_sentences(knowledge)
    assert tried > 1000
    assert found / tried >= 0.95, misses[:20]
