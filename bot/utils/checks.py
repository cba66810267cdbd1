"""Who may do what: checked in code at every call, since a server can change a command's default
permissions and a payload only says what Discord computed for that member."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

MODERATORS = "Manage Server or Manage Messages"


def require_moderator(interaction: discord.Interaction[Any]) -> None:
    """Moderator actions need Manage Server or Manage Messages, in a server."""
    permissions = interaction.permissions
    if interaction.guild_id is None or not (permissions.manage_guild or permissions.manage_messages):
        raise app_commands.MissingPermissions(["manage_guild"])
