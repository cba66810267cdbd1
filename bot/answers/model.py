"""The neutral answer every face renders, and Discord's limits applied to it by construction."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.knowledge.models import Severity

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
CONTENT_LIMIT = 2000
BUTTON_LABEL_LIMIT = 80
BUTTONS_PER_MESSAGE = 25


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, with an ellipsis when cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Field:
    name: str
    value: str


@dataclass(frozen=True)
class Option:
    """A choice offered to the reader (a button on Discord, a numbered line in the console)."""

    label: str
    drug: str


@dataclass(frozen=True)
class Answer:
    title: str
    description: str = ""
    fields: tuple[Field, ...] = ()
    footer: str = ""
    medical: bool = True
    options: tuple[Option, ...] = ()
    drug: str | None = None
    section: str | None = None
    severity: Severity | None = None

    def fitted(self) -> Answer:
        """This answer cut to Discord's limits: every part, then the total, dropping fields from the end."""
        title = clip(self.title, TITLE_LIMIT) or "…"
        description = clip(self.description, DESCRIPTION_LIMIT)
        footer = clip(self.footer, FOOTER_LIMIT)
        fields = [
            Field(clip(f.name, FIELD_NAME_LIMIT) or "…", clip(f.value, FIELD_VALUE_LIMIT) or "…")
            for f in self.fields[:FIELD_COUNT_LIMIT]
        ]
        budget = EMBED_TOTAL_LIMIT - len(title) - len(footer)
        if len(description) > budget:
            description = clip(description, max(budget, 1))
        budget -= len(description)
        kept: list[Field] = []
        for f in fields:
            size = len(f.name) + len(f.value)
            if size > budget:
                if budget > 40:
                    kept.append(
                        Field(
                            f.name[: budget // 4] or "…",
                            clip(f.value, budget - len(f.name[: budget // 4] or "…")),
                        )
                    )
                break
            kept.append(f)
            budget -= size
        options = tuple(
            Option(clip(o.label, BUTTON_LABEL_LIMIT), o.drug) for o in self.options[:BUTTONS_PER_MESSAGE]
        )
        return replace(
            self, title=title, description=description, footer=footer, fields=tuple(kept), options=options
        )

    def total_length(self) -> int:
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )
