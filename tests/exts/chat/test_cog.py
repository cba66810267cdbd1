"""Chat checks through the real discord.py dispatch against the fake Discord (tiers 1 and 2):
MESSAGE_CREATE payloads for the listener, the context-menu payload, the Details button, /settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest

from bot.bot import DrugBot
from bot.community.models import GuildSettings
from bot.community.sqlite import SqliteCommunityStore
from bot.exts.chat.cog import DETAILS_ID
from bot.knowledge.domain import Knowledge
from bot.knowledge.wording import DISCLAIMER
from bot.settings import Settings
from bot.tree import NO_PERMISSION
from tests.discord.fake_discord import FakeDiscord, guild
from tests.discord.harness import (
    CHANNEL_ID,
    GUILD_ID,
    TOKEN,
    Recorder,
    bot_user,
    deliver,
    dispatch,
    make_bot,
    member_message,
    message_command,
    press,
    subcommand,
)

TWO_THAT_INTERACT = "my rheumy started me on imuran, I'm already on allopurinol for gout"  # major


def server(bot_permissions: int | None = None) -> dict[str, Any]:
    """The test server, with the bot as a member; `bot_permissions` replaces what @everyone may do."""
    data = guild()
    if bot_permissions is not None:
        data["roles"][0]["permissions"] = str(bot_permissions)
    data["members"] = [
        {
            "user": bot_user(),
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "flags": 0,
            "mute": False,
        }
    ]
    return data


async def online_bot(knowledge: Knowledge, fake: FakeDiscord, **settings: Any) -> DrugBot:
    bot = await make_bot(knowledge, Settings(api_base_url=fake.api_url, chat_checks=True, **settings))
    await bot.login(TOKEN)
    return bot


@pytest.fixture
async def chatty(knowledge: Knowledge, fake: FakeDiscord) -> AsyncIterator[DrugBot]:
    bot = await online_bot(knowledge, fake)
    bot._connection.parse_guild_create(server())
    yield bot
    await bot.close()
    assert fake.problems == []


async def choose(bot: DrugBot, mode: str, threshold: str = "major", **more: Any) -> None:
    await bot.community.save_guild_settings(GuildSettings(GUILD_ID, mode, threshold, **more))  # type: ignore[arg-type]


def replies(fake: FakeDiscord) -> list[Any]:
    return [r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages"]


def reactions(fake: FakeDiscord) -> list[Any]:
    return [r for r in fake.requests if r.method == "PUT" and "/reactions/" in r.path]


# The listener -----------------------------------------------------------------------------------


async def test_reply_mode_answers_briefly_never_pings_and_offers_details(
    chatty: DrugBot, fake: FakeDiscord
) -> None:
    await choose(chatty, "reply")
    await deliver(chatty, member_message(TWO_THAT_INTERACT))
    (reply,) = replies(fake)
    body = reply.body
    assert body["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert int(body["message_reference"]["channel_id"]) == CHANNEL_ID
    embed = body["embeds"][0]
    assert "imuran → azathioprine" in embed["description"] and "Major" in embed["description"]
    assert DISCLAIMER in embed["footer"]["text"]
    assert [c["custom_id"] for row in body["components"] for c in row["components"]] == [DETAILS_ID]


async def test_react_mode_adds_a_warning_reaction(chatty: DrugBot, fake: FakeDiscord) -> None:
    await choose(chatty, "react")
    await deliver(chatty, member_message(TWO_THAT_INTERACT))
    assert len(reactions(fake)) == 1 and not replies(fake)


@pytest.mark.parametrize(
    ("mode", "threshold", "text"),
    [
        ("off", "major", TWO_THAT_INTERACT),
        ("reply", "contraindicated", TWO_THAT_INTERACT),  # major is below this server's threshold
        ("reply", "major", "started imuran today, nervous!"),  # one medicine never triggers
        ("reply", "major", "the advice from my plan was to rest in the sun"),
        ("reply", "major", "see https://example.org/imuran-and-allopurinol for the leaflet"),
    ],
)
async def test_stays_quiet_below_the_servers_choice(
    chatty: DrugBot, fake: FakeDiscord, mode: str, threshold: str, text: str
) -> None:
    await choose(chatty, mode, threshold)
    await deliver(chatty, member_message(text))
    assert not replies(fake) and not reactions(fake)


async def test_bots_and_webhooks_are_ignored(chatty: DrugBot, fake: FakeDiscord) -> None:
    await choose(chatty, "reply")
    await deliver(chatty, member_message(TWO_THAT_INTERACT, bot=True))
    webhook = member_message(TWO_THAT_INTERACT)
    webhook["webhook_id"] = "123456789012345678"
    await deliver(chatty, webhook)
    assert not replies(fake)


async def test_a_pair_is_warned_about_once_per_channel_and_servers_have_a_cap(
    chatty: DrugBot, fake: FakeDiscord
) -> None:
    await choose(chatty, "reply")
    for _ in range(3):
        await deliver(chatty, member_message(TWO_THAT_INTERACT))
    assert len(replies(fake)) == 1
    pairs = [
        "warfarin and ibuprofen",
        "sertraline and tramadol",
        "simvastatin and clarithromycin",
        "methotrexate and bactrim",
        "sildenafil and imdur",
        "colchicine and ketoconazole",
    ]
    for text in pairs:
        await deliver(chatty, member_message(f"I take {text}"))
    assert len(replies(fake)) == 5  # the cap: five answers a minute per server


async def test_channel_lists_decide_where_checks_run(chatty: DrugBot, fake: FakeDiscord) -> None:
    await choose(chatty, "reply", channel_mode="deny", channels=frozenset({CHANNEL_ID}))
    await deliver(chatty, member_message(TWO_THAT_INTERACT))
    assert not replies(fake)
    await choose(chatty, "reply", channel_mode="allow", channels=frozenset({CHANNEL_ID}))
    await deliver(chatty, member_message(TWO_THAT_INTERACT))
    assert len(replies(fake)) == 1


async def test_without_permission_to_answer_it_stays_silent_and_logs_once(
    knowledge: Knowledge, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await online_bot(knowledge, fake)
    bot._connection.parse_guild_create(server(discord.Permissions(view_channel=True).value))
    try:
        await choose(bot, "reply")
        with caplog.at_level(logging.WARNING, logger="bot.exts.chat.cog"):
            await deliver(bot, member_message(TWO_THAT_INTERACT))
            await deliver(bot, member_message("warfarin and ibuprofen together"))
        assert not replies(fake)
        assert len([r for r in caplog.records if "staying silent" in r.getMessage()]) == 1
    finally:
        await bot.close()


async def test_nothing_of_the_message_is_stored_or_logged(
    chatty: DrugBot, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    await choose(chatty, "reply")
    secret = "my flare is awful, imuran and allopurinol since tuesday"
    with caplog.at_level(logging.DEBUG):
        await deliver(chatty, member_message(secret))
    assert replies(fake)
    assert "flare is awful" not in caplog.text
    store = chatty.community
    assert isinstance(store, SqliteCommunityStore)
    for file in store.path.parent.glob(store.path.name + "*"):  # the database and its WAL
        assert b"flare" not in file.read_bytes() and b"tuesday" not in file.read_bytes()


# Details, the context menu, settings -------------------------------------------------------------


async def test_details_shows_the_full_check_privately(chatty: DrugBot, fake: FakeDiscord) -> None:
    original = member_message(TWO_THAT_INTERACT)
    fake.messages[original["id"]] = original
    payload = press(DETAILS_ID)
    payload["message"]["message_reference"] = {"message_id": original["id"], "channel_id": str(CHANNEL_ID)}
    await dispatch(chatty, payload)
    (answer,) = [r for r in fake.requests if r.path.endswith("/callback")]
    data = answer.message
    assert data["flags"] & 64  # only the member who pressed sees it
    assert "Major" in data["embeds"][0]["fields"][0]["name"]


async def test_details_on_a_deleted_message_says_so(chatty: DrugBot, fake: FakeDiscord) -> None:
    payload = press(DETAILS_ID)
    payload["message"]["message_reference"] = {
        "message_id": "123456789012345679",
        "channel_id": str(CHANNEL_ID),
    }
    await dispatch(chatty, payload)
    (answer,) = [r for r in fake.requests if r.path.endswith("/callback")]
    assert "no longer there" in answer.message["content"]


async def test_the_context_menu_lists_every_medicine_privately(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, message_command("Check drugs in message", member_message(TWO_THAT_INTERACT)))
    call = sent.only()
    assert call.ephemeral
    assert "imuran → azathioprine" in call.text and "Major: azathioprine + allopurinol" in call.text
    assert DISCLAIMER in call.embeds[0]["footer"]["text"]


async def test_the_context_menu_on_a_message_without_medicines(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, message_command("Check drugs in message", member_message("lovely weather today")))
    assert "No medicine names were found" in sent.only().text


async def test_settings_are_refused_to_a_member_even_with_the_command_visible(
    bot: DrugBot, sent: Recorder
) -> None:
    await dispatch(bot, subcommand("settings", "chat-checks", who="member", mode="reply"))
    call = sent.only()
    assert call.ephemeral and call.message["content"] == NO_PERMISSION
    assert (await bot.community.guild_settings(GUILD_ID)).chat_mode == "off"
    assert await bot.community.audit_log(GUILD_ID) == []


async def test_a_moderator_changes_settings_and_the_change_is_audited(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(
        bot, subcommand("settings", "chat-checks", who="moderator", mode="reply", threshold="moderate")
    )
    assert "Saved" in sent.only().message["content"]
    settings = await bot.community.guild_settings(GUILD_ID)
    assert (settings.chat_mode, settings.chat_threshold) == ("reply", "moderate")
    (record,) = await bot.community.audit_log(GUILD_ID)
    assert record.action == "settings chat-checks" and "off" in record.before and "reply" in record.after
    sent.clear()
    await dispatch(bot, subcommand("settings", "show", who="moderator"))
    assert "**reply**" in sent.only().message["content"]


THREAD_ID = 700000000000000099


def with_thread(data: dict[str, Any]) -> dict[str, Any]:
    """The server with a thread (a forum post is a thread too) under the test channel."""
    data["threads"] = [
        {
            "id": str(THREAD_ID),
            "guild_id": str(GUILD_ID),
            "parent_id": str(CHANNEL_ID),
            "owner_id": str(bot_user()["id"]),
            "name": "new on imuran",
            "type": 11,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 1,
            "member_count": 1,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": "2024-01-01T00:00:00+00:00",
                "locked": False,
            },
        }
    ]
    return data


async def test_threads_are_checked_and_follow_their_channels_list(
    knowledge: Knowledge, fake: FakeDiscord
) -> None:
    bot = await online_bot(knowledge, fake)
    bot._connection.parse_guild_create(with_thread(server()))
    try:
        await choose(bot, "reply")
        in_thread = member_message(TWO_THAT_INTERACT)
        in_thread["channel_id"] = str(THREAD_ID)
        await deliver(bot, in_thread)
        assert [r.path for r in fake.requests if r.method == "POST"] == [f"/channels/{THREAD_ID}/messages"]
        await choose(bot, "reply", channel_mode="deny", channels=frozenset({CHANNEL_ID}))
        again = member_message("warfarin and ibuprofen")
        again["channel_id"] = str(THREAD_ID)
        await deliver(bot, again)
        assert len([r for r in fake.requests if r.method == "POST"]) == 1  # the thread's channel is excluded
    finally:
        await bot.close()
