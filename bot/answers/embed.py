"""An Answer on Discord: one embed, inside every limit, coloured by severity.

Colour follows severity, but never carries meaning alone: every severity is also written in words with
a symbol in the text. The buttons that go with answers belong to the feature that answers them
(`bot.exts.drugs.buttons`).
"""

from __future__ import annotations

import discord

from bot.answers.model import Answer
from bot.knowledge.models import Severity

SEVERITY_COLOURS = {
    Severity.CONTRAINDICATED: discord.Colour(0x8B0000),
    Severity.MAJOR: discord.Colour(0xD83C3E),
    Severity.MODERATE: discord.Colour(0xE67E22),
    Severity.MINOR: discord.Colour(0xF1C40F),
}
INFO_COLOUR = discord.Colour(0x3B82F6)  # a drug card, a check with nothing found
CHOICE_COLOUR = discord.Colour(0x95A5A6)  # "which one did you mean?", "not found"

NO_MENTIONS = discord.AllowedMentions.none()


# Embeds -----------------------------------------------------------------------------------------


def colour_of(answer: Answer) -> discord.Colour:
    if answer.severity is not None:
        return SEVERITY_COLOURS[answer.severity]
    return INFO_COLOUR if answer.medical else CHOICE_COLOUR


def to_embed(answer: Answer) -> discord.Embed:
    """The answer as one embed, inside every Discord limit (the answer is fitted first)."""
    fitted = answer.fitted()
    embed = discord.Embed(
        title=fitted.title, description=fitted.description or None, colour=colour_of(fitted)
    )
    for field in fitted.fields:
        embed.add_field(name=field.name, value=field.value, inline=False)
    if fitted.footer:
        embed.set_footer(text=fitted.footer)
    return embed
