"""Finding the names a misspelling may be, and how far it is from each, in typing and hearing errors.

Patients misspell medicine names in two ways: typing (a letter dropped, doubled, swapped with its
neighbour, or replaced) and hearing ("perkoset", "zanex", "adivan"). So the distance between a typed
word and a name is the optimal string alignment distance (Damerau-Levenshtein where a transposition is
one edit), made cheaper for the errors people make most:

- a doubled or undoubled letter ("xannax", "ativann") costs half an error;
- a vowel in place of another vowel ("prednasone") costs half an error;
- two names that sound the same (the same Metaphone or NYSIIS key, from the jellyfish package) are at
  most one error apart when their spelling is not far apart either ("perkoset" / "percocet").

Candidates come from an index, never from scoring all 100,000 names: a bigram index (each name's
letter pairs, with start and end marks) gives the names sharing the most letter pairs with the typed
word, among those a few errors could turn into it (the q-gram count filter: one error changes at most
three letter pairs), and a sound index gives the names with the same sound key. Only those few are
measured. The index is computed when the drug store is built and stored in it (`to_tables`), so start-up
only reads it. The decision (how far is close enough, what lead over the next medicine is needed)
belongs to the resolver: see names.py and policy.py.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

import jellyfish
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = str.maketrans("eiouy", "aaaaa")
MIN_SOUND_KEY = 3  # a shorter key ("KP") is shared by too many names to mean anything
MEASURED = 200  # names measured per query: those sharing the most letter pairs with it
PAIRS_PER_ERROR = 3
EMPTY = np.zeros(0, dtype=np.int32)  # one error (a transposition) changes at most three letter pairs


def names_digest(names: Sequence[str]) -> bytes:
    """Which list of names an index was built over (an index of other names is not used)."""
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest().encode()


def by_length(names: Sequence[str]) -> list[str]:
    return sorted(names, key=lambda name: (len(name), name))


@functools.lru_cache(maxsize=8192)  # called for the same typed name against every candidate, and often
def squeezed(text: str) -> str:  # for the same common names: a regex substitution costs more than a look-up
    """`text` with every doubled letter single: "xannax" -> "xanax"."""
    return _DOUBLED.sub(r"\1", text)


def vowel_blind(text: str) -> str:
    return text.translate(_VOWELS)


def sound_keys(text: str) -> tuple[str, ...]:
    """How a name sounds: its Metaphone and NYSIIS keys, when long enough to tell names apart."""
    letters = text.replace(" ", "")
    if not letters.isalpha() or not letters.isascii():
        return ()
    keys = ("m:" + jellyfish.metaphone(letters), "n:" + jellyfish.nysiis(letters))
    return tuple(k for k in keys if len(k) - 2 >= MIN_SOUND_KEY)


def letter_pairs(text: str) -> set[str]:
    marked = f"^{text}$"
    return {marked[i : i + 2] for i in range(len(marked) - 1)}


def distance(typed: str, name: str, typed_sounds: tuple[str, ...] | None = None) -> float:
    """How many typing or hearing errors separate `typed` from `name` (0 when equal). `typed_sounds`
    are `sound_keys(typed)` when the caller has them already."""
    raw = float(OSA.distance(typed, name))
    if raw <= 0.5:
        return raw
    best = raw
    squeezed_typed, squeezed_name = squeezed(typed), squeezed(name)
    doubling = 0.5 if (squeezed_typed, squeezed_name) != (typed, name) else 0.0
    squeezed_errors = OSA.distance(squeezed_typed, squeezed_name)
    best = min(best, squeezed_errors + doubling)
    blind = OSA.distance(vowel_blind(squeezed_typed), vowel_blind(squeezed_name))
    if blind < squeezed_errors:
        # A vowel swapped for another costs half an error: the errors the vowel-blind comparison
        # did not see are vowel swaps.
        best = min(best, blind + 0.5 * (squeezed_errors - blind) + doubling)
    # Sounding the same makes it one error at most, when the spelling is not far off too ("perkoset",
    # "zanex"): a sound key alone is shared by too many unrelated names.
    near_in_spelling = squeezed_errors <= max(2, len(squeezed_name) // 3)
    if best > 1 and near_in_spelling:
        sounds = sound_keys(typed) if typed_sounds is None else typed_sounds
        if not set(sounds).isdisjoint(sound_keys(name)):
            best = 1.0
    return best


class SpellingIndex:
    """The letter-pair and sound indexes over a fixed, sorted list of names."""

    def __init__(
        self,
        names: Sequence[str],
        pairs: dict[str, int],
        starts: np.ndarray,
        postings: np.ndarray,
        sounds: dict[str, np.ndarray] | Callable[[str], np.ndarray],
        order: np.ndarray | None = None,
    ) -> None:
        # Positions are into the names ordered by length, so that the names of a length window are one
        # slice of every posting list (each list is in position order). `order` is that ordering of
        # `names`, when the build computed it.
        self.names = by_length(names) if order is None else [names[i] for i in order.tolist()]
        self._pairs = pairs  # letter pair -> its row in `starts`
        self._starts = starts  # postings[starts[p]:starts[p + 1]] are the names with pair p
        self._postings = postings
        # sound key -> names (their positions in `self.names`)
        self._sound_table = sounds if isinstance(sounds, dict) else None
        self._sounds: Callable[[str, np.ndarray], np.ndarray] = (
            sounds.get if isinstance(sounds, dict) else sounds  # type: ignore[assignment]
        )
        self._lengths = np.fromiter((len(n) for n in self.names), dtype=np.int32, count=len(self.names))

    @classmethod
    def build(cls, names: Sequence[str]) -> SpellingIndex:
        pair_ids: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        sounds: dict[str, list[int]] = defaultdict(list)
        for position, name in enumerate(by_length(names)):
            for pair in letter_pairs(name):
                rows.append(pair_ids.setdefault(pair, len(pair_ids)))
                columns.append(position)
            for key in sound_keys(name):
                sounds[key].append(position)
        row_array = np.array(rows, dtype=np.int32)
        order = np.argsort(row_array, kind="stable")
        postings = np.array(columns, dtype=np.int32)[order]
        starts = np.searchsorted(row_array[order], np.arange(len(pair_ids) + 1)).astype(np.int32)
        return cls(
            names, pair_ids, starts, postings, {k: np.array(v, dtype=np.int32) for k, v in sounds.items()}
        )

    # Stored in the drug store: blobs and small tables, read back without computing anything.

    def to_tables(self, names: Sequence[str]) -> dict[str, bytes]:
        """The index as blobs for the store; `names` is the list it was built over."""
        pairs = "\n".join(sorted(self._pairs, key=self._pairs.__getitem__))
        assert self._sound_table is not None, "an index read from the store is not written back"
        keys = sorted(self._sound_table)
        sound_starts = np.cumsum([0] + [len(self._sound_table[k]) for k in keys]).astype("<i4")
        sound_postings = np.concatenate([self._sound_table[k] for k in keys]) if keys else np.zeros(0)
        position = {name: i for i, name in enumerate(names)}
        order = np.array([position[name] for name in self.names], dtype="<i4")
        return {
            "order": order.tobytes(),
            "pairs": pairs.encode("utf-8"),
            "starts": self._starts.astype("<i4").tobytes(),
            "postings": self._postings.astype("<i4").tobytes(),
            "sound_keys": "\n".join(keys).encode("utf-8"),
            "sound_starts": sound_starts.tobytes(),
            "sound_postings": sound_postings.astype("<i4").tobytes(),
        }

    @classmethod
    def from_tables(cls, names: Sequence[str], tables: dict[str, bytes]) -> SpellingIndex:
        pairs = tables["pairs"].decode("utf-8").split("\n")
        keys = tables["sound_keys"].decode("utf-8").split("\n")
        sound_starts = np.frombuffer(tables["sound_starts"], dtype="<i4")
        sound_postings = np.frombuffer(tables["sound_postings"], dtype="<i4")
        key_row = {k: i for i, k in enumerate(keys)}

        def sounds(key: str, default: np.ndarray = EMPTY) -> np.ndarray:
            row = key_row.get(key)
            return default if row is None else sound_postings[sound_starts[row] : sound_starts[row + 1]]

        return cls(
            names,
            {pair: i for i, pair in enumerate(pairs)},
            np.frombuffer(tables["starts"], dtype="<i4"),
            np.frombuffer(tables["postings"], dtype="<i4"),
            sounds,
            np.frombuffer(tables["order"], dtype="<i4"),
        )

    # Searching

    def near(self, typed: str, within: float) -> dict[str, float]:
        """Names at most `within` errors from `typed`, each with its distance."""
        radius = int(within)
        candidates = set(self._sharing_pairs(typed, radius))
        sounding: set[int] = set()
        typed_sounds = sound_keys(typed)
        for key in {*typed_sounds, *sound_keys(squeezed(typed))}:
            sounding.update(self._sounds(key, EMPTY).tolist())
        candidates |= sounding
        if not candidates:
            return {}
        positions = list(candidates)
        names = [self.names[i] for i in positions]
        # A cheap first cut in C on raw edits, then the real measure for the few that may be near:
        # half-price errors save at most one edit in these lengths, and a shared sound caps at one.
        raw = process.cdist([typed], names, scorer=OSA.distance, workers=1, dtype=np.int32)[0]
        found = {}
        for position, name, errors in zip(positions, names, raw.tolist(), strict=True):
            if errors <= within + 1 or position in sounding:
                measured = distance(typed, name, typed_sounds)
                if measured <= within:
                    found[name] = measured
        return found

    def _sharing_pairs(self, typed: str, radius: int) -> list[int]:
        """Names that could be within `radius` errors of `typed`, those sharing most letter pairs first,
        at most MEASURED of them."""
        rows = [self._pairs[p] for p in letter_pairs(typed) if p in self._pairs]
        if not rows:
            return []
        # Only names within one raw edit more than the radius are measured (see `near`).
        room = radius + 1
        low = int(np.searchsorted(self._lengths, len(typed) - room))
        high = int(np.searchsorted(self._lengths, len(typed) + room, side="right"))
        slices = []
        bounds = np.array((low, high))
        for r in rows:
            posting = self._postings[self._starts[r] : self._starts[r + 1]]
            first, last = posting.searchsorted(bounds).tolist()  # one call for both ends: this loop is hot
            slices.append(posting[first:last])
        shared = np.bincount(np.concatenate(slices) - low, minlength=high - low)
        needed = np.maximum(self._lengths[low:high], len(typed)) + 1 - PAIRS_PER_ERROR * room
        possible = np.flatnonzero(shared >= np.maximum(needed, 1))
        if len(possible) > MEASURED:
            possible = possible[np.argpartition(-shared[possible], MEASURED)[:MEASURED]]
        return (possible + low).tolist()
