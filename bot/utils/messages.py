"""Sending answers, the same way for every command and button.

Answers are computed off the event loop (deferring when that takes long, so Discord's 3-second deadline
is always met), embeds stay within Discord's limits, `allowed_mentions` is nothing on every message, and
`guard` applies the per-member rate limit to buttons as the command tree applies it to commands.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import discord

from bot.answers.embed import NO_MENTIONS, to_embed
from bot.answers.model import Answer

log = logging.getLogger(__name__)

DEFER_AFTER = 1.5  # seconds of work after which the answer is deferred (Discord allows 3)
PENDING_DEFER = "drugbot.pending_defer"  # in Interaction.extras: deferred with "thinking", not answered yet

T = TypeVar("T")


def guard(interaction: discord.Interaction[Any]) -> None:
    """Count a button press against the member's rate, as commands are counted (raises SlowDown)."""
    interaction.client.tree.check_rate(interaction)


async def compute(interaction: discord.Interaction[Any], work: Callable[[], T], *, ephemeral: bool) -> T:
    """Run `work` in a thread; if it is not done within DEFER_AFTER, defer the response first."""
    return await in_time(interaction, asyncio.to_thread(work), ephemeral=ephemeral)


async def in_time(
    interaction: discord.Interaction[Any], awaitable: Awaitable[T], *, ephemeral: bool, updating: bool = False
) -> T:
    """Await `awaitable` (a community-store read, say); if it is not done within DEFER_AFTER, defer the
    response first, so that a slow store never makes the bot miss Discord's 3 seconds. `updating`: the
    answer will replace the message a button is on (`edit_answer`), so the deferral shows no new message."""
    task = asyncio.ensure_future(awaitable)
    try:
        return await asyncio.wait_for(asyncio.shield(task), DEFER_AFTER)
    except TimeoutError:
        if not interaction.response.is_done():
            if updating:
                await interaction.response.defer()
            else:
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
    if interaction.response.is_done():  # deferred by `in_time(updating=True)` while the store was slow
        await interaction.edit_original_response(
            embed=to_embed(answer), view=view, allowed_mentions=NO_MENTIONS
        )
        return
    await interaction.response.edit_message(embed=to_embed(answer), view=view, allowed_mentions=NO_MENTIONS)


async def reply_privately(interaction: discord.Interaction[Any], text: str) -> None:
    """A short ephemeral message, whatever state the interaction's response is in. Never raises."""
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        if interaction.extras.pop(PENDING_DEFER, False):
            # A public "thinking…" message would take the first followup's place, in public: remove it.
            try:
                await interaction.delete_original_response()
            except discord.HTTPException:
                log.debug("could not delete the deferred response of interaction %s", interaction.id)
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as error:
        log.warning("could not tell the member about a failure (interaction %s): %s", interaction.id, error)
