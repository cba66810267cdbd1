"""Who may do what: checked in code at every call, since a server can change a command's default
permissions, and never on the payload's word alone.

A member's permissions in a channel are computed from what the gateway told the bot about the server
(its roles and the channel's overwrites) and the member's roles; the permission number in the
interaction payload can only lower that, never raise it. When the bot holds no copy of the server yet
(just started, or the server is unavailable) moderator actions are refused with a reason.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.tree import UserFacingError

MODERATORS = "Manage Server or Manage Messages"
PINNERS = "Pin Messages or Manage Messages"
NOT_READY = "I can't check permissions in this server yet (I may have just started). Try again in a minute."


def member_permissions(
    interaction: discord.Interaction[Any], channel_id: int | None = None
) -> discord.Permissions:
    """What the member who interacted may do in the interaction's channel, or in `channel_id`."""
    guild = interaction.client.get_guild(interaction.guild_id) if interaction.guild_id else None
    member = interaction.user
    if guild is None or guild.unavailable or not isinstance(member, discord.Member):
        raise UserFacingError(NOT_READY)
    here = interaction.channel.id if interaction.channel is not None else None
    channel = guild.get_channel_or_thread(channel_id if channel_id is not None else here or 0)
    if channel is None:
        raise UserFacingError(NOT_READY)
    computed: discord.Permissions = channel.permissions_for(member)
    if channel.id != here:
        return computed  # the payload's number is about the channel the member is in
    return discord.Permissions(computed.value & interaction.permissions.value)


def require_moderator(interaction: discord.Interaction[Any]) -> None:
    """Moderator actions need Manage Server or Manage Messages, in a server."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    permissions = member_permissions(interaction)
    if not (permissions.manage_guild or permissions.manage_messages):
        raise app_commands.MissingPermissions(["manage_guild"])


def require_pinner(interaction: discord.Interaction[Any], channel_id: int | None = None) -> None:
    """Pinning and unpinning need Pin Messages or Manage Messages in the channel of the message."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    permissions = member_permissions(interaction, channel_id)
    if not (permissions.pin_messages or permissions.manage_messages):
        raise app_commands.MissingPermissions(["pin_messages"])
