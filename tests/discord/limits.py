"""Discord's limits and rules, asserted on every body the bot sends (and on embeds and views directly)."""

from __future__ import annotations

import re
from typing import Any

import discord

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT = 2000
BUTTONS = 25
ROWS = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL = 80
CUSTOM_ID = 100
CHOICES = 25
CHOICE_TEXT = 100

MESSAGE_CALLBACKS = {4, 7}  # CHANNEL_MESSAGE_WITH_SOURCE, UPDATE_MESSAGE
AUTOCOMPLETE_CALLBACK = 8
DEFER_CALLBACKS = {5, 6}


def check_embed_dict(embed: dict[str, Any]) -> int:
    """Assert one embed's limits; return its length as Discord counts it."""
    title = embed.get("title") or ""
    description = embed.get("description") or ""
    footer = (embed.get("footer") or {}).get("text") or ""
    fields = embed.get("fields") or []
    assert len(title) <= TITLE, f"title {len(title)}"
    assert len(description) <= DESCRIPTION, f"description {len(description)}"
    assert len(footer) <= FOOTER, f"footer {len(footer)}"
    assert len(fields) <= FIELDS, f"{len(fields)} fields"
    for field in fields:
        assert 1 <= len(field["name"]) <= FIELD_NAME, f"field name {len(field['name'])}"
        assert 1 <= len(field["value"]) <= FIELD_VALUE, f"field value {len(field['value'])}"
    total = (
        len(title) + len(description) + len(footer) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    )
    assert total <= EMBED_TOTAL, f"embed total {total}"
    return total


def check_components(components: list[dict[str, Any]]) -> None:
    assert len(components) <= ROWS, f"{len(components)} rows"
    buttons = 0
    seen: set[str] = set()
    for row in components:
        assert row["type"] == 1
        assert 1 <= len(row["components"]) <= BUTTONS_PER_ROW
        for button in row["components"]:
            buttons += 1
            assert 1 <= len(button.get("label") or "") <= BUTTON_LABEL, f"label {button.get('label')!r}"
            custom_id = button.get("custom_id")
            if custom_id is not None:
                assert 1 <= len(custom_id) <= CUSTOM_ID, f"custom id {len(custom_id)}: {custom_id!r}"
                assert custom_id not in seen, f"duplicate custom id {custom_id!r}"
                seen.add(custom_id)
    assert buttons <= BUTTONS


def check_message(message: dict[str, Any], *, sent: bool = True) -> None:
    """A message body: content, embeds, components, and no mention can ever ping."""
    content = message.get("content") or ""
    assert len(content) <= CONTENT, f"content {len(content)}"
    embeds = message.get("embeds") or []
    assert len(embeds) <= EMBEDS_PER_MESSAGE
    assert sum(check_embed_dict(e) for e in embeds) <= EMBED_TOTAL, "embeds together over 6000"
    check_components(message.get("components") or [])
    if sent:
        mentions = message.get("allowed_mentions")
        assert mentions is not None, "a send without allowed_mentions"
        assert mentions.get("parse") == [], f"allowed_mentions may ping: {mentions}"
        assert not mentions.get("users") and not mentions.get("roles"), mentions
        assert not mentions.get("replied_user"), mentions
    assert not re.search(r"@(everyone|here)\b", content), "an unescaped @everyone/@here"


def check_choices(choices: list[dict[str, Any]]) -> None:
    assert len(choices) <= CHOICES, f"{len(choices)} choices"
    for choice in choices:
        assert 1 <= len(choice["name"]) <= CHOICE_TEXT, f"choice name {choice['name']!r}"
        assert 1 <= len(str(choice["value"])) <= CHOICE_TEXT, f"choice value {choice['value']!r}"


def check_body(method: str, path: str, body: dict[str, Any] | None) -> None:
    """Every body the bot sends to an interaction route or a channel."""
    if path.endswith("/callback"):
        assert body is not None
        kind = body["type"]
        if kind in MESSAGE_CALLBACKS:
            check_message(body.get("data") or {})
        elif kind == AUTOCOMPLETE_CALLBACK:
            check_choices(body["data"]["choices"])
        else:
            assert kind in DEFER_CALLBACKS, f"unexpected callback type {kind}"
        return
    if method in ("POST", "PATCH") and body is not None and ("/webhooks/" in path or "/messages" in path):
        check_message(body)


def check_embed(embed: discord.Embed) -> None:
    check_embed_dict(embed.to_dict())  # type: ignore[arg-type]
    assert len(embed) <= EMBED_TOTAL


def check_view(view: discord.ui.View | None) -> None:
    if view is None:
        return
    check_components(view.to_components())
