"""Chat checks: a kind warning when a message names medicines that interact, the "Check drugs in
message" context menu, and the moderators' `/settings` for them.

The listener only runs when CHAT_CHECKS is on (it needs the Message Content intent) and the server chose
`reply` or `react`. Message text is read, scanned and forgotten: never stored, never logged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.compose import chat_reply, message_check_answer, scan_answer
from bot.answers.embed import NO_MENTIONS, to_embed
from bot.answers.model import paginate
from bot.community.models import AuditRecord, GuildSettings
from bot.exts.chat.limits import ChatLimiter
from bot.knowledge.models import Severity
from bot.utils.audit import post_to_log_channel
from bot.utils.checks import require_moderator
from bot.utils.messages import compute, guard, reply_privately, send_answers

if TYPE_CHECKING:
    from bot.bot import DrugBot

log = logging.getLogger(__name__)

DETAILS_ID = "drugbot:chat:details"
WARNING_REACTION = "⚠️"
GONE = "That message is no longer there, so it cannot be checked again."


class DetailsButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=re.compile(re.escape(DETAILS_ID))
):
    """Under a chat warning: the full check of the message it answers, privately. The message is fetched
    again when pressed, never kept."""

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(label="Details", style=discord.ButtonStyle.secondary, custom_id=DETAILS_ID)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DetailsButton:
        return cls()

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            guard(interaction)
            await details(interaction)
        except Exception as error:
            await interaction.client.tree.report(interaction, error)


async def details(interaction: discord.Interaction[DrugBot]) -> None:
    reference = interaction.message.reference if interaction.message else None
    channel = interaction.channel
    if reference is None or reference.message_id is None or not isinstance(channel, discord.abc.Messageable):
        await reply_privately(interaction, GONE)
        return
    try:
        original = await channel.fetch_message(reference.message_id)
    except (discord.NotFound, discord.Forbidden):
        await reply_privately(interaction, GONE)
        return
    bot = interaction.client
    scan = await compute(interaction, lambda: bot.knowledge.scan(original.content), ephemeral=True)
    answer = scan_answer(bot.knowledge.names, scan, Severity.MINOR) or message_check_answer(
        bot.knowledge.names, scan
    )
    await send_answers(interaction, paginate(answer), ephemeral=True)


def describe(settings: GuildSettings) -> str:
    channels = ", ".join(f"<#{c}>" for c in sorted(settings.channels)) or "none listed"
    where = {"all": "every channel", "allow": f"only {channels}", "deny": f"every channel except {channels}"}
    return (
        f"Chat checks: **{settings.chat_mode}**, for interactions at **{settings.chat_threshold}** or worse, "
        f"in {where[settings.channel_mode]}. Log channel for moderator actions: "
        + (f"<#{settings.log_channel_id}>." if settings.log_channel_id else "none.")
    )


class ChatChecks(commands.Cog):
    settings = app_commands.Group(
        name="settings",
        description="Moderators: how the bot behaves in this server",
        guild_only=True,
        default_permissions=discord.Permissions(manage_messages=True),
    )

    def __init__(self, bot: DrugBot) -> None:
        self.bot = bot
        self.limiter = ChatLimiter()
        self.silent_channels: set[int] = set()  # where the bot may not answer: logged once each
        self.menu = app_commands.ContextMenu(
            name="Check drugs in message",
            callback=self.check_message,
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            extras={"console": "/scan", "cli": "scan"},
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)
        self.bot.add_dynamic_items(DetailsButton)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)
        self.bot.remove_dynamic_items(DetailsButton)

    # The context menu ---------------------------------------------------------------------------

    async def check_message(
        self, interaction: discord.Interaction[DrugBot], message: discord.Message
    ) -> None:
        text = message.content
        scan = await compute(interaction, lambda: self.bot.knowledge.scan(text), ephemeral=True)
        answer = message_check_answer(self.bot.knowledge.names, scan)
        await send_answers(interaction, paginate(answer), ephemeral=True)

    # Settings -----------------------------------------------------------------------------------

    @settings.command(
        name="chat-checks",
        description="Warn in chat when a message names medicines that interact",
        extras={"discord_only": "a server's moderators choose it"},
    )
    @app_commands.describe(
        mode="off, a ⚠️ reaction, or a short reply with a Details button",
        threshold="The least severe interaction worth a warning",
    )
    async def chat_checks(
        self,
        interaction: discord.Interaction[DrugBot],
        mode: Literal["off", "react", "reply"],
        threshold: Literal["contraindicated", "major", "moderate"] = "major",
    ) -> None:
        require_moderator(interaction)
        await self.change(
            interaction,
            "settings chat-checks",
            lambda s: replace(s, chat_mode=mode, chat_threshold=threshold),
        )

    @settings.command(
        name="chat-channels",
        description="Where chat checks run: every channel, only listed ones, or all but listed ones",
        extras={"discord_only": "a server's moderators choose it"},
    )
    @app_commands.describe(
        action="allow: add to the channels checked; deny: add to the channels skipped; remove; or all",
        channel="The channel (not needed for all)",
    )
    async def chat_channels(
        self,
        interaction: discord.Interaction[DrugBot],
        action: Literal["allow", "deny", "remove", "all"],
        channel: discord.TextChannel | discord.ForumChannel | discord.Thread | None = None,
    ) -> None:
        require_moderator(interaction)

        def changed(settings: GuildSettings) -> GuildSettings:
            if action == "all":
                return replace(settings, channel_mode="all", channels=frozenset())
            if channel is None:
                raise app_commands.AppCommandError("name a channel")
            if action == "remove":
                return replace(settings, channels=settings.channels - {channel.id})
            # Switching between an allow-list and a deny-list starts the list afresh.
            kept = settings.channels if settings.channel_mode == action else frozenset()
            return replace(settings, channel_mode=action, channels=kept | {channel.id})

        if action != "all" and channel is None:
            await reply_privately(interaction, "Name a channel, or use `all`.")
            return
        await self.change(interaction, "settings chat-channels", changed)

    @settings.command(
        name="log-channel",
        description="Also post every moderator action in a channel (leave empty to stop)",
        extras={"discord_only": "a server's moderators choose it"},
    )
    @app_commands.describe(channel="Where to post; leave empty to stop posting")
    async def log_channel(
        self, interaction: discord.Interaction[DrugBot], channel: discord.TextChannel | None = None
    ) -> None:
        require_moderator(interaction)
        me = channel.guild.me if channel is not None else None
        if channel is not None and me is not None and not channel.permissions_for(me).send_messages:
            await reply_privately(
                interaction, f"I can't send messages in {channel.mention}. Give me Send Messages there first."
            )
            return
        await self.change(
            interaction,
            "settings log-channel",
            lambda s: replace(s, log_channel_id=channel.id if channel else None),
        )

    @settings.command(
        name="show", description="This server's settings", extras={"discord_only": "per-server settings"}
    )
    async def show(self, interaction: discord.Interaction[DrugBot]) -> None:
        require_moderator(interaction)
        assert interaction.guild_id is not None
        current = await self.bot.community.guild_settings(interaction.guild_id)
        await reply_privately(interaction, describe(current))

    async def change(self, interaction: discord.Interaction[DrugBot], action: str, edit: Any) -> None:
        assert interaction.guild_id is not None
        before = await self.bot.community.guild_settings(interaction.guild_id)
        wanted = edit(before)
        record = AuditRecord(
            interaction.guild_id, interaction.user.id, action, describe(before), describe(wanted)
        )
        after = await self.bot.community.save_guild_settings(wanted, audit=record)
        await post_to_log_channel(self.bot, record)
        await reply_privately(interaction, f"Saved. {describe(after)}")

    # The listener -------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not self.bot.settings.chat_checks or message.guild is None or message.webhook_id is not None:
            return
        if message.author.bot or message.author == self.bot.user or not message.content:
            return
        settings = await self.bot.community.guild_settings(message.guild.id)
        channel = message.channel
        parent = getattr(channel, "parent_id", None)
        if settings.chat_mode == "off" or not settings.checks_channel(
            channel.id, *([parent] if parent else [])
        ):
            return
        text = message.content
        scan = await self.bot.loop.run_in_executor(None, self.bot.knowledge.scan, text)
        threshold = Severity.parse(settings.chat_threshold)
        answer = chat_reply(self.bot.knowledge.names, scan, threshold)
        if answer is None or scan.check is None:
            return
        pairs = [f.drugs for f in scan.check.interactions if f.severity >= threshold]
        if not self.limiter.allow(message.guild.id, channel.id, pairs):
            return
        me = message.guild.me
        allowed = (
            channel.permissions_for(me) if me is not None and hasattr(channel, "permissions_for") else None
        )
        react = settings.chat_mode == "react"
        if allowed is not None and not (
            allowed.add_reactions if react else allowed.send_messages and allowed.embed_links
        ):
            self.stay_silent(message.guild.id, channel.id, "react" if react else "reply")
            return
        try:
            if react:
                await message.add_reaction(WARNING_REACTION)
            else:
                view = discord.ui.View(timeout=None)
                view.add_item(DetailsButton())
                await message.reply(
                    embed=to_embed(answer), view=view, mention_author=False, allowed_mentions=NO_MENTIONS
                )
        except discord.Forbidden:
            self.stay_silent(message.guild.id, channel.id, "react" if react else "reply")

    def stay_silent(self, guild_id: int, channel_id: int, what: str) -> None:
        """Where the bot may not answer it says nothing, and logs that once per channel."""
        if channel_id not in self.silent_channels:
            self.silent_channels.add(channel_id)
            log.warning(
                "chat check may not %s in channel %s of server %s (missing permission): staying silent there",
                what,
                channel_id,
                guild_id,
            )
