"""Whether pinned answers are still there: a record is shown as pinned only while Discord says so.

A pin can disappear without the bot seeing it happen (the message deleted while the bot was offline,
or without the message intents). Before records are shown they are checked with Discord, and those
whose message is gone or no longer pinned are marked so, never shown as live again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.community.models import PinnedAnswer, PinState

if TYPE_CHECKING:
    from bot.bot import DrugBot

log = logging.getLogger(__name__)


def jump_url(pin: PinnedAnswer) -> str:
    return f"https://discord.com/channels/{pin.guild_id}/{pin.channel_id}/{pin.message_id}"


async def still_pinned(bot: DrugBot, pins: list[PinnedAnswer]) -> list[PinnedAnswer]:
    """The pins whose message Discord still has pinned (or could not say: kept, since only a known
    change is recorded); the others are marked unpinned or deleted."""

    async def check(pin: PinnedAnswer) -> bool:
        state: PinState
        try:
            message = await bot.http.get_message(pin.channel_id, pin.message_id)
        except discord.NotFound:
            state = "deleted"  # the message, or its whole channel
        except discord.HTTPException as error:
            log.info("could not check pinned message %s (%s): kept as it is", pin.message_id, error.status)
            return True
        else:
            if message.get("pinned", False):
                return True
            state = "unpinned"
        if await bot.community.mark_pin(pin.guild_id, pin.message_id, state) is not None:
            log.info("pinned answer %s in server %s was %s elsewhere", pin.message_id, pin.guild_id, state)
        return False

    kept = await asyncio.gather(*(check(pin) for pin in pins))
    return [pin for pin, live in zip(pins, kept, strict=True) if live]
