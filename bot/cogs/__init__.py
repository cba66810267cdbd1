"""The bot's faces on Discord: thin cogs that parse an interaction, ask the domain, and send an answer.

The helpers here keep every send the same: answers computed off the event loop (deferring when that
takes long, so Discord's 3-second deadline is always met), embeds within Discord's limits, and
`allowed_mentions` set to nothing on every message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import discord

from bot.answers.embed import NO_MENTIONS, to_embed
from bot.answers.model import Answer
from bot.tree import PENDING_DEFER

EXTENSIONS = ("bot.cogs.drugs", "bot.cogs.interactions", "bot.cogs.about")
DEFER_AFTER = 1.5  # seconds of work after which the answer is deferred (Discord allows 3)

T = TypeVar("T")


async def compute(interaction: discord.Interaction[Any], work: Callable[[], T], *, ephemeral: bool) -> T:
    """Run `work` in a thread; if it is not done within DEFER_AFTER, defer the response first."""
    task = asyncio.ensure_future(asyncio.to_thread(work))
    try:
        return await asyncio.wait_for(asyncio.shield(task), DEFER_AFTER)
    except TimeoutError:
        if not interaction.response.is_done():
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
            interaction.extras[PENDING_DEFER] = True
        return await task


async def send_answers(
    interaction: discord.Interaction[Any],
    answers: Sequence[Answer],
    *,
    ephemeral: bool,
    view: discord.ui.View | None = None,
) -> None:
    """Send answers as one message each (the first as the response), the view on the last one."""
    for number, answer in enumerate(answers, start=1):
        kwargs: dict[str, Any] = {
            "embed": to_embed(answer),
            "ephemeral": ephemeral,
            "allowed_mentions": NO_MENTIONS,
        }
        if number == len(answers) and view is not None:
            kwargs["view"] = view
        if not interaction.response.is_done():
            await interaction.response.send_message(**kwargs)
        else:
            interaction.extras.pop(PENDING_DEFER, None)
            await interaction.followup.send(**kwargs)


async def edit_answer(
    interaction: discord.Interaction[Any], answer: Answer, view: discord.ui.View | None
) -> None:
    """Replace the message a button was pressed on with `answer` (a component interaction only)."""
    await interaction.response.edit_message(embed=to_embed(answer), view=view, allowed_mentions=NO_MENTIONS)
