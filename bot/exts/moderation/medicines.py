"""The medicine a moderator's command is about: typed or picked from autocomplete, never guessed."""

from __future__ import annotations

from discord import app_commands

from bot.knowledge.domain import Knowledge
from bot.tree import UserFacingError

NAME_LIMIT = 100


def chosen_medicine(knowledge: Knowledge, name: str) -> str:
    """The id a typed or autocompleted name means, or a short private refusal with suggestions."""
    resolution = knowledge.resolve_choice(name)
    if resolution.status != "match" or resolution.drug is None:
        suggestions = ", ".join(c.shown_as for c in resolution.candidates[:3])
        hint = f" Did you mean {suggestions}?" if suggestions else ""
        raise UserFacingError(f"Which medicine? Pick one from the list.{hint}")
    return resolution.drug


def medicine_choices(knowledge: Knowledge, current: str) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=c.label, value=c.value) for c in knowledge.autocomplete(current[:NAME_LIMIT])
    ]
