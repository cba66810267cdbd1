"""Shared fixtures: the real built drug store, opened once per test session.

`make test` builds the store from data/ before running the tests. Tests that need a store of their own
(the build's validation errors) build one from a small data folder in a temporary directory.

Hypothesis runs the same examples on every run (`derandomize`), so that a change lands or fails on its
own merits, never on a lucky draw. `HYPOTHESIS_PROFILE=explore` draws new examples, ten times as many
where a test does not set its own number: run it before a release, and keep what it finds as a test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import discord.http
import pytest
from hypothesis import settings

from bot.bot import DrugBot, use_gateway
from bot.knowledge.domain import Knowledge
from bot.paths import DEFAULT_STORE, PROJECT_ROOT
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import Recorder, make_bot, prepare_offline, recording
from tests.postgres_server import NoServer, postgres_server

SHARED_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


DISCORD_BASE = discord.http.Route.BASE


def store_path() -> Path:
    return Path(os.environ.get("DRUG_STORE_PATH") or DEFAULT_STORE)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL server for this test session (tests/postgres_server.py), or a skip saying why not."""
    try:
        with postgres_server() as url:
            yield url
    except NoServer as reason:
        pytest.skip(f"no PostgreSQL server: {reason}")


@pytest.fixture
async def postgres_url(postgres_server_url: str) -> str:
    """A new, empty database on the session's server, for one test."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(postgres_server_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return postgres_server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    path = store_path()
    if not path.is_file():
        pytest.fail(f"no drug store at {path}: run `make test` (it builds the store first)")
    return Knowledge.open(path)


# Discord: an offline bot on discord.py's real parser and command tree, and a fake of Discord --------


@pytest.fixture(autouse=True)
def restore_route_base() -> Iterator[None]:
    """Tests that point REST and the gateway at a fake put Discord's URLs back afterwards."""
    yield
    discord.http.Route.BASE = DISCORD_BASE
    use_gateway(None)


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
