"""The spelling distance and index behind name resolution (bot/knowledge/spelling.py)."""

from __future__ import annotations

import pytest

from bot.knowledge.spelling import SpellingIndex, distance, sound_keys, squeezed

NAMES = ["azathioprine", "azacitidine", "xanax", "percocet", "ativan", "humira", "prednisone", "prednisolone"]


def test_an_exact_name_is_no_error_and_a_typo_is_one() -> None:
    assert distance("xanax", "xanax") == 0
    assert distance("xanaz", "xanax") == 1  # a letter replaced
    assert distance("axathioprine", "azathioprine") == 1
    assert distance("azahtioprine", "azathioprine") == 1  # two letters swapped: one error, not two


@pytest.mark.parametrize(
    ("typed", "name"), [("xannax", "xanax"), ("ativann", "ativan"), ("prednasone", "prednisone")]
)
def test_doubled_letters_and_vowel_swaps_cost_half(typed: str, name: str) -> None:
    assert distance(typed, name) == 0.5


def test_names_that_sound_alike_are_at_most_one_error_apart() -> None:
    assert distance("perkoset", "percocet") == 1  # two letters differ, one sound
    assert distance("zanex", "xanax") == 1
    assert set(sound_keys("zanex")) & set(sound_keys("xanax"))
    assert distance("qqqzzzxx", "gasx") > 2  # a shared sound key alone is not enough


def test_squeezing_keeps_single_letters() -> None:
    assert squeezed("xannnax") == "xanax" and squeezed("xanax") == "xanax"


def test_the_index_finds_near_names_and_reads_back_from_its_tables() -> None:
    built = SpellingIndex.build(sorted(NAMES))
    near = built.near("azathiaprine", 2.0)
    assert near["azathioprine"] == 0.5 and "azacitidine" not in near  # too far
    assert set(built.near("perkoset", 1.0)) == {"percocet"}
    stored = SpellingIndex.from_tables(sorted(NAMES), built.to_tables(sorted(NAMES)))
    for typed in ("azathiaprine", "perkoset", "xanaz", "predisone", "hunira"):
        assert stored.near(typed, 2.0) == built.near(typed, 2.0), typed
