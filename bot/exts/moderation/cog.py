"""Moderators' curation: community notes on medicines (/note) and the audit log of moderator actions
(/audit). Every action is checked in code and recorded."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.community.models import AuditRecord, CommunityNote
from bot.community.notes import MAX_NOTE, NoteError, clean_note
from bot.exts.moderation.medicines import chosen_medicine, medicine_choices
from bot.tree import UserFacingError
from bot.utils.audit import audit_line, post_to_log_channel
from bot.utils.checks import require_moderator
from bot.utils.messages import in_time, reply_privately

if TYPE_CHECKING:
    from bot.bot import DrugBot

NOTE_LIMIT = MAX_NOTE * 2  # what Discord accepts in the option; clean_note says when it is too long


class Moderation(commands.Cog):
    note = app_commands.Group(name="note", description="This server's notes on medicines", guild_only=True)

    def __init__(self, bot: DrugBot) -> None:
        self.bot = bot

    def medicine(self, name: str) -> str:
        return chosen_medicine(self.bot.knowledge, name)

    async def medicine_names(
        self, interaction: discord.Interaction[DrugBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return medicine_choices(self.bot.knowledge, current)

    @note.command(
        name="set",
        description="Moderators: attach a note to a medicine's card in this server",
        extras={"discord_only": "a server's moderators write it"},
    )
    @app_commands.describe(drug="The medicine", text=f"The note, at most {MAX_NOTE} characters")
    async def note_set(
        self,
        interaction: discord.Interaction[DrugBot],
        drug: app_commands.Range[str, 1, 100],
        text: app_commands.Range[str, 1, NOTE_LIMIT],
    ) -> None:
        require_moderator(interaction)
        assert interaction.guild_id is not None
        drug_id = self.medicine(drug)
        try:
            cleaned = clean_note(text)
        except NoteError as error:
            raise UserFacingError(str(error)) from None
        before = await self.bot.community.note(interaction.guild_id, drug_id)
        record = self.record(interaction, f"note set: {drug_id}", before.text if before else "", cleaned)
        await self.bot.community.set_note(
            CommunityNote(interaction.guild_id, drug_id, cleaned, interaction.user.id), audit=record
        )
        await post_to_log_channel(self.bot, record)
        await reply_privately(
            interaction, f"Saved. /drug {self.bot.knowledge.store.name(drug_id)} now shows the note here."
        )

    @note.command(
        name="clear",
        description="Moderators: remove this server's note on a medicine",
        extras={"discord_only": "a server's moderators write it"},
    )
    @app_commands.describe(drug="The medicine")
    async def note_clear(
        self, interaction: discord.Interaction[DrugBot], drug: app_commands.Range[str, 1, 100]
    ) -> None:
        require_moderator(interaction)
        assert interaction.guild_id is not None
        drug_id = self.medicine(drug)
        record = self.record(interaction, f"note cleared: {drug_id}", "", "")
        removed = await self.bot.community.clear_note(interaction.guild_id, drug_id, audit=record)
        if removed is None:
            await reply_privately(interaction, "There was no note on that medicine here.")
            return
        await post_to_log_channel(self.bot, replace(record, before=removed.text))
        await reply_privately(interaction, "Removed.")

    @note.command(
        name="show",
        description="This server's note on a medicine",
        extras={"discord_only": "notes belong to a server"},
    )
    @app_commands.describe(drug="The medicine")
    async def note_show(
        self, interaction: discord.Interaction[DrugBot], drug: app_commands.Range[str, 1, 100]
    ) -> None:
        assert interaction.guild_id is not None
        drug_id = self.medicine(drug)
        found = await in_time(
            interaction, self.bot.community.note(interaction.guild_id, drug_id), ephemeral=True
        )
        name = self.bot.knowledge.store.name(drug_id)
        await reply_privately(
            interaction, f"Note on {name}: {found.text}" if found else f"No note on {name} here."
        )

    note_set.autocomplete("drug")(medicine_names)
    note_clear.autocomplete("drug")(medicine_names)
    note_show.autocomplete("drug")(medicine_names)

    @app_commands.command(
        name="audit",
        description="Moderators: recent moderator actions in this server",
        extras={"discord_only": "a server's own record"},
    )
    @app_commands.guild_only()
    @app_commands.describe(limit="How many, newest first (default 10)")
    async def audit_log(
        self, interaction: discord.Interaction[DrugBot], limit: app_commands.Range[int, 1, 25] = 10
    ) -> None:
        require_moderator(interaction)
        assert interaction.guild_id is not None
        records = await self.bot.community.audit_log(interaction.guild_id, limit)
        lines = [audit_line(r) for r in records]
        shown: list[str] = []
        for line in lines:  # one message holds 2,000 characters: say how many more there are, never cut
            if sum(len(x) + 1 for x in shown) + len(line) > 1800:
                break
            shown.append(line)
        more = len(lines) - len(shown)
        tail = f"\n…and {more} more not shown: ask for fewer with `limit`." if more else ""
        await reply_privately(interaction, ("\n".join(shown) or "No moderator actions recorded yet.") + tail)

    @staticmethod
    def record(
        interaction: discord.Interaction[DrugBot], action: str, before: str, after: str
    ) -> AuditRecord:
        assert interaction.guild_id is not None
        return AuditRecord(interaction.guild_id, interaction.user.id, action, before, after)
