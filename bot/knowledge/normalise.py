"""Turning what people type into the form names are indexed under.

"Imuran 50mg tablets" and "IMURAN" both become "imuran"; "St. John’s Wort" becomes "st johns wort".
"""

from __future__ import annotations

import itertools
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
# For fold_words: ASCII letters lower-cased, digits kept, every other ASCII byte a space (non-ASCII
# bytes, only ever parts of letters by then, kept); an apostrophe inside a word; non-ASCII non-words.
_ASCII_WORD_BYTES = bytes(
    (ord(chr(c).lower()) if chr(c).isalnum() else ord(" ")) if c < 128 else c for c in range(256)
)
_INNER_APOSTROPHE = re.compile(r"(?<=[A-Za-z0-9])'(?=[A-Za-z0-9])")
_NON_ASCII_NON_WORD = re.compile(r"[^\x00-\x7f\w]+")
_WORD_CHARACTER = re.compile(r"\w")
_ASCII_BYTES = bytes(range(128))


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


def ascii_line(text: str) -> str | None:
    """`text` with every character outside ASCII replaced, when none of them is a letter or a digit:
    curly apostrophes by apostrophes, symbols and emoji by "?". The line is as long as the text, with
    the same words in the same places (as `words_with_spans` finds them). None when a letter or digit
    outside ASCII needs the full folding."""
    if text.isascii():
        return text
    # The characters outside ASCII, alone (deleting ASCII bytes is much faster than a scan for them).
    # A lone surrogate is not UTF-8 but can arrive in JSON ("\ud800"); it passes through as itself.
    outside_ascii = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    if _WORD_CHARACTER.search(outside_ascii.decode("utf-8", "surrogatepass")):
        return None
    return text.replace("’", "'").encode("ascii", "replace").decode()


def fold_words(text: str) -> list[str]:
    """The words of `text` in folded form: exactly those of `words_with_spans` when `ascii_line(text)`
    is not None; otherwise folding the whole text first, which can only differ on exotic characters.

    ASCII text is folded as bytes, with one table that lower-cases letters and turns everything else
    into spaces. The chat screen's Python definition reads messages with it (chatwords.py); the bot
    itself uses the screen's compiled twin where it was built."""
    line = ascii_line(text)
    if line is None:
        # Folding leaves only ASCII punctuation and non-ASCII symbols (emoji) between the words.
        line = _NON_ASCII_NON_WORD.sub(" ", fold(text))
    elif "'" in line:
        line = _INNER_APOSTROPHE.sub("", line)  # "don't" is one word, "dont"
    return line.encode("utf-8", "surrogatepass").translate(_ASCII_WORD_BYTES).decode().split()


def word_places(line: str, count: int) -> list[tuple[int, int]]:
    """Where each of the first `count` words of an `ascii_line` starts and ends."""
    return list(map(re.Match.span, itertools.islice(_WORD.finditer(line), count)))


def _fold_word(word: str) -> str:
    # Folding an ASCII word is lower-casing it without apostrophes: the same result, much faster.
    return word.lower().replace("'", "") if word.isascii() else fold(word)
