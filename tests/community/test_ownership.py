"""Data ownership: `drugbot community backup|export|forget`, run as an operator would."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.community.models import AuditRecord, CommunityNote, GuildSettings
from bot.community.sqlite import SqliteCommunityStore


def drugbot(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCORD_TOKEN": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, timeout=120
    )


def seeded(path: Path) -> Path:
    async def seed() -> None:
        store = await SqliteCommunityStore.open(path)
        await store.save_guild_settings(
            GuildSettings(1, "reply", channel_mode="deny", channels=frozenset({5}))
        )
        await store.set_note(CommunityNote(1, "azathioprine", "see #tx-meds", 100))
        await store.record_action(AuditRecord(1, 100, "note set: azathioprine", "", "see #tx-meds"))
        await store.save_guild_settings(GuildSettings(2, "react"))
        await store.close()

    asyncio.run(seed())
    return path


def test_export_gives_everything_kept_about_one_server(tmp_path: Path) -> None:
    path = seeded(tmp_path / "c.sqlite3")
    result = drugbot("community", "export", "1", "--community", str(path))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["settings"]["chat_mode"] == "reply" and record["settings"]["channels"] == [5]
    assert [n["drug"] for n in record["notes"]] == ["azathioprine"] and len(record["audit_log"]) == 1


def test_forget_needs_confirming_then_removes_only_that_server(tmp_path: Path) -> None:
    path = seeded(tmp_path / "c.sqlite3")
    refused = drugbot("community", "forget", "1", "--community", str(path))
    assert refused.returncode == 2 and "--yes" in refused.stderr
    done = drugbot("community", "forget", "1", "--yes", "--community", str(path))
    assert done.returncode == 0 and "4 record(s) removed" in done.stdout
    with sqlite3.connect(path) as connection:
        for table in ("guild_settings", "chat_channels", "notes", "audit_log"):
            assert connection.execute(f"SELECT COUNT(*) FROM {table} WHERE guild_id = 1").fetchone()[0] == 0  # noqa: S608
        assert connection.execute("SELECT chat_mode FROM guild_settings WHERE guild_id = 2").fetchone() == (
            "react",
        )


def test_backup_is_a_working_copy(tmp_path: Path) -> None:
    path = seeded(tmp_path / "c.sqlite3")
    copy = tmp_path / "backups" / "copy.sqlite3"
    result = drugbot("community", "backup", str(copy), "--community", str(path))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT text FROM notes").fetchone() == ("see #tx-meds",)


def test_a_bad_server_id_is_a_usage_error(tmp_path: Path) -> None:
    result = drugbot("community", "export", "my-server", "--community", str(tmp_path / "c.sqlite3"))
    assert result.returncode == 2 and "not a server id" in result.stderr
