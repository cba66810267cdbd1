"""Tier 2: the real HTTP stack. The bot logs in against an in-process fake of Discord's REST API
(`discord.http.Route.BASE` pointed at it through DISCORD_API_BASE_URL); every body is checked as Discord
would, and faults (403, 429, 5xx) are injected."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import discord.http
import pytest

from bot.bot import DrugBot, api_base, sync_commands
from bot.knowledge.domain import Knowledge
from bot.settings import Settings
from bot.tree import GENERIC_FAILURE
from tests.discord.examples import busy_drugs
from tests.discord.fake_discord import FakeDiscord
from tests.discord.harness import APPLICATION_ID, GUILD_ID, TOKEN, dispatch, make_bot, slash


@pytest.fixture
async def online(knowledge: Knowledge, fake: FakeDiscord) -> AsyncIterator[DrugBot]:
    instance = await make_bot(knowledge, Settings(api_base_url=fake.api_url))
    await instance.login(TOKEN)
    yield instance
    await instance.close()
    assert fake.problems == []


def test_api_base_adds_the_version() -> None:
    assert api_base("http://proxy:8080/api") == f"http://proxy:8080/api/v{discord.http.INTERNAL_API_VERSION}"
    assert api_base("http://proxy:8080/api/v9/") == "http://proxy:8080/api/v9"


async def test_login_goes_through_the_configured_base(online: DrugBot, fake: FakeDiscord) -> None:
    base = discord.http.Route.BASE
    assert base == fake.api_url + f"/v{discord.http.INTERNAL_API_VERSION}"
    assert [r.path for r in fake.requests][:2] == ["/users/@me", "/oauth2/applications/@me"]
    assert online.application_id == APPLICATION_ID


async def test_drug_answer_over_http(online: DrugBot, fake: FakeDiscord, knowledge: Knowledge) -> None:
    await dispatch(online, slash("drug", name="immuran"))
    (callback,) = await fake.wait_for(1, path="/callback")
    assert callback.message["allowed_mentions"] == {"parse": []}
    assert knowledge.names.shown_as("azathioprine") in callback.message["embeds"][0]["title"]
    assert callback.message["components"]  # the section buttons


async def test_long_check_sends_followups_within_limits(
    online: DrugBot, fake: FakeDiscord, knowledge: Knowledge
) -> None:
    ids = busy_drugs(knowledge, 10)
    await dispatch(online, slash("interactions", drugs=", ".join(ids)))
    sends = fake.sends
    assert sends[0].path.endswith("/callback")
    assert all(r.path.startswith(f"/webhooks/{APPLICATION_ID}/") for r in sends[1:])
    assert all(r.message["allowed_mentions"] == {"parse": []} for r in sends)


async def test_forbidden_callback_is_logged_and_the_member_told_privately(
    online: DrugBot, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("POST", r"/callback$", 403, {"message": "Missing Access", "code": 50001})
    with caplog.at_level(logging.ERROR, logger="bot.tree"):
        await dispatch(online, slash("drug", name="imuran"))
    statuses = [r.status for r in fake.requests if r.path.endswith("/callback")]
    assert statuses == [403, 200]
    last = fake.requests[-1]
    assert last.message["content"] == GENERIC_FAILURE and last.message["flags"] == 64
    assert any("Missing Access" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


@pytest.mark.parametrize(
    ("scope", "headers"),
    [
        ("per route", {"Via": "1.1 google", "Retry-After": "0.01", "X-RateLimit-Scope": "user"}),
        ("global", {"Retry-After": "0.05", "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}),
    ],
)
async def test_a_rate_limit_is_waited_out_and_answered_once(
    online: DrugBot, fake: FakeDiscord, scope: str, headers: dict[str, str]
) -> None:
    body = {"message": "You are being rate limited.", "retry_after": 0.05, "global": scope == "global"}
    fake.fail("POST", r"/callback$", 429, body, headers=headers)
    await dispatch(online, slash("about"))
    statuses = [r.status for r in fake.requests if r.path.endswith("/callback")]
    assert statuses == [429, 200]
    assert list(fake.acknowledged.values()) == [1]


async def test_server_error_on_a_followup_is_retried(
    online: DrugBot, fake: FakeDiscord, knowledge: Knowledge
) -> None:
    ids = busy_drugs(knowledge, 10)
    fake.fail("POST", rf"^/webhooks/{APPLICATION_ID}/", 502)
    await dispatch(
        online, slash("interactions", drugs=", ".join(ids))
    )  # discord.py waits 1 s before retrying
    followups = [r for r in fake.requests if r.path.startswith("/webhooks/")]
    assert followups[0].status == 502 and all(r.status == 200 for r in followups[1:])
    assert len([r for r in followups if r.status == 200]) == len(fake.sends) - 1


async def test_sync_to_one_server_and_globally(online: DrugBot, fake: FakeDiscord) -> None:
    expected = {c.name for c in online.tree.get_commands()}  # derived from the tree, not a list
    assert await sync_commands(online, GUILD_ID) == len(expected) >= 3
    assert await sync_commands(online) == len(expected)
    puts = [r for r in fake.requests if r.method == "PUT"]
    assert [r.path for r in puts] == [
        f"/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands",
        f"/applications/{APPLICATION_ID}/commands",
    ]
    assert all(isinstance(r.body, list) and {c["name"] for c in r.body} == expected for r in puts)


@pytest.mark.parametrize(("status", "code"), [(404, 10062), (400, 40060)])
async def test_an_interaction_discord_no_longer_accepts_is_logged_once_and_left(
    online: DrugBot, fake: FakeDiscord, caplog: pytest.LogCaptureFixture, status: int, code: int
) -> None:
    fake.fail("POST", r"/callback$", status, {"message": "Unknown interaction", "code": code}, times=5)
    with caplog.at_level(logging.WARNING, logger="bot.tree"):
        await dispatch(online, slash("drug", name="imuran"))
    callbacks = [r for r in fake.requests if r.path.endswith("/callback")]
    assert [r.status for r in callbacks] == [status]  # one try, no retry, no "sorry" that cannot land
    (record,) = [r for r in caplog.records if r.name == "bot.tree"]
    assert record.levelno == logging.WARNING and "could not be answered" in record.getMessage()
    assert record.exc_info is None
    fake.faults.clear()
