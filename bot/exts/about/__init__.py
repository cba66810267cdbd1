"""/about: data version, sources, privacy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.about.cog import About

if TYPE_CHECKING:
    from bot.bot import DrugBot


async def setup(bot: DrugBot) -> None:
    await bot.add_cog(About(bot))
