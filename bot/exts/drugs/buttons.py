"""The buttons under drug answers: choices ("which did you mean?"), card sections and card pages.

Buttons are `DynamicItem`s, so a button on a message sent before a restart still works: its custom id
carries everything needed ("drugbot:drug:<id>", "drugbot:section:<section>:<id>",
"drugbot:page:<section>:<page>:<id>"). An id too long for Discord's 100-character custom id is replaced by
a digest of it (never a cut id, which could point at another drug), looked up again when pressed.
The drugs cog registers these items when it loads and removes them when it unloads; a press is answered
by the cog, so no medical logic lives here.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import discord

from bot.answers.compose import SECTION_TITLES, SECTIONS
from bot.answers.embed import NO_MENTIONS
from bot.answers.model import BUTTON_LABEL_LIMIT, BUTTONS_PER_MESSAGE, Answer, clip
from bot.knowledge.store import DrugStore

if TYPE_CHECKING:
    from bot.exts.drugs.cog import Drugs

CUSTOM_ID_LIMIT = 100
DRUG_PREFIX = "drugbot:drug:"
SECTION_PREFIX = "drugbot:section:"
PAGE_PREFIX = "drugbot:page:"
DIGEST_MARK = "#"  # no drug id contains it
DIGEST_LENGTH = 24
STALE_BUTTON = "This button no longer works. Run /drug again to get a fresh answer."
COG_NAME = "Drugs"


# Custom ids --------------------------------------------------------------------------------------


def _digest(drug_id: str) -> str:
    return DIGEST_MARK + hashlib.sha256(drug_id.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def drug_ref(drug_id: str, prefix: str) -> str:
    """What a custom id with `prefix` carries for a drug: its id, or a digest when the id is too long."""
    return drug_id if len(prefix) + len(drug_id) <= CUSTOM_ID_LIMIT else _digest(drug_id)


def drug_custom_id(drug_id: str) -> str:
    return DRUG_PREFIX + drug_ref(drug_id, DRUG_PREFIX)


def section_custom_id(section: str, drug_id: str) -> str:
    prefix = f"{SECTION_PREFIX}{section}:"
    return prefix + drug_ref(drug_id, prefix)


def page_custom_id(section: str, page: int, drug_id: str) -> str:
    prefix = f"{PAGE_PREFIX}{section}:{page}:"
    return prefix + drug_ref(drug_id, prefix)


@lru_cache(maxsize=4)
def _digests(store: DrugStore) -> dict[str, str]:
    return {_digest(drug_id): drug_id for drug_id in store.names_of}


def resolve_ref(store: DrugStore, ref: str) -> str | None:
    """The drug id a custom id refers to, or None when it is no longer in the store."""
    if ref.startswith(DIGEST_MARK):
        return _digests(store).get(ref)
    return ref if ref in store else None


# Buttons -----------------------------------------------------------------------------------------


async def _press(interaction: discord.Interaction[Any], action: str, *args: Any) -> None:
    """Hand a press to the drugs cog; any failure is reported like a command's."""
    cog: Drugs | None = interaction.client.get_cog(COG_NAME)
    if cog is None:  # unloaded between the press and now
        if not interaction.response.is_done():
            await interaction.response.send_message(
                STALE_BUTTON, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        return
    try:
        if action == "drug":
            await cog.on_drug_button(interaction, *args)
        elif action == "page":
            await cog.on_page_button(interaction, *args)
        else:
            await cog.on_section_button(interaction, *args)
    except Exception as error:
        await interaction.client.tree.report(interaction, error)


class DrugButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.compile(re.escape(DRUG_PREFIX) + r"(?P<ref>.+)", re.DOTALL),
):
    """Show a drug's card: the choices of "which did you mean?" and "did you mean?"."""

    def __init__(self, ref: str, label: str = "…") -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL_LIMIT) or "…",
                style=discord.ButtonStyle.secondary,
                custom_id=DRUG_PREFIX + ref,
            )
        )
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DrugButton:
        label = getattr(item, "label", None) or "…"
        return cls(match["ref"], label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _press(interaction, "drug", self.ref)


class SectionButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.compile(re.escape(SECTION_PREFIX) + r"(?P<section>[a-z-]+):(?P<ref>.+)", re.DOTALL),
):
    """Switch a drug card to another section."""

    def __init__(self, section: str, ref: str, label: str = "…", current: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL_LIMIT) or "…",
                style=discord.ButtonStyle.primary if current else discord.ButtonStyle.secondary,
                custom_id=f"{SECTION_PREFIX}{section}:{ref}",
            )
        )
        self.section = section
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SectionButton:
        label = getattr(item, "label", None) or "…"
        return cls(match["section"], match["ref"], label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _press(interaction, "section", self.section, self.ref)


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.compile(
        re.escape(PAGE_PREFIX) + r"(?P<section>[a-z-]+):(?P<page>[0-9]{1,3}):(?P<ref>.+)", re.DOTALL
    ),
):
    """Turn a long card section to another page: nothing is cut to fit one message."""

    def __init__(self, section: str, page: int, ref: str, label: str = "…", disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label, BUTTON_LABEL_LIMIT) or "…",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{PAGE_PREFIX}{section}:{page}:{ref}",
                disabled=disabled,
            )
        )
        self.section = section
        self.page = page
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        label = getattr(item, "label", None) or "…"
        return cls(match["section"], int(match["page"]), match["ref"], label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _press(interaction, "page", self.section, self.page, self.ref)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (DrugButton, SectionButton, PageButton)


def section_label(section: str, current: str | None) -> str:
    if section == "interactions" and current == "overview":
        return "See all interactions"
    return SECTION_TITLES.get(section, section)


def answer_view(answer: Answer, *, sections: bool = False) -> discord.ui.View | None:
    """Buttons for an answer: one per option (a drug), "previous" and "next" for a paged card, and with
    `sections` one per section of the answer's drug card. None when there is nothing to press. The view
    never times out."""
    view = discord.ui.View(timeout=None)
    if answer.pages > 1 and answer.drug is not None:
        section = answer.section or "overview"
        for label, page, disabled in (
            ("◀ Previous page", answer.page - 1, answer.page == 0),
            ("Next page ▶", answer.page + 1, answer.page + 1 >= answer.pages),
        ):
            prefix = f"{PAGE_PREFIX}{section}:{max(page, 0)}:"
            view.add_item(PageButton(section, max(page, 0), drug_ref(answer.drug, prefix), label, disabled))
    for option in list({o.drug: o for o in reversed(answer.options)}.values())[::-1][:BUTTONS_PER_MESSAGE]:
        view.add_item(DrugButton(drug_ref(option.drug, DRUG_PREFIX), option.label))
    if sections and answer.drug is not None:
        for section in SECTIONS:
            if len(view.children) >= BUTTONS_PER_MESSAGE:
                break
            prefix = f"{SECTION_PREFIX}{section}:"
            button = SectionButton(
                section,
                drug_ref(answer.drug, prefix),
                section_label(section, answer.section),
                current=section == answer.section,
            )
            button.item.disabled = section == answer.section
            view.add_item(button)
    return view if view.children else None
