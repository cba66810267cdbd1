"""Pinned answers: the "Pin answer" message menu, /pins list and /pins remove, and noticing answers
that were deleted or unpinned elsewhere.

Pinning needs Pin Messages or Manage Messages in the channel, checked in code at every call; the bot
itself needs Pin Messages (Discord requires it for pinning since February 2026). A record is written
only after Discord pinned the message, and shown as pinned only while Discord says it is (see
bot/utils/pins.py); each pin and unpin is an audited moderator action.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.embed import NO_MENTIONS, to_embed
from bot.answers.model import Answer, clip
from bot.community.models import AuditRecord, PinnedAnswer
from bot.community.store import CommunityStoreError
from bot.exts.drugs.buttons import drug_ref, resolve_ref
from bot.exts.moderation.medicines import chosen_medicine, medicine_choices
from bot.knowledge.domain import Knowledge
from bot.tree import UserFacingError
from bot.utils.audit import post_to_log_channel
from bot.utils.checks import require_pinner
from bot.utils.messages import guard, reply_privately, send_answers
from bot.utils.pins import jump_url, still_pinned

if TYPE_CHECKING:
    from bot.bot import DrugBot

log = logging.getLogger(__name__)

PAGE_SIZE = 10
PAGE_PREFIX = "drugbot:pins:"
COG_NAME = "Pins"
ERROR_MAX_PINS = 30003  # "Maximum number of pins reached for the channel (250)"

NOT_MINE = "I can only pin my own answers. Use Discord's own Pin Message for other messages."
ALREADY = "That answer is already pinned."
BOT_CANNOT_PIN = (
    "I need the Pin Messages permission in that channel to pin or unpin. Ask an admin to grant it."
)
FULL = "This channel already has 250 pinned messages, Discord's limit. Unpin one first."
GONE = "That message no longer exists."
NOT_RECORDED = "I could not record the pin, so I took it back. Please try again in a moment."
UNPINNED_NOT_RECORDED = (
    "I unpinned it, but could not record that just now; /pins list will drop it the next time it is shown."
)


def about(knowledge: Knowledge, message: discord.Message) -> tuple[str, ...]:
    """The medicines an answer is about, in order: those its title and the first line of its
    description name (a card's title is the medicine; a check's first line lists what it checked)."""
    embed = message.embeds[0] if message.embeds else None
    first_line = (embed.description or "").split("\n", 1)[0] if embed else message.content.split("\n", 1)[0]
    text = "\n".join(part for part in ((embed.title if embed else "") or "", first_line) if part)
    return tuple(dict.fromkeys(m.drug for m in knowledge.scan(text).mentions))


def title_of(message: discord.Message) -> str:
    embed = message.embeds[0] if message.embeds else None
    title = (embed.title if embed else None) or message.content.split("\n", 1)[0] or "an answer"
    return clip(title, 100) or "an answer"


def pin_line(pin: PinnedAnswer) -> str:
    when = pin.pinned_at[:10]
    return f"📌 [{discord.utils.escape_markdown(pin.title)}]({jump_url(pin)}) in <#{pin.channel_id}>, {when}"


def message_id_of(text: str) -> int | None:
    """The message a /pins remove option names: an id, or a message link (its last number)."""
    found = re.findall(r"\d{15,20}", text)
    return int(found[-1]) if found else None


class PinsPageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.compile(re.escape(PAGE_PREFIX) + r"(?P<page>\d{1,4}):(?P<ref>.*)", re.DOTALL),
):
    """Another page of /pins list ("" as ref: every medicine)."""

    def __init__(self, page: int, ref: str, label: str = "…") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=f"{PAGE_PREFIX}{page}:{ref}"
            )
        )
        self.page = page
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PinsPageButton:
        return cls(int(match["page"]), match["ref"], getattr(item, "label", None) or "…")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        cog: Pins | None = interaction.client.get_cog(COG_NAME)
        try:
            if cog is None:
                raise UserFacingError("Run /pins list again.")
            guard(interaction)
            drug = resolve_ref(cog.bot.knowledge.store, self.ref) if self.ref else None
            if self.ref and drug is None:
                raise UserFacingError("That medicine is no longer in the data. Run /pins list again.")
            await cog.show_page(interaction, drug, self.page, edit=True)
        except Exception as error:
            await interaction.client.tree.report(interaction, error)


class Pins(commands.Cog):
    pins = app_commands.Group(name="pins", description="Answers pinned in this server", guild_only=True)

    def __init__(self, bot: DrugBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(
            name="Pin answer",
            callback=self.pin_answer,
            allowed_contexts=app_commands.AppCommandContext(guild=True),
            allowed_installs=app_commands.AppInstallationType(guild=True),
            extras={"discord_only": "pins are a server's"},
        )
        self.menu.default_permissions = discord.Permissions(pin_messages=True)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)
        self.bot.add_dynamic_items(PinsPageButton)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)
        self.bot.remove_dynamic_items(PinsPageButton)

    def names_of(self, drugs: tuple[str, ...]) -> str:
        """The medicines a pinned answer is about, as the audit log and the replies name them."""
        return ", ".join(self.bot.knowledge.store.name(d) for d in drugs) or "no medicine named"

    # Pin answer ---------------------------------------------------------------------------------

    async def pin_answer(self, interaction: discord.Interaction[DrugBot], message: discord.Message) -> None:
        require_pinner(interaction)
        assert interaction.guild_id is not None
        if self.bot.user is None or message.author.id != self.bot.user.id:
            raise UserFacingError(NOT_MINE)
        existing = await self.bot.community.pin(interaction.guild_id, message.id)
        if message.pinned or (existing is not None and existing.live):
            raise UserFacingError(ALREADY)
        if not interaction.app_permissions.pin_messages:
            raise UserFacingError(BOT_CANNOT_PIN)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            await message.pin(reason=f"Pin answer, by member {interaction.user.id}")
        except discord.NotFound:
            raise UserFacingError(GONE) from None
        except discord.Forbidden:
            raise UserFacingError(BOT_CANNOT_PIN) from None
        except discord.HTTPException as error:
            if error.code == ERROR_MAX_PINS:
                raise UserFacingError(FULL) from None
            raise
        channel_id = message.channel.id
        drugs = about(self.bot.knowledge, message)
        record = PinnedAnswer(
            interaction.guild_id, channel_id, message.id, drugs, title_of(message), interaction.user.id
        )
        names = self.names_of(drugs)
        action = AuditRecord(interaction.guild_id, interaction.user.id, f"pin: {names}", "", pin_line(record))
        try:
            record = await self.bot.community.add_pin(record, audit=action)
        except CommunityStoreError:
            log.exception("pinned message %s but could not record it: unpinning", message.id)
            try:
                await message.unpin(reason="Pin answer could not be recorded")
            except discord.HTTPException:
                log.warning("could not take back the pin of message %s", message.id)
            raise UserFacingError(NOT_RECORDED) from None
        await post_to_log_channel(self.bot, action)
        await reply_privately(interaction, f"Pinned ({names}). /pins list shows the server's pinned answers.")

    # /pins list ---------------------------------------------------------------------------------

    @pins.command(
        name="list",
        description="This server's pinned answers, newest first",
        extras={"discord_only": "pins are a server's"},
    )
    @app_commands.describe(drug="Only answers about this medicine")
    async def pins_list(
        self, interaction: discord.Interaction[DrugBot], drug: app_commands.Range[str, 1, 100] | None = None
    ) -> None:
        drug_id = chosen_medicine(self.bot.knowledge, drug) if drug else None
        await self.show_page(interaction, drug_id, 0, edit=False)

    async def show_page(
        self, interaction: discord.Interaction[Any], drug_id: str | None, page: int, *, edit: bool
    ) -> None:
        """One page of live pins, each checked with Discord first (gone ones are marked and skipped)."""
        assert interaction.guild_id is not None
        if edit:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=True, thinking=True)
        while True:  # checking can remove records from this page: check again until it holds
            records = await self.bot.community.pins(interaction.guild_id, drug_id)
            pages = max(1, -(-len(records) // PAGE_SIZE))
            page = min(max(page, 0), pages - 1)
            shown = records[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            if await still_pinned(self.bot, shown) == shown:
                break
        about_what = f" about {self.bot.knowledge.store.name(drug_id)}" if drug_id else ""
        answer = Answer(
            title=f"Pinned answers{about_what} in this server",
            description="\n".join(pin_line(p) for p in shown)
            or f"No answers{about_what} are pinned here. Moderators pin one with the Pin answer menu.",
            footer=f"page {page + 1} of {pages} · {len(records)} pinned" if records else "",
            medical=False,
        )
        view = self.page_view(drug_id, page, pages)
        if edit:
            await interaction.edit_original_response(
                embed=to_embed(answer), view=view, allowed_mentions=NO_MENTIONS
            )
        else:
            await send_answers(interaction, [answer], ephemeral=True, view=view)

    def page_view(self, drug_id: str | None, page: int, pages: int) -> discord.ui.View | None:
        if pages <= 1:
            return None
        ref = drug_ref(drug_id, f"{PAGE_PREFIX}{pages}:") if drug_id else ""
        view = discord.ui.View(timeout=None)
        if page > 0:
            view.add_item(PinsPageButton(page - 1, ref, "◀ Newer"))
        if page < pages - 1:
            view.add_item(PinsPageButton(page + 1, ref, "Older ▶"))
        return view

    # /pins remove -------------------------------------------------------------------------------

    @pins.command(
        name="remove",
        description="Moderators: unpin a pinned answer",
        extras={"discord_only": "pins are a server's"},
    )
    @app_commands.describe(answer="The pinned answer (pick from the list, or paste its message link)")
    async def pins_remove(
        self, interaction: discord.Interaction[DrugBot], answer: app_commands.Range[str, 1, 200]
    ) -> None:
        assert interaction.guild_id is not None
        message_id = message_id_of(answer)
        record = await self.bot.community.pin(interaction.guild_id, message_id) if message_id else None
        if record is None:
            raise UserFacingError("That is not one of the answers pinned here. Pick one from the list.")
        require_pinner(interaction, record.channel_id)
        if not record.live:
            raise UserFacingError(f"That answer is not pinned any more ({record.state}).")
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            await self.bot.http.unpin_message(
                record.channel_id, record.message_id, reason=f"/pins remove, by member {interaction.user.id}"
            )
        except discord.NotFound:
            await self.bot.community.mark_pin(record.guild_id, record.message_id, "deleted")
            raise UserFacingError(GONE + " I took it off the list.") from None
        except discord.Forbidden:
            raise UserFacingError(BOT_CANNOT_PIN) from None
        names = self.names_of(record.drugs)
        action = AuditRecord(
            record.guild_id, interaction.user.id, f"unpin: {names}", pin_line(record), "removed"
        )
        try:
            await self.bot.community.mark_pin(record.guild_id, record.message_id, "removed", audit=action)
        except CommunityStoreError:
            # Unpinned but not recorded: pin it again, so that "nothing was changed" stays true.
            try:
                await self.bot.http.pin_message(
                    record.channel_id, record.message_id, reason="/pins remove could not be recorded"
                )
            except discord.HTTPException:
                log.warning("could not pin message %s again: the next listing marks it", record.message_id)
                raise UserFacingError(UNPINNED_NOT_RECORDED) from None
            raise
        await post_to_log_channel(self.bot, action)
        await reply_privately(interaction, "Unpinned, and taken off /pins list.")

    @pins_remove.autocomplete("answer")
    async def pinned_answers(
        self, interaction: discord.Interaction[DrugBot], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        wanted = current.casefold()
        choices = []
        for pin in await self.bot.community.pins(interaction.guild_id):
            channel = interaction.guild.get_channel_or_thread(pin.channel_id) if interaction.guild else None
            label = f"{pin.title} · #{channel.name if channel else pin.channel_id} · {pin.pinned_at[:10]}"
            if wanted in label.casefold():
                choices.append(app_commands.Choice(name=clip(label, 100) or "…", value=str(pin.message_id)))
        return choices[:25]

    @pins_list.autocomplete("drug")
    async def medicine_names(
        self, interaction: discord.Interaction[DrugBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return medicine_choices(self.bot.knowledge, current)

    # Noticing pins that went away ---------------------------------------------------------------

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        if payload.guild_id is not None:
            await self.bot.community.mark_pin(payload.guild_id, payload.message_id, "deleted")

    @commands.Cog.listener()
    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        if payload.guild_id is not None:
            for message_id in payload.message_ids:
                await self.bot.community.mark_pin(payload.guild_id, message_id, "deleted")

    @commands.Cog.listener()
    async def on_guild_channel_pins_update(
        self, channel: discord.abc.GuildChannel | discord.Thread, last_pin: Any
    ) -> None:
        """Someone pinned or unpinned in a channel: check the answers recorded as pinned there."""
        pinned_here = [
            p for p in await self.bot.community.pins(channel.guild.id) if p.channel_id == channel.id
        ]
        await still_pinned(self.bot, pinned_here)
