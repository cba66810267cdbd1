"""A writer process killed with SIGKILL in the middle of writing loses no committed record, and the
store it leaves opens cleanly (SQLite's WAL journal is what makes that so; this test holds it to it)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.community.sqlite import SqliteCommunityStore

WRITER = """
import asyncio, sys
from pathlib import Path
from bot.community.models import AuditRecord
from bot.community.sqlite import SqliteCommunityStore

async def main() -> None:
    store = await SqliteCommunityStore.open(Path(sys.argv[1]))
    n = 0
    while True:
        await store.record_action(AuditRecord(7, 11, f"action {n}", "", "x" * 200))
        print(n, flush=True)  # only after the write returned: committed
        n += 1

asyncio.run(main())
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
async def test_sigkill_mid_write_loses_no_committed_record(tmp_path: Path) -> None:
    path = tmp_path / "community.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert writer.stdout is not None
    committed = []
    for line in writer.stdout:
        committed.append(int(line))
        if len(committed) >= 300:
            break
    writer.send_signal(signal.SIGKILL)  # while it is writing the next ones
    writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL

    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()
    store = await SqliteCommunityStore.open(path)
    try:
        kept = {int(r.action.split()[1]) for r in await store.audit_log(7, limit=1_000_000)}
    finally:
        await store.close()
    assert set(committed) <= kept
