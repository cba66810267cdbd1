"""The community store locked by another writer, read-only or full: a moderator's write fails with a
polite reply and nothing half-written, while reading (/note show, /drug) keeps working. A slow store
makes commands and buttons defer within Discord's 3 seconds."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pytest

from bot.bot import DrugBot
from bot.community.sqlite import SqliteCommunityStore
from bot.exts.drugs.buttons import section_custom_id
from bot.tree import STORE_UNAVAILABLE
from bot.utils.messages import DEFER_AFTER
from tests.conftest import writes_refused
from tests.discord.harness import GUILD_ID, OTHER_USER_ID, Recorder, dispatch, press, slash, subcommand


async def test_a_locked_store_refuses_writes_politely_and_keeps_reading(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, subcommand("note", "set", who="moderator", drug="imuran", text="see #tx-meds"))
    store = bot.community
    assert isinstance(store, SqliteCommunityStore)
    await store._db.execute("PRAGMA busy_timeout = 50")  # fail fast instead of waiting 5 s
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process writing, and holding on
    try:
        sent.clear()
        await dispatch(bot, subcommand("note", "set", who="moderator", drug="imuran", text="changed"))
        assert sent.only().message["content"] == STORE_UNAVAILABLE
        sent.clear()
        await dispatch(bot, subcommand("note", "show", drug="imuran"))
        assert "see #tx-meds" in sent.only().message["content"]  # the old note, whole
        sent.clear()
        await dispatch(bot, slash("drug", name="imuran"))
        assert "see #tx-meds" in sent.only().text
    finally:
        other.execute("ROLLBACK")
        other.close()
    note = await store.note(GUILD_ID, "azathioprine")
    assert note is not None and note.text == "see #tx-meds"
    actions = [r.action for r in await store.audit_log(GUILD_ID)]
    assert actions == ["note set: azathioprine"]  # the refused change left no record either


def slow_notes(bot: DrugBot) -> None:
    """Every note read takes longer than the bot waits before deferring: a busy disk, or a far store."""
    read = bot.community.note

    async def slow_note(guild_id: int, drug_id: str) -> Any:
        await asyncio.sleep(DEFER_AFTER + 0.3)
        return await read(guild_id, drug_id)

    bot.community.note = slow_note  # type: ignore[method-assign]


async def test_a_slow_store_makes_the_command_defer_and_still_answer(bot: DrugBot, sent: Recorder) -> None:
    slow_notes(bot)
    for payload in (slash("drug", name="imuran"), subcommand("note", "show", drug="imuran")):
        sent.clear()
        await dispatch(bot, payload)
        first, *rest = sent.calls
        assert first.callback_type == 5  # deferred within Discord's 3 seconds
        assert rest and rest[-1].message  # then the answer, as a followup


async def test_a_slow_store_makes_a_button_defer_and_still_answer(bot: DrugBot, sent: Recorder) -> None:
    slow_notes(bot)
    custom_id = section_custom_id("interactions", "azathioprine")
    # The member who asked: the card is replaced, so the deferral shows nothing new (type 6), then an edit.
    sent.clear()
    await dispatch(bot, press(custom_id))
    first, *rest = sent.calls
    assert first.callback_type == 6
    assert [(c.method, c.path.rsplit("/", 1)[-1]) for c in rest] == [("PATCH", "@original")]
    assert "page 1 of" in rest[0].text  # the interactions section, paged
    # Anyone else: a private answer of their own, deferred with "thinking" (type 5), then a followup.
    sent.clear()
    await dispatch(bot, press(custom_id, user_id=OTHER_USER_ID))
    first, *rest = sent.calls
    assert first.callback_type == 5 and first.ephemeral
    assert rest and rest[-1].method == "POST" and "page 1 of" in rest[-1].text


@pytest.mark.parametrize("how", ["read-only", "full"])
async def test_a_store_that_cannot_be_written_refuses_politely_and_keeps_reading(
    bot: DrugBot, sent: Recorder, how: str
) -> None:
    await dispatch(bot, subcommand("note", "set", who="moderator", drug="imuran", text="see #tx-meds"))
    store = bot.community
    assert isinstance(store, SqliteCommunityStore)
    async with writes_refused(store, how):
        sent.clear()
        await dispatch(bot, subcommand("note", "set", who="moderator", drug="imuran", text="changed"))
        assert sent.only().message["content"] == STORE_UNAVAILABLE
        sent.clear()
        await dispatch(bot, subcommand("note", "show", drug="imuran"))
        assert "see #tx-meds" in sent.only().message["content"]
        sent.clear()
        await dispatch(bot, slash("drug", name="imuran"))
        assert "see #tx-meds" in sent.only().text
    note = await store.note(GUILD_ID, "azathioprine")
    assert note is not None and note.text == "see #tx-meds"
    assert [r.action for r in await store.audit_log(GUILD_ID)] == ["note set: azathioprine"]
