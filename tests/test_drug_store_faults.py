"""The drug store missing, corrupt or from an older build: every face stops at start-up with one clear
line naming the fix, and no traceback; the Discord bot stops before it connects to anything."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import store_path
from tests.discord.harness import TOKEN


def missing(path: Path) -> None:
    pass


def corrupt(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)  # a header, then noise


def truncated(path: Path) -> None:
    data = store_path().read_bytes()
    path.write_bytes(data[: len(data) // 3])


def older_build(path: Path) -> None:
    shutil.copy(store_path(), path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", ("1",))
    connection.close()


def not_a_database(path: Path) -> None:
    path.write_text("DISCORD_TOKEN=\n")


FAULTS: dict[str, Callable[[Path], None]] = {
    "missing": missing,
    "corrupt": corrupt,
    "truncated": truncated,
    "older build": older_build,
    "not a database": not_a_database,
}
FACES = {
    "resolve": (["resolve", "imuran"], ""),
    "console": (["run"], ""),
    "bot": (["run"], TOKEN),  # never sent: the bot stops before connecting
}


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("fault", FAULTS)
def test_a_bad_drug_store_stops_start_up_with_the_fix(tmp_path: Path, fault: str, face: str) -> None:
    store = tmp_path / "drugs.sqlite3"
    FAULTS[fault](store)
    args, token = FACES[face]
    env = {
        **os.environ,
        "DRUG_STORE_PATH": str(store),
        "DISCORD_TOKEN": token,
        "COMMUNITY_STORE_PATH": str(tmp_path / "community.sqlite3"),
        # Nothing listens here: a bot that tried to connect would fail differently.
        "DISCORD_API_BASE_URL": "http://127.0.0.1:9",
        "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input="",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "drugbot data build" in result.stderr, result.stderr
    assert str(store) in result.stderr or "built by another version" in result.stderr
    assert "could not connect" not in result.stderr
    assert not (tmp_path / "community.sqlite3").exists()  # nothing created on the way out
