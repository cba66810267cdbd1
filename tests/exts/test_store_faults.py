"""The community store locked by another writer: a moderator's write fails with a polite reply and
nothing half-written, while reading (/note show, /drug, /pins list) keeps working."""

from __future__ import annotations

import sqlite3

from bot.bot import DrugBot
from bot.community.sqlite import SqliteCommunityStore
from bot.tree import STORE_UNAVAILABLE
from tests.discord.harness import GUILD_ID, Recorder, dispatch, slash, subcommand


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
