"""The fixed sentences of CONTENT.md, in one place."""

from __future__ import annotations

DISCLAIMER = (
    "General information, not medical advice. Talk to your doctor or pharmacist before starting, "
    "stopping or changing a medicine."
)


def no_record_sentence(name_a: str, name_b: str) -> str:
    """For a pair with no rule: absence of a record is never proof of safety."""
    return (
        f"No interaction on record between {name_a} and {name_b}. "
        "That does not mean the combination is safe: ask your pharmacist."
    )


def dictionary_only_sentence(typed: str, generic: str) -> str:
    """For a name known only from the dictionary, with no reviewed entry."""
    if typed.casefold() == generic.strip("*").casefold():
        return f"There is no reviewed summary for {generic} here yet."
    return f"{typed} is a name for {generic}. There is no reviewed summary for it here yet."
