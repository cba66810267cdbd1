"""How sure name matching must be before it answers: one frozen object, passed to the resolver and to
the chat finder, so that a tuning run (bench/tune_resolution.py) and the bot use the same settings.

Distances are in typing errors (see spelling.py: a doubled letter or a vowel swap counts half, names
that sound alike are at most one apart). The prior is how much nearer a medicine patients are likely to
mean counts as: it breaks ties, it does not outweigh a real difference in spelling.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    """Tuned with bench/tune_resolution.py on the tuning parts of bench/name_sets.py."""

    # How many errors a typed name of at least this many letters may have: (letters, errors), ascending.
    errors_allowed: tuple[tuple[int, float], ...] = ((4, 1.0), (7, 2.0), (11, 3.0))
    lead: float = 0.5  # an answer needs this lead (in errors, prior included) over the next medicine,
    lookalike_lead: float = 2.0  # ...and this much over a known look-alike (which is always looked at)
    prior_reviewed: float = 0.75  # a medicine this project reviews counts this much nearer,
    prior_marketed: float = 0.15  # ...one sold in the US (Drugs@FDA, Medicare Part D) this much,
    prior_popular: float = 0.1  # ...plus up to this much more by how often it is taken (Part D claims)
    min_fuzzy_letters: int = 4  # fewer typed letters: suggestions only
    max_suggestions: int = 5
    # Chat is noisier than a typed /drug query: only longer words, never common English ones, and fewer
    # errors; short words must be exact.
    chat_min_fuzzy_word: int = 5
    chat_errors_allowed: tuple[tuple[int, float], ...] = ((5, 1.0), (10, 2.0))
    # Misspelling look-ups for one message's new words (each up to half a millisecond): a 4,000-character
    # message of made-up words would otherwise hold the event loop for a tenth of a second. Words
    # past the budget are still found when spelt right, and looked at in the next message.
    chat_fuzzy_lookups: int = 32
    chat_min_dictionary_word: int = 4  # a name-only drug's name this short is too likely something else

    def allowed(self, letters: int, table: tuple[tuple[int, float], ...] | None = None) -> float:
        """The errors a name of `letters` letters may have (-1: none, exact names only)."""
        allowed = -1.0
        for at_least, errors in table or self.errors_allowed:
            if letters >= at_least:
                allowed = errors
        return allowed


DEFAULT_POLICY = Policy()
