"""Shared fixtures: the real built drug store, opened once per test session.

`make test` builds the store from data/ before running the tests. Tests that need a store of their own
(the build's validation errors) build one from a small data folder in a temporary directory.

Hypothesis runs the same examples on every run (`derandomize`), so that a change lands or fails on its
own merits, never on a lucky draw. `HYPOTHESIS_PROFILE=explore` draws new examples, ten times as many
where a test does not set its own number: run it before a release, and keep what it finds as a test.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from hypothesis import settings

from bot.bot import DrugBot, use_api_base, use_gateway
from bot.community.sqlite import SqliteCommunityStore
from bot.knowledge.domain import Knowledge
from bot.paths import DEFAULT_STORE, PROJECT_ROOT
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import Recorder, make_bot, prepare_offline, recording
from tests.postgres_server import NoServer, postgres_server

SHARED_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def store_path() -> Path:
    return Path(os.environ.get("DRUG_STORE_PATH") or DEFAULT_STORE)


@contextlib.asynccontextmanager
async def writes_refused(store: SqliteCommunityStore, how: str) -> AsyncIterator[None]:
    """Make writes fail as on a read-only store (SQLITE_READONLY), or as on a full disk: this process
    may not write one more byte to any file (the OS refuses with EFBIG where a full disk says ENOSPC;
    SQLite reports a disk I/O error instead of "disk is full", and the store handles both alike)."""
    if how == "read-only":
        await store._db.execute("PRAGMA query_only = ON")
        try:
            yield
        finally:
            await store._db.execute("PRAGMA query_only = OFF")
        return
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of the process killed
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, ignored)


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
    use_api_base(None)
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
