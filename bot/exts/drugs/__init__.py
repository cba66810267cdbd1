"""/drug: a medicine's card, its autocomplete and the buttons under drug answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.drugs.cog import Drugs

if TYPE_CHECKING:
    from bot.bot import DrugBot


async def setup(bot: DrugBot) -> None:
    await bot.add_cog(Drugs(bot))
