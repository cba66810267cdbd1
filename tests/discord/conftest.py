"""Fixtures for the Discord tiers: an offline bot on discord.py's real parser and command tree."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import discord.http
import pytest

from bot.bot import DrugBot
from bot.knowledge.domain import Knowledge
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import Recorder, make_bot, prepare_offline, recording

DISCORD_BASE = discord.http.Route.BASE


@pytest.fixture(autouse=True)
def restore_route_base() -> Iterator[None]:
    """Tests that point REST at a fake put Discord's URL back afterwards."""
    yield
    discord.http.Route.BASE = DISCORD_BASE


@pytest.fixture
async def bot(knowledge: Knowledge) -> AsyncIterator[DrugBot]:
    """Tier 1: a bot that never logs in, fed INTERACTION_CREATE payloads directly."""
    instance = await make_bot(knowledge)
    await prepare_offline(instance)
    yield instance
    await instance.close()


@pytest.fixture
def sent() -> Iterator[Recorder]:
    with recording() as recorder:
        yield recorder


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """The in-process fake of Discord's REST API and gateway."""
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()
