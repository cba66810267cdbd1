"""Tier 3: full start-up. `bot.start()` runs for real against the fake: REST login, GET /gateway/bot,
a websocket gateway (HELLO, IDENTIFY -> READY, GUILD_CREATE, heartbeat ACK); an INTERACTION_CREATE
pushed over the socket reaches the bot and is answered through the fake REST API."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import discord
import pytest

from bot.bot import NO_MESSAGE_CONTENT, DrugBot, _run, intents, run_bot
from bot.knowledge.domain import Knowledge
from bot.settings import Settings
from tests.conftest import store_path
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import APPLICATION_ID, GUILD_ID, TOKEN, make_bot, slash, until


async def start(bot: DrugBot) -> asyncio.Task[None]:
    ready = asyncio.Event()

    async def on_ready() -> None:
        ready.set()

    bot.add_listener(on_ready, "on_ready")
    task = asyncio.create_task(bot.start(TOKEN))
    done, _ = await asyncio.wait(
        {task, asyncio.ensure_future(ready.wait())}, timeout=10, return_when="FIRST_COMPLETED"
    )
    if task in done:
        task.result()  # start() ended early: raise its error
    assert ready.is_set(), "the bot never became ready"
    return task


async def stop(bot: DrugBot, task: asyncio.Task[None]) -> None:
    await bot.close()
    await asyncio.wait_for(task, 5)


async def test_starts_for_real_and_answers_an_interaction_from_the_gateway(
    knowledge: Knowledge, fake: FakeDiscord
) -> None:
    fake.gateway_url_override = "ws://127.0.0.1:9/unused"  # DISCORD_GATEWAY_URL must win over this
    settings = Settings(api_base_url=fake.api_url, gateway_url=fake.gateway_url)
    bot = await make_bot(knowledge, settings, guild_ready_timeout=0.05)
    task = await start(bot)
    try:
        (identify,) = fake.identifies
        assert identify["token"] == TOKEN
        assert identify["intents"] == intents().value
        assert bot.get_guild(GUILD_ID) is not None
        assert not any(r.method == "PUT" for r in fake.requests)  # no command sync on an ordinary boot

        await fake.push("INTERACTION_CREATE", slash("drug", name="immuran"))
        (callback,) = await fake.wait_for(1, path="/callback")
        assert callback.message["allowed_mentions"] == {"parse": []}
        assert knowledge.names.shown_as("azathioprine") in callback.message["embeds"][0]["title"]
    finally:
        await stop(bot, task)
    assert fake.problems == []


async def test_a_process_connects_only_its_own_range_of_shards(
    knowledge: Knowledge, fake: FakeDiscord
) -> None:
    settings = Settings(
        api_base_url=fake.api_url, gateway_url=fake.gateway_url, shard_count=4, shard_ids=(2, 3)
    )
    bot = await make_bot(knowledge, settings, guild_ready_timeout=0.05)
    task = await start(bot)
    try:
        # The second shard identifies after the first (Discord's pacing of five seconds).
        await until(lambda: len(fake.identifies) == 2, "both shards' IDENTIFY")
        assert sorted(identify["shard"] for identify in fake.identifies) == [[2, 4], [3, 4]]
        assert sorted(bot.shards) == [2, 3] and bot.shard_count == 4
    finally:
        await stop(bot, task)


async def test_sync_flag_registers_commands_before_connecting(
    knowledge: Knowledge, fake: FakeDiscord
) -> None:
    settings = Settings(api_base_url=fake.api_url)
    bot = await make_bot(knowledge, settings, sync=True, sync_guild=GUILD_ID, guild_ready_timeout=0.05)
    task = await start(bot)
    try:
        paths = [r.path for r in fake.requests]
        put = paths.index(f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands")
        assert put < paths.index("/gateway/bot")
    finally:
        await stop(bot, task)
    assert fake.problems == []


async def test_run_bot_exits_1_when_discord_rejects_the_token_and_never_logs_it(
    knowledge: Knowledge, fake: FakeDiscord, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fake.fail("GET", r"^/users/@me$", 401, {"message": "401: Unauthorized", "code": 0})
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        code = await asyncio.to_thread(
            run_bot,
            Settings(
                token=TOKEN,
                api_base_url=fake.api_url,
                log_level="DEBUG",
                drug_store_path=store_path(),
                community_store_path=tmp_path / "community.sqlite3",
            ),
        )
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert code == 1
    output = capsys.readouterr()
    assert "rejected the token" in output.err
    assert TOKEN not in output.err + output.out


def test_run_bot_exits_1_without_a_drug_store(tmp_path: Path) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        assert run_bot(Settings(token=TOKEN, drug_store_path=tmp_path / "missing.sqlite3")) == 1
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


async def test_without_the_message_content_intent_the_bot_starts_again_without_chat_checks(
    knowledge: Knowledge, fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake.refused_intents = discord.Intents(message_content=True).value
    settings = Settings(
        token=TOKEN,
        api_base_url=fake.api_url,
        gateway_url=fake.gateway_url,
        chat_checks=True,
        drug_store_path=store_path(),
        community_store_path=tmp_path / "community.sqlite3",
    )
    with caplog.at_level(logging.ERROR, logger="bot.bot"):
        task = asyncio.create_task(_run(settings, knowledge, sync=False, guild=None))
        try:
            for _ in range(200):
                if len(fake.identifies) >= 2 and fake.ready.is_set():
                    break
                await asyncio.sleep(0.05)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    first, second = fake.identifies[:2]
    assert first["intents"] & fake.refused_intents and not second["intents"] & fake.refused_intents
    assert [r.getMessage() for r in caplog.records if r.name == "bot.bot"] == [NO_MESSAGE_CONTENT]
