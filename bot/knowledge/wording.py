"""The fixed sentences of CONTENT.md, in one place."""

from __future__ import annotations

from bot.knowledge.models import CheckReport

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


def not_reviewed_sentence(name_a: str, name_b: str) -> str:
    """For a pair with no rule where one side has no reviewed entry: not checked is not "no record"."""
    return (
        f"{name_a} and {name_b} could not be fully checked: one of them has no reviewed entry here. "
        "Ask your pharmacist whether they can be taken together."
    )


def gap_notes(report: CheckReport) -> list[str]:
    """One sentence for each pair of names with no rule: no record, or not fully checked."""
    return [no_record_sentence(a, b) for a, b in report.no_record] + [
        not_reviewed_sentence(a, b) for a, b in report.not_reviewed
    ]


def check_notes(report: CheckReport) -> list[str]:
    """One sentence for each pair of names the check found nothing for, saying what that means (a pair
    taken together on purpose says so, with its source)."""
    return gap_notes(report) + [note for _, _, note in report.usual]
