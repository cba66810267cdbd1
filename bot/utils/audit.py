"""Moderator actions: each is recorded in the community store in the same transaction as the change
it made (the store's write methods take its `AuditRecord`) and then, when the server chose a log channel
(/settings log-channel), posted there. A post that fails (the channel is gone, the bot may not send
there) is logged once per channel; the action and its record stand."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.answers.embed import NO_MENTIONS
from bot.community.models import AuditRecord

if TYPE_CHECKING:
    from bot.bot import DrugBot

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000
_unwritable: set[int] = set()  # log channels a post already failed in, so the warning is logged once


def audit_line(record: AuditRecord) -> str:
    """One action as a line: when, who (a mention that never pings), what, before → after."""
    when = f"{record.at} " if record.at else ""
    return f"{when}<@{record.actor_id}> {record.action}: {record.before or '(none)'} → {record.after or '(none)'}"


async def post_to_log_channel(bot: DrugBot, record: AuditRecord) -> None:
    """Post a recorded moderator action in the server's log channel, if it has one."""
    channel_id = (await bot.community.guild_settings(record.guild_id)).log_channel_id
    if channel_id is None:
        return
    text = "📋 " + audit_line(record)
    if len(text) > MESSAGE_LIMIT:  # a note of 500 characters before and after fits; say so if ever not
        text = text[: MESSAGE_LIMIT - 60].rstrip() + "… (the whole entry is in /audit)"
    try:
        channel = bot.get_partial_messageable(channel_id, guild_id=record.guild_id)
        await channel.send(text, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as error:
        if channel_id not in _unwritable:
            _unwritable.add(channel_id)
            log.warning(
                "could not post to the log channel %s of server %s (%s): the action is recorded in /audit",
                channel_id,
                record.guild_id,
                error.status,
            )
