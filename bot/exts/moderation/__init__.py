"""Moderators: pinned answers, community notes on medicines and the audit log of moderator actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.moderation.cog import Moderation
from bot.exts.moderation.pins import Pins

if TYPE_CHECKING:
    from bot.bot import DrugBot


async def setup(bot: DrugBot) -> None:
    await bot.add_cog(Moderation(bot))
    await bot.add_cog(Pins(bot))
