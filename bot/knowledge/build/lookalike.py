"""Look-alike names: finding close pairs automatically and spelling them in tall-man letters."""

from __future__ import annotations

import numpy
from rapidfuzz import fuzz, process

# Two names of different medicines at least this similar (rapidfuzz ratio, 0-100) are treated as
# look-alikes even when no curated list names them. Chosen so that predniSONE/prednisoLONE (91) and
# cycloSPORINE/cycloSERINE (87) are caught; see bench/tune_resolution.py.
AUTO_LOOKALIKE_RATIO = 85.0
MIN_LENGTH = 6
_CHUNK = 200


def auto_lookalike_pairs(names: dict[str, str], others: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs (a in `names`, b in `others`) of close spellings that belong to different drugs.

    Both arguments map a normalised name to its drug id.
    """
    queries = [n for n in names if len(n) >= MIN_LENGTH and " " not in n]
    choices = [n for n in others if len(n) >= MIN_LENGTH and " " not in n]
    if not queries or not choices:
        return []
    pairs: set[tuple[str, str]] = set()
    for start in range(0, len(queries), _CHUNK):
        chunk = queries[start : start + _CHUNK]
        # Scores as bytes, in chunks: the full matrix of floats would take hundreds of megabytes.
        matrix = process.cdist(
            chunk,
            choices,
            scorer=fuzz.ratio,
            score_cutoff=AUTO_LOOKALIKE_RATIO,
            dtype=numpy.uint8,
            workers=-1,
        )
        for i, j in zip(*matrix.nonzero(), strict=True):
            a, b = chunk[int(i)], choices[int(j)]
            if names[a] != others[b] and (b, a) not in pairs:
                pairs.add((a, b))
    return sorted(pairs)


def tall_man_pair(a: str, b: str) -> tuple[str, str]:
    """Upper-case the part where two names differ, between their common start and common end."""
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1

    def mark(name: str) -> str:
        end = len(name) - suffix
        return name[:prefix] + name[prefix:end].upper() + name[end:]

    return mark(a), mark(b)
