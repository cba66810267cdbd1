"""The contract every community-store backend keeps, run against each backend.

Each backend in `BACKENDS` runs the same tests unchanged: SQLite in a temporary file, PostgreSQL in a
fresh database on a real server (tests/postgres_server.py; skipped, saying why, where none can start).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.community.models import AuditRecord, CommunityNote, GuildSettings, PinnedAnswer
from bot.community.postgres import PostgresCommunityStore
from bot.community.sqlite import SqliteCommunityStore
from bot.community.store import CommunityStore, CommunityStoreError

Opener = Callable[[], Awaitable[CommunityStore]]


def sqlite_backend(tmp_path: Path) -> Opener:
    async def open_store() -> CommunityStore:
        return await SqliteCommunityStore.open(tmp_path / "community.sqlite3")

    return open_store


def postgres_backend(request: pytest.FixtureRequest) -> Opener:
    url: str = request.getfixturevalue("postgres_url")  # a fresh database on a real server

    async def open_store() -> CommunityStore:
        return await PostgresCommunityStore.open(url)

    return open_store


BACKENDS = {
    "sqlite": lambda request: sqlite_backend(request.getfixturevalue("tmp_path")),
    "postgresql": postgres_backend,
}


@pytest.fixture(params=sorted(BACKENDS))
def opener(request: pytest.FixtureRequest) -> Opener:
    return BACKENDS[request.param](request)


@pytest.fixture
async def store(opener: Opener) -> AsyncIterator[CommunityStore]:
    instance = await opener()
    yield instance
    await instance.close()


async def test_a_server_that_changed_nothing_has_the_defaults(store: CommunityStore) -> None:
    assert await store.guild_settings(1234) == GuildSettings(1234, "off", "major", None)


async def test_saved_settings_are_read_back_and_replace_the_cached_ones(store: CommunityStore) -> None:
    await store.guild_settings(42)  # now cached
    saved = await store.save_guild_settings(GuildSettings(42, "reply", "moderate", 987654321))
    assert await store.guild_settings(42) == saved
    changed = await store.save_guild_settings(replace(saved, chat_mode="react"))
    assert (await store.guild_settings(42)).chat_mode == "react" == changed.chat_mode
    assert await store.guild_settings(43) == GuildSettings(43)  # other servers untouched


async def test_settings_outlive_a_restart(opener: Opener) -> None:
    first = await opener()
    await first.save_guild_settings(GuildSettings(7, "react", "contraindicated"))
    await first.close()
    second = await opener()
    try:
        assert await second.guild_settings(7) == GuildSettings(7, "react", "contraindicated")
    finally:
        await second.close()


async def test_a_bad_value_is_refused_and_nothing_is_half_written(store: CommunityStore) -> None:
    await store.save_guild_settings(GuildSettings(9, "reply", "major"))
    with pytest.raises(CommunityStoreError):
        await store.save_guild_settings(GuildSettings(9, "shout", "major"))  # type: ignore[arg-type]
    assert await store.guild_settings(9) == GuildSettings(9, "reply", "major")


async def test_chat_channel_lists_are_saved_with_the_settings(store: CommunityStore) -> None:
    saved = await store.save_guild_settings(
        GuildSettings(5, "reply", channel_mode="allow", channels=frozenset({11, 12}))
    )
    assert await store.guild_settings(5) == saved
    assert saved.checks_channel(11) and not saved.checks_channel(13)
    fewer = await store.save_guild_settings(replace(saved, channel_mode="deny", channels=frozenset({11})))
    assert (await store.guild_settings(5)).channels == frozenset({11})
    assert not fewer.checks_channel(11) and fewer.checks_channel(13)
    assert fewer.checks_channel(99, 12)  # a thread in a channel that is not denied


async def test_moderator_actions_are_recorded_newest_first_per_server(store: CommunityStore) -> None:
    await store.record_action(AuditRecord(1, 100, "settings chat-checks", "mode off", "mode reply"))
    await store.record_action(AuditRecord(1, 101, "settings chat-channels", "all", "allow #5"))
    await store.record_action(AuditRecord(2, 100, "settings chat-checks", "mode off", "mode react"))
    log = await store.audit_log(1)
    assert [(r.actor_id, r.action) for r in log] == [
        (101, "settings chat-channels"),
        (100, "settings chat-checks"),
    ]
    assert all(r.at for r in log) and len(await store.audit_log(1, limit=1)) == 1


async def test_a_note_per_server_and_medicine_replaced_and_cleared(store: CommunityStore) -> None:
    assert await store.note(1, "azathioprine") is None
    first = await store.set_note(CommunityNote(1, "azathioprine", "see #tx-meds", 100))
    assert first.updated_at and await store.note(1, "azathioprine") == first
    await store.set_note(CommunityNote(1, "azathioprine", "ask your transplant pharmacist first", 101))
    assert (await store.note(1, "azathioprine")).text == "ask your transplant pharmacist first"  # type: ignore[union-attr]
    assert await store.note(2, "azathioprine") is None  # another server has its own
    removed = await store.clear_note(1, "azathioprine")
    assert removed is not None and removed.author_id == 101 and await store.note(1, "azathioprine") is None
    assert await store.clear_note(1, "azathioprine") is None


def pinned(message_id: int, *drugs: str, guild_id: int = 5, at: str = "") -> PinnedAnswer:
    return PinnedAnswer(guild_id, 70, message_id, drugs, f"answer {message_id}", 11, pinned_at=at)


async def test_pins_are_listed_newest_first_per_server_and_medicine(store: CommunityStore) -> None:
    await store.add_pin(pinned(1, "azathioprine", "allopurinol", at="2026-01-01T00:00:00+00:00"))
    await store.add_pin(pinned(2, "azathioprine", at="2026-02-01T00:00:00+00:00"))
    await store.add_pin(pinned(3, "prednisone", guild_id=6))
    assert [p.message_id for p in await store.pins(5)] == [2, 1]
    assert [p.message_id for p in await store.pins(5, "allopurinol")] == [1]
    assert (await store.pins(5, "allopurinol"))[0].drugs == ("azathioprine", "allopurinol")  # order kept
    assert await store.pins(5, "prednisone") == []  # another server's
    assert [p.message_id for p in await store.pins(6)] == [3]


async def test_a_pin_marked_gone_is_no_longer_live_and_is_reported_once(store: CommunityStore) -> None:
    await store.add_pin(pinned(1, "azathioprine"))
    before = await store.mark_pin(5, 1, "deleted")
    assert before is not None and before.live
    assert await store.mark_pin(5, 1, "unpinned") is None  # already gone: nothing to report
    assert await store.mark_pin(6, 1, "removed") is None  # not that server's
    assert await store.pins(5) == [] and await store.pins(5, "azathioprine") == []
    record = await store.pin(5, 1)
    assert record is not None and record.state == "deleted" and not record.live


async def test_pinning_again_makes_the_record_live_with_the_new_details(store: CommunityStore) -> None:
    await store.add_pin(pinned(1, "azathioprine"))
    await store.mark_pin(5, 1, "unpinned")
    again = await store.add_pin(replace(pinned(1, "azathioprine", "allopurinol"), pinned_by=12))
    assert again.live and [p.pinned_by for p in await store.pins(5)] == [12]
    assert (await store.pins(5))[0].drugs == ("azathioprine", "allopurinol")


async def test_export_and_forget_include_pins(store: CommunityStore) -> None:
    await store.add_pin(pinned(1, "azathioprine"))
    await store.add_pin(pinned(2, "prednisone", guild_id=6))
    exported = await store.export(5)
    pins = exported["pins"]
    assert isinstance(pins, list) and [p["message_id"] for p in pins] == [1]
    assert await store.forget(5) >= 2  # the pin and its medicine
    assert await store.pin(5, 1) is None and len(await store.pins(6)) == 1


async def test_a_change_and_its_audit_record_are_kept_together_or_not_at_all(store: CommunityStore) -> None:
    record = AuditRecord(5, 11, "note set: azathioprine", "", "see #tx-meds")
    await store.set_note(CommunityNote(5, "azathioprine", "see #tx-meds", 11), audit=record)
    cleared = AuditRecord(5, 11, "note cleared: azathioprine", "", "")
    await store.clear_note(5, "azathioprine", audit=cleared)
    assert await store.clear_note(5, "azathioprine", audit=cleared) is None  # nothing left: not recorded
    assert [(r.action, r.before) for r in await store.audit_log(5)] == [
        ("note cleared: azathioprine", "see #tx-meds"),  # the store says what was removed
        ("note set: azathioprine", ""),
    ]
    with pytest.raises(CommunityStoreError):  # a note the schema refuses (over 500 characters)
        await store.set_note(CommunityNote(5, "prednisone", "x" * 600, 11), audit=record)
    assert await store.note(5, "prednisone") is None and len(await store.audit_log(5)) == 2
    await store.add_pin(pinned(9, "prednisone"), audit=AuditRecord(5, 11, "pin: prednisone", "", "link"))
    removed = AuditRecord(5, 11, "unpin: prednisone", "link", "removed")
    assert await store.mark_pin(5, 9, "removed", audit=removed) is not None
    assert await store.mark_pin(5, 9, "removed", audit=removed) is None  # once
    assert [r.action for r in await store.audit_log(5)][:2] == ["unpin: prednisone", "pin: prednisone"]
