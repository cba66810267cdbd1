"""Pinned answers through the real discord.py dispatch against the fake Discord (tier 2): the "Pin
answer" menu with its permission matrix and Discord's faults, /pins list and remove, pins that go away
elsewhere, the card's "pinned in" line and the log channel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest

from bot.bot import DrugBot
from bot.community.models import GuildSettings, PinnedAnswer
from bot.community.sqlite import SqliteCommunityStore
from bot.exts.moderation.pins import (
    ALREADY,
    BOT_CANNOT_PIN,
    FULL,
    GONE,
    NOT_MINE,
    PAGE_PREFIX,
    UNPINNED_NOT_RECORDED,
)
from bot.knowledge.domain import Knowledge
from bot.settings import Settings
from bot.tree import NO_PERMISSION, STORE_UNAVAILABLE
from tests.conftest import writes_refused
from tests.discord.fake_discord import FakeDiscord, Request
from tests.discord.harness import (
    BOT_PERMISSIONS,
    CHANNEL_ID,
    GUILD_ID,
    TOKEN,
    Who,
    channel,
    dispatch,
    guild,
    make_bot,
    member_message,
    message,
    message_command,
    permissions_of,
    press,
    settle,
    slash,
    subcommand,
)


@pytest.fixture
async def online(knowledge: Knowledge, fake: FakeDiscord) -> AsyncIterator[DrugBot]:
    bot = await make_bot(knowledge, Settings(api_base_url=fake.api_url))
    await bot.login(TOKEN)
    bot._connection.parse_guild_create(guild())
    yield bot
    await bot.close()
    assert fake.problems == []


def card(fake: FakeDiscord, title: str = "Azathioprine (Imuran)") -> dict[str, Any]:
    """A card the bot sent earlier, known to the fake Discord."""
    sent = message(embeds=[{"title": title, "description": "Card.\nAn immune-suppressing medicine."}])
    fake.messages[sent["id"]] = sent
    return sent


def pin_answer(target: dict[str, Any], who: Who = "moderator", **options: Any) -> dict[str, Any]:
    return message_command("Pin answer", target, who=who, **options)


def pin_calls(fake: FakeDiscord, method: str = "PUT") -> list[Request]:
    return [r for r in fake.requests if r.method == method and "/messages/pins/" in r.path]


def last_reply(fake: FakeDiscord) -> str:
    """The text of the last message the bot sent in answer to an interaction."""
    sends = [r for r in fake.sends if "/interactions/" in r.path or "/webhooks/" in r.path]
    message = sends[-1].message
    embeds = message.get("embeds") or []
    return "\n".join([message.get("content") or ""] + [e.get("description", "") for e in embeds])


# Pin answer ---------------------------------------------------------------------------------------


async def test_a_moderator_pins_an_answer_and_it_is_recorded_and_audited(
    online: DrugBot, fake: FakeDiscord
) -> None:
    target = card(fake)
    await dispatch(online, pin_answer(target))
    (call,) = pin_calls(fake)
    assert call.path == f"/channels/{CHANNEL_ID}/messages/pins/{target['id']}"
    assert "Pinned (azathioprine)" in last_reply(fake)
    (record,) = await online.community.pins(GUILD_ID, "azathioprine")
    assert (record.channel_id, record.message_id, record.drugs) == (
        CHANNEL_ID,
        int(target["id"]),
        ("azathioprine",),
    )
    (action,) = await online.community.audit_log(GUILD_ID)
    assert action.action == "pin: azathioprine" and target["id"] in action.after


@pytest.mark.parametrize(
    ("who", "allowed"), [("member", False), ("pinner", True), ("moderator", True), ("admin", True)]
)
async def test_who_may_pin(online: DrugBot, fake: FakeDiscord, who: Who, allowed: bool) -> None:
    await dispatch(online, pin_answer(card(fake), who))
    assert bool(pin_calls(fake)) is allowed
    assert bool(await online.community.pins(GUILD_ID)) is allowed
    if not allowed:
        assert last_reply(fake) == NO_PERMISSION


async def test_a_forged_payload_claiming_permissions_the_roles_do_not_give_is_refused(
    online: DrugBot, fake: FakeDiscord
) -> None:
    forged = pin_answer(card(fake), "member", permissions=discord.Permissions.all().value)
    await dispatch(online, forged)
    assert last_reply(fake) == NO_PERMISSION and not pin_calls(fake)
    await dispatch(
        online,
        subcommand(
            "note", "set", who="member", permissions=permissions_of("admin").value, drug="imuran", text="x"
        ),
    )
    assert last_reply(fake) == NO_PERMISSION and await online.community.note(GUILD_ID, "azathioprine") is None


async def test_only_the_bots_own_answers_and_only_once(online: DrugBot, fake: FakeDiscord) -> None:
    someone = member_message("my own words about imuran")
    fake.messages[someone["id"]] = someone
    await dispatch(online, pin_answer(someone))
    assert last_reply(fake) == NOT_MINE
    already = card(fake)
    already["pinned"] = True
    await dispatch(online, pin_answer(already))
    assert last_reply(fake) == ALREADY
    assert not pin_calls(fake) and await online.community.pins(GUILD_ID) == []


async def test_the_bot_without_pin_messages_says_so_and_does_not_try(
    online: DrugBot, fake: FakeDiscord
) -> None:
    payload = pin_answer(card(fake))
    payload["app_permissions"] = str(BOT_PERMISSIONS.value & ~discord.Permissions(pin_messages=True).value)
    await dispatch(online, payload)
    assert last_reply(fake) == BOT_CANNOT_PIN and not pin_calls(fake)


@pytest.mark.parametrize(
    ("status", "code", "said"),
    [(400, 30003, FULL), (403, 50013, BOT_CANNOT_PIN), (404, 10008, GONE)],
)
async def test_discords_refusals_are_explained_and_nothing_is_recorded(
    online: DrugBot, fake: FakeDiscord, status: int, code: int, said: str
) -> None:
    fake.fail("PUT", r"/messages/pins/", status, {"message": "refused", "code": code})
    await dispatch(online, pin_answer(card(fake)))
    assert last_reply(fake) == said
    assert await online.community.pins(GUILD_ID) == [] and await online.community.audit_log(GUILD_ID) == []


# /pins list and remove ---------------------------------------------------------------------------


async def test_pins_list_is_newest_first_with_jump_links_and_filters_by_medicine(
    online: DrugBot, fake: FakeDiscord
) -> None:
    first, second = card(fake), card(fake, "Allopurinol (Zyloprim)")
    await dispatch(online, pin_answer(first))
    await dispatch(online, pin_answer(second))
    await dispatch(online, subcommand("pins", "list"))
    text = last_reply(fake)
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/"
    assert text.index(link + second["id"]) < text.index(link + first["id"])  # newest first
    await dispatch(online, subcommand("pins", "list", drug="zyloprim"))
    text = last_reply(fake)
    assert second["id"] in text and first["id"] not in text


async def test_pins_list_pages_with_buttons(online: DrugBot, fake: FakeDiscord) -> None:
    for number in range(12):  # pinned earlier (twelve menu uses in a row would meet the rate limit)
        target = card(fake)
        target["pinned"] = True
        at = f"2026-01-{number + 1:02d}T00:00:00+00:00"
        record = PinnedAnswer(GUILD_ID, CHANNEL_ID, int(target["id"]), ("azathioprine",), "Imuran", 1, at)
        await online.community.add_pin(record)
    await dispatch(online, subcommand("pins", "list"))
    reply = [r for r in fake.sends if "/interactions/" in r.path or "/webhooks/" in r.path][-1]
    (row,) = reply.message["components"]
    (older,) = row["components"]
    assert older["label"] == "Older ▶" and older["custom_id"] == f"{PAGE_PREFIX}1:"
    assert reply.message["embeds"][0]["description"].count("📌") == 10
    await dispatch(online, press(older["custom_id"]))
    edit = [r for r in fake.requests if r.method == "PATCH" and "/messages/@original" in r.path][-1]
    assert edit.message["embeds"][0]["description"].count("📌") == 2
    assert "page 2 of 2" in edit.message["embeds"][0]["footer"]["text"]


async def test_answers_deleted_or_unpinned_elsewhere_are_marked_and_never_listed(
    online: DrugBot, fake: FakeDiscord
) -> None:
    deleted, unpinned, kept = card(fake), card(fake), card(fake)
    for target in (deleted, unpinned, kept):
        await dispatch(online, pin_answer(target))
    del fake.messages[deleted["id"]]  # gone while the bot was not looking
    fake.messages[unpinned["id"]]["pinned"] = False
    await dispatch(online, subcommand("pins", "list"))
    text = last_reply(fake)
    assert kept["id"] in text and deleted["id"] not in text and unpinned["id"] not in text
    states = {t["id"]: (await online.community.pin(GUILD_ID, int(t["id"]))) for t in (deleted, unpinned)}
    assert {k: v.state for k, v in states.items() if v} == {
        deleted["id"]: "deleted",
        unpinned["id"]: "unpinned",
    }


async def test_a_deletion_the_bot_sees_marks_the_pin_at_once(online: DrugBot, fake: FakeDiscord) -> None:
    target = card(fake)
    await dispatch(online, pin_answer(target))
    before = set(asyncio.all_tasks())
    online._connection.parse_message_delete(
        {"id": target["id"], "channel_id": str(CHANNEL_ID), "guild_id": str(GUILD_ID)}
    )
    await settle(before)  # the listener runs as its own task
    record = await online.community.pin(GUILD_ID, int(target["id"]))
    assert record is not None and record.state == "deleted"


async def test_pins_remove_is_for_pinners_unpins_and_is_audited(online: DrugBot, fake: FakeDiscord) -> None:
    target = card(fake)
    await dispatch(online, pin_answer(target))
    await dispatch(online, subcommand("pins", "remove", who="member", answer=target["id"]))
    assert last_reply(fake) == NO_PERMISSION and not pin_calls(fake, "DELETE")
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{target['id']}"
    await dispatch(online, subcommand("pins", "remove", who="moderator", answer=link))
    assert len(pin_calls(fake, "DELETE")) == 1 and "Unpinned" in last_reply(fake)
    assert await online.community.pins(GUILD_ID) == []
    assert [a.action for a in await online.community.audit_log(GUILD_ID)] == [
        "unpin: azathioprine",
        "pin: azathioprine",
    ]


# The card and the log channel -------------------------------------------------------------------


async def test_the_card_links_the_servers_pinned_answers(online: DrugBot, fake: FakeDiscord) -> None:
    target = card(fake)
    await dispatch(online, pin_answer(target))
    await dispatch(online, slash("drug", name="imuran"))
    embed = [r for r in fake.sends if r.message.get("embeds")][-1].message["embeds"][0]
    field = embed["fields"][0]
    assert field["name"] == "📌 Pinned in this server"
    assert f"pinned in <#{CHANNEL_ID}>" in field["value"] and target["id"] in field["value"]


async def test_every_action_is_posted_in_the_log_channel_without_pinging(
    online: DrugBot, fake: FakeDiscord
) -> None:
    await online.community.save_guild_settings(GuildSettings(GUILD_ID, log_channel_id=CHANNEL_ID))
    await dispatch(online, pin_answer(card(fake)))
    await dispatch(online, subcommand("note", "set", who="moderator", drug="imuran", text="see #tx-meds"))
    posts = [r for r in fake.requests if r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages"]
    assert [p.message["content"].split(":")[0].split("> ")[1] for p in posts] == ["pin", "note set"]
    assert all(p.message["allowed_mentions"]["parse"] == [] for p in posts)


async def test_an_unpin_elsewhere_is_noticed_from_the_channels_pins_update(
    online: DrugBot, fake: FakeDiscord
) -> None:
    target = card(fake)
    await dispatch(online, pin_answer(target))
    fake.messages[target["id"]]["pinned"] = False  # a moderator unpinned it with Discord's own menu
    online._connection.parse_channel_pins_update(
        {"channel_id": str(CHANNEL_ID), "guild_id": str(GUILD_ID), "last_pin_timestamp": None}
    )
    for _ in range(100):  # the listener runs as its own task
        record = await online.community.pin(GUILD_ID, int(target["id"]))
        if record is not None and not record.live:
            break
        await asyncio.sleep(0.01)
    assert record is not None and record.state == "unpinned"


def log_channel(who: Who) -> dict[str, Any]:
    """/settings log-channel channel:#general, with the channel option as Discord sends it."""
    payload = subcommand("settings", "log-channel", who=who, channel=str(CHANNEL_ID))
    payload["data"]["options"][0]["options"][0]["type"] = 7
    payload["data"]["resolved"] = {"channels": {str(CHANNEL_ID): {**channel(), "permissions": "0"}}}
    return payload


async def test_the_log_channel_is_a_moderators_audited_setting(online: DrugBot, fake: FakeDiscord) -> None:
    await dispatch(online, log_channel("member"))
    assert last_reply(fake) == NO_PERMISSION
    await dispatch(online, log_channel("moderator"))
    assert (await online.community.guild_settings(GUILD_ID)).log_channel_id == CHANNEL_ID
    (record,) = await online.community.audit_log(GUILD_ID)
    assert record.action == "settings log-channel" and f"<#{CHANNEL_ID}>" in record.after
    await dispatch(online, subcommand("settings", "log-channel", who="moderator"))
    assert (await online.community.guild_settings(GUILD_ID)).log_channel_id is None


async def test_an_unpin_the_store_cannot_record_is_taken_back(online: DrugBot, fake: FakeDiscord) -> None:
    target = card(fake)
    await dispatch(online, pin_answer(target))
    store = online.community
    assert isinstance(store, SqliteCommunityStore)
    async with writes_refused(store, "read-only"):
        await dispatch(online, subcommand("pins", "remove", who="moderator", answer=target["id"]))
    assert last_reply(fake) == STORE_UNAVAILABLE  # "nothing was changed", and that is true:
    assert [r.method for r in fake.requests if "/messages/pins/" in r.path] == ["PUT", "DELETE", "PUT"]
    record = await store.pin(GUILD_ID, int(target["id"]))
    assert record is not None and record.state == "pinned"
    assert [a.action for a in await store.audit_log(GUILD_ID)] == ["pin: azathioprine"]


async def test_an_unpin_that_cannot_be_recorded_nor_taken_back_says_so(
    online: DrugBot, fake: FakeDiscord
) -> None:
    target = card(fake)
    await dispatch(online, pin_answer(target))
    store = online.community
    assert isinstance(store, SqliteCommunityStore)
    fake.fail("PUT", r"/messages/pins/", 403, {"message": "Missing Permissions", "code": 50013})
    async with writes_refused(store, "read-only"):
        await dispatch(online, subcommand("pins", "remove", who="moderator", answer=target["id"]))
    assert last_reply(fake) == UNPINNED_NOT_RECORDED
    await dispatch(online, subcommand("pins", "list"))  # it checks with Discord, and drops it
    record = await store.pin(GUILD_ID, int(target["id"]))
    assert record is not None and record.state == "unpinned"
