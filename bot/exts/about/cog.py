"""/about: data version, build date, counts, sources and licences, what is stored, the disclaimer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.compose import about_answer
from bot.utils.messages import send_answers

if TYPE_CHECKING:
    from bot.bot import DrugBot


class About(commands.Cog):
    def __init__(self, bot: DrugBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="about",
        description="About this bot: data version, sources, privacy",
        extras={"console": "/about", "cli": "info"},  # `drugbot info --about`
    )
    @app_commands.describe(private="Show the answer only to you (default: yes)")
    async def about(self, interaction: discord.Interaction[DrugBot], private: bool = True) -> None:
        await send_answers(interaction, [about_answer(self.bot.knowledge.store)], ephemeral=private)
