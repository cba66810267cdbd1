"""/interactions: checking a list of medicines together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.checks.cog import Checks

if TYPE_CHECKING:
    from bot.bot import DrugBot


async def setup(bot: DrugBot) -> None:
    await bot.add_cog(Checks(bot))
