from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge.normalise import normalise, strip_salts, words_with_spans


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
