"""Deployment: the /healthz endpoint and a clean stop on SIGTERM, with the real bot process against the
fake Discord (the Dockerfile's health check and systemd's stop rely on both)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.health import health
from bot.knowledge.domain import Knowledge
from tests.conftest import store_path
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import TOKEN, make_bot

ROOT = Path(__file__).resolve().parent.parent
HADOLINT = shutil.which(
    "hadolint", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def healthz(port: int) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status, json.loads(await response.text())


async def start_bot_process(fake: FakeDiscord, port: int, **settings: str) -> asyncio.subprocess.Process:
    """`drugbot run` as a real process against `fake`, with /healthz on `port`; `settings` are added to
    the environment (COMMUNITY_STORE_PATH, SHARD_IDS, ...)."""
    env = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_BASE_URL": fake.api_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DRUG_STORE_PATH": str(store_path()),
        "HEALTH_PORT": str(port),
        "CHAT_CHECKS": "off",
        **settings,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE
    )


async def until_healthy(port: int, process: asyncio.subprocess.Process) -> dict[str, Any]:
    """The /healthz figures once the process answers 200 (ready a moment after READY and GUILD_CREATE)."""
    for _ in range(300):
        assert process.returncode is None, "the bot process ended early"
        try:
            status, figures = await healthz(port)
        except aiohttp.ClientConnectionError:
            status = 0
        if status == 200:
            return figures
        await asyncio.sleep(0.1)
    raise AssertionError("the bot process never became healthy")


async def test_a_bot_that_is_not_connected_is_unhealthy(knowledge: Knowledge) -> None:
    bot = await make_bot(knowledge)
    healthy, figures = health(bot)
    assert not healthy and figures["ready"] is False and figures["shards"] == 0
    assert figures["heartbeat_ms"] is None
    await bot.community.close()  # (discord.py cannot close a client that never started)


async def test_the_process_is_healthy_when_connected_and_stops_cleanly_on_sigterm(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    port = free_port()
    process = await start_bot_process(fake, port, COMMUNITY_STORE_PATH=str(tmp_path / "community.sqlite3"))
    try:
        await asyncio.wait_for(fake.ready.wait(), 30)
        figures = await until_healthy(port, process)
        assert figures["ready"] and figures["shards_connected"] == figures["shards"] == 1

        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 15) == 0
        assert process.stderr is not None
        log = (await process.stderr.read()).decode()
        assert "SIGTERM received: closing" in log and "Traceback" not in log
        assert all(socket.closed for socket in fake._sockets)  # the gateway was closed, not dropped
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@pytest.mark.skipif(HADOLINT is None, reason="hadolint is not installed (make test installs it)")
def test_the_dockerfile_passes_hadolint() -> None:
    assert HADOLINT is not None
    result = subprocess.run([HADOLINT, "Dockerfile"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_a_user_with_the_health_check_and_the_data_volume() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in dockerfile and "USER 10001" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile and 'VOLUME ["/data"]' in dockerfile
    assert "drugbot data build" in dockerfile and "STOPSIGNAL SIGTERM" in dockerfile
