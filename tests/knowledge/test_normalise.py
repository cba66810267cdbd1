from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge.normalise import (
    ascii_line,
    fold_words,
    normalise,
    strip_salts,
    word_places,
    words_with_spans,
)


def test_case_accents_punctuation_and_forms_are_removed() -> None:
    assert normalise("IMURAN") == "imuran"
    assert normalise("Imuran 50mg tablets") == "imuran"
    assert normalise("prednisone 2.5 mg") == "prednisone"
    assert normalise("Méthotrexate") == "methotrexate"
    assert normalise("St. John’s Wort") == "st johns wort"
    assert normalise("allopurinol,") == "allopurinol"
    assert normalise("co-trimoxazole 960 mg") == "co trimoxazole"


def test_numbers_that_are_part_of_a_name_are_kept() -> None:
    assert normalise("Vitamin D3 1000 IU") == "vitamin d3"
    assert normalise("AB-22") == "ab 22"


def test_salts_are_stripped_only_on_request_and_never_to_nothing() -> None:
    assert normalise("potassium chloride") == "potassium chloride"
    assert strip_salts("doxycycline hyclate") == "doxycycline"
    assert strip_salts("potassium chloride") == "potassium chloride"


def test_words_keep_their_offsets_in_the_original_text() -> None:
    text = "on IMURAN, and St John's wort."
    for word, start, end in words_with_spans(text):
        assert normalise(text[start:end]).replace(" ", "") == word.replace("'", "")


def test_pieces_exposed_by_removing_others_are_removed_too() -> None:
    assert normalise("0{G") == ""  # found by hypothesis: "0{g" -> "0 g", itself a strength
    assert normalise("imuran 5 tablets mg") == "imuran"


@given(st.text(max_size=60))
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    kept = normalise(text, keep_forms=True)
    assert normalise(kept, keep_forms=True) == kept


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40))
def test_case_never_matters(text: str) -> None:
    assert normalise(text.upper()) == normalise(text.lower())


# Chat text as members write it: letters, apostrophes (straight and curly), emoji, accents, symbols.
CHAT_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("aBz09 '’'_-.,!?>`|\n\t"),
        st.sampled_from("🥹😤🎉👍🏽❤️‍🔥…“”–é ßİΣ①™ⓐ\u200b\u0301\ufe0f"),
        st.characters(),
    ),
    max_size=40,
)


@given(CHAT_TEXT)
def test_the_fast_chat_words_are_the_words_whose_places_are_counted(text: str) -> None:
    """fold_words (the fast path of every chat message) and word_places (where found names are
    placed) agree with words_with_spans word for word whenever the text has an ASCII line."""
    exact = words_with_spans(text)
    line = ascii_line(text)
    if line is None:
        assert any(ch.isalnum() and not ch.isascii() for ch in text)
        return
    assert len(line) == len(text) and line.isascii()
    assert fold_words(text) == [word for word, _, _ in exact]
    assert word_places(line, len(exact) + 1) == [(start, end) for _, start, end in exact]


@given(CHAT_TEXT)
def test_words_of_any_text_are_folded_words(text: str) -> None:
    for word in fold_words(text):
        # Case-folded, which is not always lower case: Cherokee folds to its capitals ("Ꭰ").
        assert word and word == word.casefold() and "'" not in word and " " not in word


def test_an_apostrophe_joins_a_word_only_inside_it() -> None:
    assert fold_words("Don't take Imuran’s generic 'here'") == ["dont", "take", "imurans", "generic", "here"]
    assert fold_words("a''b 😤imuran😤") == ["a", "b", "imuran"]
    assert fold_words("Méthotrexate and IMURAN") == ["methotrexate", "and", "imuran"]
