"""The one command tree: the interaction check and all app-command error handling.

Every failure becomes a short private (ephemeral) reply; the traceback goes to the log, never to the user.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.community.store import CommunityStoreError
from bot.utils.messages import reply_privately

if TYPE_CHECKING:
    from bot.bot import DrugBot

log = logging.getLogger(__name__)


# A member may run this many commands (buttons included) in this many seconds; autocomplete is free.
RATE = 8
PER = 15.0

GENERIC_FAILURE = "Sorry, something went wrong while answering. Please try again in a moment."
NOT_AVAILABLE = (
    "That command is not available any more. Discord may still be updating the command list: try again later."
)
NO_PERMISSION = "You don't have permission to use that here."
BOT_PERMISSION = "I don't have the permissions I need here: {perms}. Ask a moderator."
# Discord's answers that end an interaction: nothing more can be sent for it.
INTERACTION_GONE = {
    10062: "the interaction expired before the answer (Discord allows 3 seconds)",
    40060: "the interaction was already answered",
}
STORE_UNAVAILABLE = (
    "I couldn't save that just now: this server's settings store is busy or cannot be written. Nothing was "
    "changed. Please try again in a minute; if it keeps happening, tell the bot's operator."
)


class SlowDown(app_commands.CheckFailure):
    """A member is sending commands faster than the rate allows."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after:.1f}s")
        self.retry_after = retry_after


class UserFacingError(app_commands.AppCommandError):
    """A failure whose message is safe and useful to show as is (a usage problem, not a bug)."""


class RateLimiter:
    """A fixed-window counter per member, pruned as it grows."""

    def __init__(self, rate: int = RATE, per: float = PER) -> None:
        self.rate = rate
        self.per = per
        self._windows: dict[int, tuple[float, int]] = {}

    def hit(self, user_id: int, now: float | None = None) -> float:
        """Count one use; 0.0 when allowed, otherwise the seconds to wait."""
        now = time.monotonic() if now is None else now
        start, count = self._windows.get(user_id, (now, 0))
        if now - start >= self.per:
            start, count = now, 0
        if count >= self.rate:
            return self.per - (now - start)
        self._windows[user_id] = (start, count + 1)
        if len(self._windows) > 50_000:
            self._windows = {u: w for u, w in self._windows.items() if now - w[0] < self.per}
        return 0.0


def failure_message(error: BaseException) -> str:
    """What a member is told about a failure: short, plain, no internals."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, SlowDown):
        return f"You're going a bit fast. Try again in {max(error.retry_after, 1):.0f} seconds."
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return NOT_AVAILABLE
    if isinstance(error, app_commands.BotMissingPermissions):
        return BOT_PERMISSION.format(perms=", ".join(error.missing_permissions))
    if isinstance(
        error, app_commands.MissingPermissions | app_commands.MissingRole | app_commands.MissingAnyRole
    ):
        return NO_PERMISSION
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"That command is cooling down. Try again in {max(error.retry_after, 1):.0f} seconds."
    if isinstance(error, app_commands.TransformerError):
        return "That value could not be understood. Please check it and try again."
    if isinstance(error, app_commands.CheckFailure):
        return NO_PERMISSION
    if isinstance(error, CommunityStoreError):
        return STORE_UNAVAILABLE
    return GENERIC_FAILURE


def is_expected(error: BaseException) -> bool:
    """Failures that are part of normal use: logged briefly, without a traceback."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    return isinstance(
        error,
        app_commands.CheckFailure
        | UserFacingError
        | app_commands.CommandNotFound
        | app_commands.TransformerError
        | CommunityStoreError,  # the store said why (locked, read-only, full): no traceback needed
    )


def describe(interaction: discord.Interaction[Any]) -> str:
    """Where an interaction came from, for the log: ids only, no user text."""
    name = interaction.command.qualified_name if interaction.command else interaction.type.name
    return (
        f"{name!r} (interaction {interaction.id}, guild {interaction.guild_id}, user {interaction.user.id})"
    )


class DrugTree(app_commands.CommandTree["DrugBot"]):
    """Owns the interaction check and every app-command failure."""

    def __init__(self, client: DrugBot, **options: Any) -> None:
        super().__init__(client, **options)
        self.limiter = RateLimiter()

    async def interaction_check(self, interaction: discord.Interaction[DrugBot], /) -> bool:
        if interaction.type is discord.InteractionType.autocomplete:
            return True
        self.check_rate(interaction)
        return True

    def check_rate(self, interaction: discord.Interaction[Any]) -> None:
        wait = self.limiter.hit(interaction.user.id)
        if wait > 0:
            raise SlowDown(wait)

    async def on_error(
        self, interaction: discord.Interaction[DrugBot], error: app_commands.AppCommandError, /
    ) -> None:
        await self.report(interaction, error)

    async def report(self, interaction: discord.Interaction[Any], error: BaseException) -> None:
        """Log a failure (traceback only for bugs) and answer the member privately."""
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if isinstance(original, discord.HTTPException) and original.code in INTERACTION_GONE:
            # Nothing can be sent for this interaction any more: say so once, try nothing else.
            log.warning(
                "%s could not be answered: %s", describe(interaction), INTERACTION_GONE[original.code]
            )
            return
        if isinstance(original, CommunityStoreError):  # the operator should know; the member is told
            log.warning("%s could not write the community store: %s", describe(interaction), original)
        elif is_expected(error):
            log.info("%s refused: %s", describe(interaction), error)
        else:
            log.error("%s failed", describe(interaction), exc_info=error)
        if interaction.type is discord.InteractionType.autocomplete:
            return  # an autocomplete cannot carry a message
        await reply_privately(interaction, failure_message(error))
