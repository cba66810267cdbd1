"""/drug: a medicine's card, with autocomplete, section buttons and "which one did you mean?" buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.compose import SECTION_TITLES, SECTIONS, drug_answer, with_note, with_pins
from bot.answers.model import Answer, paginate
from bot.exts.drugs.buttons import DYNAMIC_ITEMS, answer_view, resolve_ref
from bot.knowledge.models import Resolution
from bot.knowledge.names import DEFAULT_POPULAR
from bot.utils.messages import compute, edit_answer, guard, in_time, reply_privately, send_answers
from bot.utils.pins import jump_url, still_pinned

if TYPE_CHECKING:
    from bot.bot import DrugBot

NAME_LIMIT = 100  # a typed name longer than this is not a medicine name
PINS_ON_CARD = 3  # links on a card; /pins list shows the rest
GONE = "That medicine is no longer in the data. Run /drug again to look it up."


class Drugs(commands.Cog):
    """The drug card, its autocomplete, and every button under a drug answer (see buttons.py)."""

    def __init__(self, bot: DrugBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # The answer buttons live as long as this cog: a message sent before a restart keeps working.
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    # The card -----------------------------------------------------------------------------------

    def card(self, resolution: Resolution, section: str) -> Answer:
        """The answer for a resolution (pure domain work: safe to run in a thread)."""
        return drug_answer(self.bot.knowledge.names, resolution, section)

    async def page_of(self, interaction: discord.Interaction[Any], answer: Answer, page: int = 0) -> Answer:
        """One page of a card, with this server's pinned answers about the medicine and its community
        note, when it has them."""
        drug_id = answer.drug
        if interaction.guild_id is not None and drug_id is not None:
            pinned = await self.bot.community.pins(interaction.guild_id, drug_id)
            live = await still_pinned(self.bot, pinned[:PINS_ON_CARD])
            if live:
                lines = [f"📌 pinned in <#{p.channel_id}>: {jump_url(p)}" for p in live]
                answer = with_pins(answer, lines, max(len(pinned) - PINS_ON_CARD, 0))
            note = await self.bot.community.note(interaction.guild_id, drug_id)
            if note is not None:
                answer = with_note(answer, note.text)
        pages = paginate(answer)
        return pages[min(max(page, 0), len(pages) - 1)]

    def view_for(self, answer: Answer) -> discord.ui.View | None:
        """Buttons for a card: built on the event loop, where discord.py objects belong."""
        store = self.bot.knowledge.store
        reviewed = (
            answer.drug is not None and store.kind_of(answer.drug) == "drug" and store.is_curated(answer.drug)
        )
        return answer_view(answer, sections=reviewed)

    @app_commands.command(
        name="drug",
        description="A medicine's card: what it is for, side effects, interactions",
        extras={"console": "/drug", "cli": "info"},  # the same answer offline (tests/exts/test_faces.py)
    )
    @app_commands.allowed_installs(guilds=True, users=True)  # also as a member's own app, in DMs
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    @app_commands.describe(
        name="The medicine, by generic or brand name (misspellings are fine)",
        section="Which part of the card to show (default: overview)",
        private="Show the answer only to you",
    )
    @app_commands.choices(section=[app_commands.Choice(name=SECTION_TITLES[s], value=s) for s in SECTIONS])
    async def drug(
        self,
        interaction: discord.Interaction[DrugBot],
        name: app_commands.Range[str, 1, NAME_LIMIT],
        section: str = "overview",
        private: bool = False,
    ) -> None:
        def work() -> tuple[Resolution, Answer]:
            resolution = self.bot.knowledge.resolve_choice(name)
            return resolution, self.card(resolution, section)

        resolution, answer = await compute(interaction, work, ephemeral=private)
        answer = await in_time(interaction, self.page_of(interaction, answer), ephemeral=private)
        if resolution.drug is not None:
            self.bot.lookups.record(interaction.guild_id, resolution.drug)
        await send_answers(interaction, [answer], ephemeral=private, view=self.view_for(answer))

    @drug.autocomplete("name")
    async def drug_name(
        self, interaction: discord.Interaction[DrugBot], current: str
    ) -> list[app_commands.Choice[str]]:
        choices = self.bot.knowledge.autocomplete(current[:NAME_LIMIT], self.popular(interaction))
        return [app_commands.Choice(name=c.label, value=c.value) for c in choices]

    def popular(self, interaction: discord.Interaction[Any]) -> tuple[str, ...]:
        """What an empty name box offers: this server's most asked medicines, then the defaults."""
        return self.bot.lookups.most_asked(interaction.guild_id, DEFAULT_POPULAR)

    # Buttons (ButtonHandler) --------------------------------------------------------------------

    @staticmethod
    def pressed_by_asker(interaction: discord.Interaction[Any]) -> bool:
        """True when the member pressing a button is the one who asked (so their message may change)."""
        message = interaction.message
        if message is None:
            return False
        if message.flags.ephemeral:
            return True
        metadata = message.interaction_metadata
        return metadata is not None and metadata.user.id == interaction.user.id

    async def show(
        self, interaction: discord.Interaction[Any], drug_id: str, section: str, page: int = 0
    ) -> None:
        guard(interaction)
        editing = self.pressed_by_asker(interaction)
        card = self.card(self.bot.knowledge.chosen(drug_id), section)
        answer = await in_time(
            interaction, self.page_of(interaction, card, page), ephemeral=True, updating=editing
        )
        if editing:
            await edit_answer(interaction, answer, self.view_for(answer))
        else:
            await send_answers(interaction, [answer], ephemeral=True, view=self.view_for(answer))

    async def on_drug_button(self, interaction: discord.Interaction[Any], ref: str) -> None:
        drug_id = resolve_ref(self.bot.knowledge.store, ref)
        if drug_id is None:
            await reply_privately(interaction, GONE)
            return
        await self.show(interaction, drug_id, "overview")

    async def on_section_button(self, interaction: discord.Interaction[Any], section: str, ref: str) -> None:
        drug_id = resolve_ref(self.bot.knowledge.store, ref)
        if drug_id is None:
            await reply_privately(interaction, GONE)
            return
        await self.show(interaction, drug_id, section if section in SECTIONS else "overview")

    async def on_page_button(
        self, interaction: discord.Interaction[Any], section: str, page: int, ref: str
    ) -> None:
        drug_id = resolve_ref(self.bot.knowledge.store, ref)
        if drug_id is None:
            await reply_privately(interaction, GONE)
            return
        await self.show(interaction, drug_id, section if section in SECTIONS else "overview", page)
