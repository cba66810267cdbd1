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
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis when cut.

    Only for labels (titles, button labels) that must fit one slot; content is paged, never clipped.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, broken between lines, else between words.

    Nothing is lost: joining the pieces with line breaks (or spaces, inside a long line) gives the text back.
    """
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        for part in _split_line(line, limit):
            if current and len(current) + 1 + len(part) > limit:
                pieces.append(current)
                current = part
            else:
                current = f"{current}\n{part}" if current else part
    if current or not pieces:
        pieces.append(current)
    return pieces


def _split_line(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    parts: list[str] = []
    current = ""
    for word in line.split(" "):
        while len(word) > limit:  # one unbroken word longer than a slot: the only place text is broken
            if current:
                parts.append(current)
                current = ""
            parts.append(word[:limit])
            word = word[limit:]
        if current and len(current) + 1 + len(word) > limit:
            parts.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        parts.append(current)
    return parts


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
    page: int = 0  # this answer is page `page` (from 0) of `pages`, when paged for Discord
    pages: int = 1

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


CONTINUED = " (continued)"
PAGE_ROOM = 24  # room in the title for " · page 12 of 12"


def split_field(field: Field) -> list[Field]:
    """A field as one or more, each within Discord's field limits; later ones are marked "(continued)"."""
    name = clip(field.name, FIELD_NAME_LIMIT - len(CONTINUED)) or "…"
    values = split_text(field.value, FIELD_VALUE_LIMIT) if field.value else ["…"]
    return [Field(name if n == 0 else name + CONTINUED, v or "…") for n, v in enumerate(values)]


def paginate(answer: Answer) -> list[Answer]:
    """The answer as pages that each fit one embed, with nothing left out.

    Long fields are split into continued fields, a long description continues in fields, and fields
    are spread over pages; every page keeps the title (with "page 2 of 3") and the footer, which carries
    the disclaimer. An answer that fits is returned as it is.
    """
    title = clip(answer.title, TITLE_LIMIT - PAGE_ROOM) or "…"
    footer = clip(answer.footer, FOOTER_LIMIT)
    fixed = len(title) + PAGE_ROOM + len(footer)
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - fixed)
    description_parts = split_text(answer.description, room) if answer.description else [""]
    description = description_parts[0]
    fields = [piece for part in description_parts[1:] for piece in split_field(Field("(continued)", part))]
    fields += [piece for f in answer.fields for piece in split_field(f)]
    pages: list[list[Field]] = [[]]
    budget = EMBED_TOTAL_LIMIT - fixed - len(description)
    for field in fields:
        size = len(field.name) + len(field.value)
        if (pages[-1] or len(pages) == 1) and (len(pages[-1]) >= FIELD_COUNT_LIMIT or size > budget):
            pages.append([])
            budget = EMBED_TOTAL_LIMIT - fixed
        pages[-1].append(field)
        budget -= size
    total = len(pages)
    return [
        replace(
            answer,
            title=title if total == 1 else f"{title} · page {n + 1} of {total}",
            description=description if n == 0 else "",
            footer=footer,
            fields=tuple(page),
            page=n,
            pages=total,
        )
        for n, page in enumerate(pages)
    ]
