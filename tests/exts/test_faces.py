"""Every face kept in step: each slash command has its console command and its `drugbot` command
(or says why it is Discord-only), derived from the command tree as it is, never from a list."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.bot import DrugBot
from bot.cli import command_names
from bot.console import Console


def test_every_slash_command_has_its_console_and_cli_faces(bot: DrugBot) -> None:
    console = set(Console(bot.knowledge).commands())
    cli = command_names()
    commands: list[Any] = [
        *bot.tree.walk_commands(),
        *bot.tree.get_commands(type=discord.AppCommandType.message),
    ]
    assert commands, "the tree has no commands: the extensions did not load"
    for command in commands:
        if isinstance(command, app_commands.Group):
            continue
        faces = command.extras
        if faces.get("discord_only"):
            continue  # a moderator or chat feature, with its reason in the declaration
        assert faces.get("console") in console, f"{command.qualified_name!r} has no console command"
        assert faces.get("cli") in cli, f"{command.qualified_name!r} has no drugbot command"


def test_every_command_comes_from_a_feature_package(bot: DrugBot) -> None:
    for command in bot.tree.walk_commands():
        assert command.module is not None and command.module.startswith("bot.exts."), command.qualified_name
