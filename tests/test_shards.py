"""Scale: two real bot processes, each running its own shard (SHARD_COUNT=2, SHARD_IDS), against the fake
Discord and one real PostgreSQL database (COMMUNITY_STORE_URL). Moderators of many servers write at once;
each server's events reach only its shard's process, every question is answered once, and nothing
written is lost."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Any

import pytest

from bot.community.postgres import PostgresCommunityStore
from tests.discord.fake_discord import FakeDiscord, shard_of
from tests.discord.harness import GUILD_ID, guild, subcommand
from tests.test_deploy import free_port, start_bot_process, until_healthy

SHARDS = 2
SERVERS = 24
MODERATORS = 620_000_000_000_000_000
NOTES = {"imuran": "azathioprine", "plaquenil": "hydroxychloroquine", "cellcept": "mycophenolate mofetil"}


def in_server(payload: dict[str, Any], guild_id: int) -> dict[str, Any]:
    """`payload` (made for the test server) as it would come from another server."""
    return dict(json.loads(json.dumps(payload).replace(str(GUILD_ID), str(guild_id))))


def resident_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024


@pytest.fixture
async def servers() -> list[int]:
    ids = [((1_000 + n) << 22) + n for n in range(SERVERS)]  # a server id's top bits are its creation time
    assert {shard_of(g, SHARDS) for g in ids} == set(range(SHARDS))
    return ids


async def test_two_processes_on_their_own_shards_share_one_database_and_lose_nothing(
    postgres_url: str, servers: list[int]
) -> None:
    fake = FakeDiscord(guilds=[in_server(guild(), g) for g in servers])
    await fake.start()
    ports = [free_port() for _ in range(SHARDS)]
    processes = []
    try:
        for shard, port in enumerate(ports):
            shard_settings = {"SHARD_COUNT": str(SHARDS), "SHARD_IDS": str(shard)}
            process = await start_bot_process(fake, port, COMMUNITY_STORE_URL=postgres_url, **shard_settings)
            processes.append(process)
        await asyncio.gather(*(until_healthy(port, p) for port, p in zip(ports, processes, strict=True)))
        assert sorted(i["shard"] for i in fake.identifies) == [[0, SHARDS], [1, SHARDS]]
        resident = [resident_mib(p.pid) for p in processes]  # for the README's Scale section (pytest -s)

        # Every server's moderators write three notes, all pushed at once to both processes' shards.
        for name in NOTES:
            for n, server in enumerate(servers):
                moderator = MODERATORS + n  # one per server: the per-member rate limit stays out of it
                note = subcommand(
                    "note", "set", user_id=moderator, who="moderator", drug=name, text=f"{name} in {server}"
                )
                await fake.push("INTERACTION_CREATE", in_server(note, server))
        wanted = len(NOTES) * SERVERS
        answered = await fake.wait_for(wanted, path="/callback", timeout=60)
        assert len(answered) == wanted and all(n == 1 for n in fake.acknowledged.values())

        for process in processes:
            process.send_signal(signal.SIGTERM)
        assert [await asyncio.wait_for(p.wait(), 20) for p in processes] == [0] * SHARDS
        logs = [(await p.stderr.read()).decode() for p in processes if p.stderr is not None]
        assert not any("Traceback" in log for log in logs), logs
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await fake.stop()

    store = await PostgresCommunityStore.open(postgres_url)
    try:
        lost = 0
        for server in servers:
            for name, drug_id in NOTES.items():
                kept = await store.note(server, drug_id)
                lost += kept is None or kept.text != f"{name} in {server}"
            lost += len(await store.audit_log(server)) != len(NOTES)
    finally:
        await store.close()
    assert lost == 0
    assert fake.problems == []
    print(
        f"\ntwo bot processes on {SHARDS} shards: {wanted} notes for {SERVERS} servers, {lost} lost;"
        f" resident memory per process when ready: {', '.join(f'{r:.0f} MiB' for r in resident)}"
    )
