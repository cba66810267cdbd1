"""Hostile input through the real dispatch (tier 1): slash options, autocomplete, buttons with forged
or stale custom ids, and the message menus on messages full of mentions, markdown, zero-width and
right-to-left characters, code blocks, SQL-looking strings and 4,000 characters.

For every input: nothing fails (no error logged by the tree), every interaction gets exactly one
response, and every body sent fits Discord's limits with `allowed_mentions` empty (the recorder checks
both on each call: tests/discord/limits.py)."""

from __future__ import annotations

import itertools
import logging
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.bot import DrugBot
from tests.discord.harness import (
    Recorder,
    autocomplete,
    dispatch,
    member_message,
    message,
    message_command,
    press,
    slash,
    subcommand,
)

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
HOSTILE = [
    "@everyone",
    "@here",
    "<@600000000000000002>",
    "<@&500000000000000002>",
    "<#700000000000000001>",
    "```sql\nDROP TABLE notes; --\n```",
    "' OR 1=1; --",
    "\u200b\u200d\ufeff",
    "\u202eerusnart\u202c",
    "\ud83d imuran \udfff",  # lone surrogates: not UTF-8, but JSON's "\ud83d" escapes can carry them
    "**imuran** __and__ ~~allopurinol~~ ||spoiler||",
    "> quoted prednisone",
    "🧪💊🙂",
    "https://example.org/imuran",
    "imuran",
    "azathioprine 50mg",
    "NSAIDs",
    "percocet",
]
SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
hostile = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=SURROGATES), max_size=120),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=6).map(" ".join),
    st.sampled_from(HOSTILE).map(lambda s: (s + " ") * (4000 // (len(s) + 1))),
)
users = itertools.count(610_000_000_000_000_000)  # a new member each time: the rate limit stays out of it


def option(text: str) -> str:
    """What Discord lets through as a string option: 1 to 100 characters (it enforces the length)."""
    return text[:100] or "x"


async def exchange(bot: DrugBot, sent: Recorder, payload: dict[str, Any]) -> None:
    sent.clear()
    await dispatch(bot, payload)
    assert len(sent.callbacks) == 1, [c.path for c in sent.calls]


@pytest.fixture(autouse=True)
def no_errors(caplog: pytest.LogCaptureFixture) -> Any:
    caplog.set_level(logging.ERROR, logger="bot")
    yield
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@FUZZ
@given(text=hostile, section=st.sampled_from(["overview", "interactions", "nonsense"]), private=st.booleans())
async def test_drug_with_any_name(
    bot: DrugBot, sent: Recorder, text: str, section: str, private: bool
) -> None:
    await exchange(bot, sent, slash("drug", next(users), name=option(text), section=section, private=private))


@FUZZ
@given(text=hostile)
async def test_interactions_with_any_list(bot: DrugBot, sent: Recorder, text: str) -> None:
    await exchange(bot, sent, slash("interactions", next(users), drugs=text[:1000] or "x"))


@FUZZ
@given(text=hostile)
async def test_autocomplete_with_any_prefix(bot: DrugBot, sent: Recorder, text: str) -> None:
    await exchange(bot, sent, autocomplete("drug", "name", text[:100]))


@FUZZ
@given(
    custom_id=st.one_of(
        st.sampled_from(
            ["drugbot:drug:", "drugbot:section:", "drugbot:page:", "drugbot:pins:", "drugbot:chat:"]
        ).flatmap(lambda prefix: st.text(max_size=60).map(lambda rest: (prefix + rest)[:100])),
        st.text(min_size=1, max_size=100),
    )
)
async def test_buttons_with_forged_or_stale_ids(bot: DrugBot, sent: Recorder, custom_id: str) -> None:
    sent.clear()
    await dispatch(bot, press(custom_id, user_id=next(users)))
    assert len(sent.callbacks) <= 1  # an id of no item of ours is not ours to answer


@FUZZ
@given(text=hostile, on_bot_message=st.booleans())
async def test_message_menus_on_any_message(
    bot: DrugBot, sent: Recorder, text: str, on_bot_message: bool
) -> None:
    if on_bot_message:
        target = message(embeds=[{"title": text[:256] or "x", "description": text[:4096]}])
        target["content"] = text[:2000]
    else:
        target = member_message(text[:4000])
        target["attachments"] = [
            {
                "id": "1",
                "filename": "x.png",
                "size": 1,
                "url": "https://cdn.example/x.png",
                "proxy_url": "https://cdn.example/x.png",
            }
        ]
    await exchange(bot, sent, message_command("Check drugs in message", target, user_id=next(users)))
    await exchange(bot, sent, message_command("Pin answer", target, user_id=next(users)))  # a member: refused


@FUZZ
@given(text=hostile)
async def test_moderator_notes_with_any_text(bot: DrugBot, sent: Recorder, text: str) -> None:
    await exchange(
        bot,
        sent,
        subcommand(
            "note", "set", user_id=next(users), who="moderator", drug="imuran", text=text[:1000] or "x"
        ),
    )
    note = await bot.community.note(800000000000000001, "azathioprine")
    if note is not None:
        assert "@everyone" not in note.text and "<@" not in note.text.replace("<@\u200b", "")
