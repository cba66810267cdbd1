"""Turning what people type into the form names are indexed under.

"Imuran 50mg tablets" and "IMURAN" both become "imuran"; "St. John’s Wort" becomes "st johns wort".
"""

from __future__ import annotations

import re
import unicodedata

# Strengths: "50mg", "2.5 mg", "10 mg/ml", "0.1%", "400 IU". A bare number or one glued to letters
# ("d3", "b12", "ab-22") is part of a name and is kept.
_STRENGTH = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|μg|µg|ug|g|ml|iu|units?|%|mmol|meq)(?:\s*/\s*(?:ml|l|g|dose|hr|h))?(?=\W|$)"
)
# How patients write a schedule or a route: "mtx weekly", "humira shot", "enbrel autoinjector". Dropped
# when looking a name up, but a name is never indexed without them ("flu shot" is not "flu").
ROUTE_WORDS = frozenset(
    [
        "autoinjector",
        "auto",
        "injector",
        "shot",
        "shots",
        "jab",
        "jabs",
        "daily",
        "weekly",
        "nightly",
        "monthly",
        "taper",
        "tapering",
        "prn",
        "bid",
        "tid",
        "qd",
    ]
)
# Dose forms and release words that say nothing about which medicine it is.
FORM_WORDS = ROUTE_WORDS | frozenset(
    [
        "tablet",
        "tablets",
        "tab",
        "tabs",
        "capsule",
        "capsules",
        "cap",
        "caps",
        "pill",
        "pills",
        "caplet",
        "caplets",
        "injection",
        "injections",
        "injectable",
        "infusion",
        "oral",
        "solution",
        "suspension",
        "syrup",
        "liquid",
        "drops",
        "cream",
        "gel",
        "ointment",
        "patch",
        "patches",
        "er",
        "xr",
        "sr",
        "dr",
        "ec",
        "xl",
        "cr",
        "ir",
        "extended",
        "delayed",
        "release",
        "chewable",
        "dispersible",
        "film",
        "coated",
        "dose",
        "doses",
        "generic",
        "pen",
        "prefilled",
        "syringe",
        "vial",
    ]
)
# Salt and hydrate words, removed only in a second lookup when the full name is not known, so that
# "potassium chloride" still means potassium chloride.
SALT_WORDS = frozenset(
    [
        "sodium",
        "potassium",
        "calcium",
        "magnesium",
        "hydrochloride",
        "hcl",
        "hydrobromide",
        "sulfate",
        "sulphate",
        "phosphate",
        "acetate",
        "citrate",
        "maleate",
        "mesylate",
        "besylate",
        "tartrate",
        "succinate",
        "fumarate",
        "bromide",
        "chloride",
        "disodium",
        "dihydrate",
        "monohydrate",
        "trihydrate",
        "anhydrous",
        "hyclate",
        "monohydrochloride",
        "dipropionate",
    ]
)
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_APOSTROPHES = re.compile(r"['’`´]")
_NON_WORD = re.compile(r"[^\w]+|_")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of text: NFKC, casefold, accents and apostrophes removed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        # Only text that decomposes, or carries loose combining marks, has accents to drop: chat's
        # emoji and curly quotes skip the character-by-character pass.
        if decomposed != text or _COMBINING_MARKS.search(text):
            text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", text)


def normalise(text: str, *, keep_forms: bool = False) -> str:
    """The index form of a name: folded, punctuation to spaces, strengths and dose forms removed.

    With `keep_forms`, dose-form words stay: "oral typhoid vaccine" and "typhoid injection" are
    different medicines, so a name is looked up with its form words first and without them second.
    """
    while True:
        # Repeated until nothing changes: removing one piece can expose another ("0{g" becomes "0 g",
        # a strength), and a normalised name must normalise to itself.
        before = text
        text = _STRENGTH.sub(" ", fold(text))
        text = " ".join(w for w in _NON_WORD.sub(" ", text).split() if keep_forms or w not in FORM_WORDS)
        if text == before:
            return text


def lookup_keys(text: str) -> list[str]:
    """The forms a typed name is looked up under, most specific first.

    Last comes the name without bare numbers, a dose written without its unit ("imuran 50",
    "aspirin 81"): only when the name with its number is not itself a name ("tylenol 3").
    """
    norm = normalise(text)
    keys = (normalise(text, keep_forms=True), norm, strip_salts(norm), strip_numbers(strip_salts(norm)))
    return [key for key in dict.fromkeys(keys) if key]


def strip_numbers(normalised: str) -> str:
    """`normalised` without words that are only digits, or unchanged when nothing else would remain."""
    words = [w for w in normalised.split() if not w.isdigit()]
    return " ".join(words) if words else normalised


def strip_salts(normalised: str) -> str:
    """`normalised` without salt words, or unchanged when nothing else would remain."""
    words = [w for w in normalised.split() if w not in SALT_WORDS]
    return " ".join(words) if words else normalised


def letter_count(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def words_with_spans(text: str) -> list[tuple[str, int, int]]:
    """Each word of `text` in folded form, with its start and end offsets in the original text."""
    if text.isascii():  # lower-casing keeps ASCII offsets, and folds ASCII but for apostrophes
        lowered = text.lower()
        if "'" not in lowered:
            return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(lowered)]
        return [(m.group().replace("'", ""), m.start(), m.end()) for m in _WORD.finditer(lowered)]
    return [(_fold_word(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def fold_words(text: str) -> list[str]:
    """The words of `text` in folded form, as `words_with_spans` finds them (for ASCII text exactly;
    otherwise folding the whole text first, which can only differ on exotic characters)."""
    if text.isascii():
        lowered = text.lower()
        words = _WORD.findall(lowered)
        return [w.replace("'", "") for w in words] if "'" in lowered else words
    return _WORD.findall(fold(text))


def _fold_word(word: str) -> str:
    # Folding an ASCII word is lower-casing it without apostrophes: the same result, much faster.
    return word.lower().replace("'", "") if word.isascii() else fold(word)
