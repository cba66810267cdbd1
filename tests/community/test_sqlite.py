"""The SQLite backend's own promises: WAL, foreign keys, numbered migrations applied in one transaction."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.community.sqlite import MIGRATIONS_DIR, SqliteCommunityStore, migrations
from bot.community.store import CommunityStoreError
from tests.conftest import store_path

NEXT = len(migrations()) + 1  # the number a new migration would take
NOTES = f"{NEXT:04d}_add_future_things.sql"


def copy_migrations(target: Path, extra: dict[str, str] | None = None) -> Path:
    target.mkdir()
    for path in MIGRATIONS_DIR.glob("*.sql"):
        (target / path.name).write_text(path.read_text())
    for name, sql in (extra or {}).items():
        (target / name).write_text(sql)
    return target


async def test_opens_in_wal_mode_with_foreign_keys_and_every_migration(tmp_path: Path) -> None:
    store = await SqliteCommunityStore.open(tmp_path / "c.sqlite3")
    try:
        assert await store.schema_version() == len(migrations())
    finally:
        await store.close()
    with sqlite3.connect(tmp_path / "c.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [
            v for (v,) in connection.execute("SELECT version FROM schema_migrations ORDER BY version")
        ]
    assert versions == list(range(1, len(migrations()) + 1))


async def test_a_failing_migration_leaves_the_old_schema_and_says_which(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    await (await SqliteCommunityStore.open(path)).close()
    broken = copy_migrations(
        tmp_path / "migrations",
        {NOTES: "CREATE TABLE future_things (id INTEGER PRIMARY KEY);\nCREATE TABLE broken (;\n"},
    )
    with pytest.raises(CommunityStoreError, match=rf"{NEXT:04d}_add_future_things\.sql failed.*unchanged"):
        await SqliteCommunityStore.open(path, broken)
    with sqlite3.connect(path) as connection:
        tables = {t for (t,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert (
            "future_things" not in tables
        )  # the first statement of the failed migration was rolled back too
        assert connection.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == NEXT - 1


async def test_new_migrations_are_applied_on_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    await (await SqliteCommunityStore.open(path)).close()
    folder = copy_migrations(tmp_path / "migrations", {NOTES: "CREATE TABLE future_things (id INTEGER);\n"})
    store = await SqliteCommunityStore.open(path, folder)
    try:
        assert await store.schema_version() == NEXT
    finally:
        await store.close()


async def test_a_store_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    folder = copy_migrations(tmp_path / "migrations", {NOTES: "CREATE TABLE future_things (id INTEGER);\n"})
    await (await SqliteCommunityStore.open(path, folder)).close()
    with pytest.raises(CommunityStoreError, match="newer than this code"):
        await SqliteCommunityStore.open(path)


def test_migrations_are_numbered_without_gaps(tmp_path: Path) -> None:
    folder = copy_migrations(tmp_path / "migrations", {f"{NEXT + 1:04d}_skipped.sql": "SELECT 1;\n"})
    with pytest.raises(CommunityStoreError, match=f"should be number {NEXT:04d}"):
        migrations(folder)


def test_the_bot_refuses_to_start_when_the_community_store_cannot_open(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = {
        **os.environ,
        "DRUG_STORE_PATH": str(store_path()),
        "DISCORD_TOKEN": "x" * 24 + "." + "y" * 6 + "." + "z" * 38,
        "COMMUNITY_STORE_PATH": str(blocker / "community.sqlite3"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 1
    assert "cannot open the community store" in result.stderr


async def test_two_writers_on_one_file_lose_nothing(tmp_path: Path) -> None:
    """Two processes (here two connections) writing at once wait for each other (busy timeout, WAL)."""
    import asyncio

    from bot.community.models import AuditRecord

    path = tmp_path / "c.sqlite3"
    first, second = await SqliteCommunityStore.open(path), await SqliteCommunityStore.open(path)
    try:

        async def write(store: SqliteCommunityStore, actor: int) -> None:
            for n in range(50):
                await store.record_action(AuditRecord(1, actor, f"action {n}", "", ""))

        await asyncio.gather(write(first, 100), write(second, 200))
        log = await first.audit_log(1, limit=1000)
        assert sorted((r.actor_id, r.action) for r in log) == sorted(
            (actor, f"action {n}") for actor in (100, 200) for n in range(50)
        )
    finally:
        await first.close()
        await second.close()
