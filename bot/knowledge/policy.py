"""How sure name matching must be before it answers: one frozen object, passed to the resolver and to
the chat finder, so that a tuning run (bench/tune_resolution.py) and the bot use the same settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz


@dataclass(frozen=True)
class Policy:
    """Tuned with bench/tune_resolution.py on a labelled set of real-world misspellings and look-alikes."""

    scorer: Callable[..., float] = fuzz.ratio
    cutoff: float = 84.0  # a fuzzy answer needs at least this score...
    margin: float = 6.0  # ...and this lead over the best other drug,
    lookalike_margin: float = 15.0  # ...a wider lead over a known look-alike,
    margin_over_dictionary: float = 3.0  # ...a narrower one when a reviewed medicine leads a name-only drug
    suggest_floor: float = 60.0  # "did you mean" candidates score at least this
    min_fuzzy_letters: int = 4  # fewer typed letters: suggestions only
    max_suggestions: int = 5
    # Chat is noisier than a typed /drug query: a higher score, and only longer words, not English ones.
    chat_cutoff: float = 88.0
    chat_min_fuzzy_word: int = 6
    chat_min_dictionary_word: int = 4  # a name-only drug's name this short is too likely something else

    @property
    def chat_fuzzy_cutoff(self) -> float:
        return max(self.cutoff, self.chat_cutoff)


DEFAULT_POLICY = Policy()
