"""/interactions: check 2 to 20 medicines together, every pair worst first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.compose import check_answer
from bot.answers.model import Answer, paginate
from bot.knowledge.domain import MAX_NAMES, CheckSizeError, Knowledge
from bot.tree import UserFacingError
from bot.utils.messages import compute, send_answers

if TYPE_CHECKING:
    from bot.bot import DrugBot

TEXT_LIMIT = 1000


def check_pages(knowledge: Knowledge, text: str) -> list[Answer]:
    """The check for `text` as one or more answers, each inside one embed's limits."""
    try:
        report = knowledge.check_text(text)
    except CheckSizeError as error:
        raise UserFacingError(str(error)) from None
    return paginate(check_answer(knowledge.names, report))


class Checks(commands.Cog):
    def __init__(self, bot: DrugBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="interactions",
        description=f"Check 2 to {MAX_NAMES} medicines together for interactions",
        extras={"console": "/interactions", "cli": "check"},
    )
    @app_commands.allowed_installs(guilds=True, users=True)  # also as a member's own app, in DMs
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        drugs=f"2 to {MAX_NAMES} medicine names, separated by commas or “and” (e.g. imuran, allopurinol and bactrim)",
        private="Show the answer only to you",
    )
    async def interactions(
        self,
        interaction: discord.Interaction[DrugBot],
        drugs: app_commands.Range[str, 1, TEXT_LIMIT],
        private: bool = False,
    ) -> None:
        pages = await compute(interaction, lambda: check_pages(self.bot.knowledge, drugs), ephemeral=private)
        await send_answers(interaction, pages, ephemeral=private)
