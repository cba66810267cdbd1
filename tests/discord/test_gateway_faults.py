"""Tier 3, Discord's gateway faults: the bot runs for real against the fake gateway, which drops the
connection, asks for a reconnect (op 7) or forgets the session (op 9). The bot resumes, receives what
was sent while it was away, identifies again when it must, and answers as before, with no error logged."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from bot.bot import DrugBot
from bot.knowledge.domain import Knowledge
from bot.settings import Settings
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import make_bot, slash, until
from tests.discord.test_startup import start, stop


@pytest.fixture
async def running(knowledge: Knowledge, fake: FakeDiscord) -> AsyncIterator[DrugBot]:
    settings = Settings(api_base_url=fake.api_url, gateway_url=fake.gateway_url)
    bot = await make_bot(knowledge, settings, guild_ready_timeout=0.05)
    task = await start(bot)
    yield bot
    await stop(bot, task)
    assert fake.problems == []


async def answered(fake: FakeDiscord, knowledge: Knowledge, name: str, drug_id: str) -> None:
    """`/drug name` pushed now is answered once, with the card of `drug_id`."""
    before = len([r for r in fake.requests if r.path.endswith("/callback")])
    await fake.push("INTERACTION_CREATE", slash("drug", name=name))
    callbacks = await fake.wait_for(before + 1, path="/callback", timeout=15)
    assert knowledge.names.shown_as(drug_id) in callbacks[-1].message["embeds"][0]["title"]


FAULTS: dict[str, Callable[[FakeDiscord], Awaitable[None]]] = {
    "connection lost": FakeDiscord.drop,
    "Discord asks for a reconnect": FakeDiscord.reconnect,
}


@pytest.mark.parametrize("fault", FAULTS)
async def test_resumes_and_answers_what_arrived_while_it_was_away(
    running: DrugBot, fake: FakeDiscord, knowledge: Knowledge, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    await answered(fake, knowledge, "immuran", "azathioprine")
    caplog.set_level(logging.WARNING)
    await FAULTS[fault](fake)
    # Asked while the bot is away: Discord keeps the event and replays it on RESUME.
    await answered(fake, knowledge, "plaquenil", "hydroxychloroquine")
    await until(lambda: fake.resumes != [] and fake.connected == 1, "the resume")
    assert len(fake.identifies) == 1  # the session went on: no second IDENTIFY
    await answered(fake, knowledge, "cellcept", "mycophenolate mofetil")
    callbacks = [r for r in fake.requests if r.path.endswith("/callback")]
    assert len(callbacks) == 3  # each question answered once, none twice after the replay
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_identifies_again_when_the_session_cannot_be_resumed(
    running: DrugBot, fake: FakeDiscord, knowledge: Knowledge, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    fake.invalidate_sessions()
    await fake.drop()
    await until(lambda: len(fake.identifies) == 2, "a new IDENTIFY after INVALID_SESSION", timeout=20)
    assert len(fake.resumes) == 1  # it tried to resume first, as Discord expects
    await until(lambda: fake.connected == 1, "one open connection")
    await answered(fake, knowledge, "immuran", "azathioprine")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
