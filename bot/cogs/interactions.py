"""/interactions: check 2 to 20 medicines together, every pair worst first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.compose import check_answer
from bot.answers.model import Answer, paginate
from bot.cogs import compute, send_answers
from bot.knowledge.interactions import MAX_DRUGS, check_names, split_names
from bot.knowledge.knowledge import Knowledge
from bot.tree import UserFacingError

if TYPE_CHECKING:
    from bot.bot import DrugBot

MIN_DRUGS = 2
TEXT_LIMIT = 1000
TOO_FEW = "Name at least two medicines, separated by commas or “and”: for example `imuran, allopurinol`."
TOO_MANY = f"Name at most {MAX_DRUGS} medicines at a time."


def check_pages(knowledge: Knowledge, text: str) -> list[Answer]:
    """The check for `text` as one or more answers, each inside one embed's limits."""
    names = split_names(knowledge.names, text)
    if len(names) < MIN_DRUGS:
        raise UserFacingError(TOO_FEW)
    if len(names) > MAX_DRUGS:
        raise UserFacingError(TOO_MANY)
    report = check_names(knowledge.names, names)
    return paginate(check_answer(knowledge.names, report))


class Interactions(commands.Cog):
    def __init__(self, bot: DrugBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="interactions", description=f"Check 2 to {MAX_DRUGS} medicines together for interactions"
    )
    @app_commands.describe(
        drugs=f"2 to {MAX_DRUGS} medicine names, separated by commas or “and” (e.g. imuran, allopurinol and bactrim)",
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


async def setup(bot: DrugBot) -> None:
    await bot.add_cog(Interactions(bot))
