"""Chat checks: warnings in chat, the "Check drugs in message" menu, and the moderators' /settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.chat.cog import ChatChecks

if TYPE_CHECKING:
    from bot.bot import DrugBot


async def setup(bot: DrugBot) -> None:
    await bot.add_cog(ChatChecks(bot))
