"""/note and /audit through real CommandTree dispatch (tier 1): who may, what is stored, what /drug shows."""

from __future__ import annotations

from bot.bot import DrugBot
from bot.tree import NO_PERMISSION
from tests.discord.harness import GUILD_ID, Recorder, dispatch, slash, subcommand


async def test_a_moderators_note_shows_on_the_card_marked_as_the_servers(
    bot: DrugBot, sent: Recorder
) -> None:
    note = "Transplant members: see #tx-meds and ask your transplant pharmacist first. @everyone"
    await dispatch(bot, subcommand("note", "set", who="moderator", drug="imuran", text=note))
    assert "Saved" in sent.only().message["content"]
    sent.clear()
    await dispatch(bot, slash("drug", name="azathioprine"))
    field = sent.only().embeds[0]["fields"][0]
    assert "This server's note" in field["name"] and "not medical content from the bot" in field["value"]
    assert "see #tx-meds" in field["value"] and "@everyone" not in field["value"]  # made inert
    (record,) = await bot.community.audit_log(GUILD_ID)
    assert record.action == "note set: azathioprine" and record.after.startswith("Transplant members")


async def test_members_may_read_notes_but_not_write_them(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, subcommand("note", "set", who="member", drug="imuran", text="my own advice"))
    assert sent.only().message["content"] == NO_PERMISSION
    assert await bot.community.note(GUILD_ID, "azathioprine") is None
    sent.clear()
    await dispatch(bot, subcommand("note", "show", who="member", drug="imuran"))
    assert "No note on azathioprine here." in sent.only().message["content"]


async def test_outside_links_are_refused_with_the_reason(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, subcommand("note", "set", who="moderator", drug="imuran", text="https://example.org"))
    assert "Discord channels or messages" in sent.only().message["content"]
    assert await bot.community.note(GUILD_ID, "azathioprine") is None


async def test_clearing_a_note_is_audited_and_the_card_no_longer_shows_it(
    bot: DrugBot, sent: Recorder
) -> None:
    await dispatch(bot, subcommand("note", "set", who="moderator", drug="imuran", text="see #tx-meds"))
    await dispatch(bot, subcommand("note", "clear", who="moderator", drug="imuran"))
    sent.clear()
    await dispatch(bot, slash("drug", name="azathioprine"))
    assert all("server's note" not in f["name"] for f in sent.only().embeds[0]["fields"])
    actions = [r.action for r in await bot.community.audit_log(GUILD_ID)]
    assert actions == ["note cleared: azathioprine", "note set: azathioprine"]


async def test_audit_is_for_moderators_and_lists_newest_first(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, subcommand("note", "set", who="moderator", drug="imuran", text="one"))
    await dispatch(bot, subcommand("note", "set", who="moderator", drug="prednisone", text="two"))
    sent.clear()
    await dispatch(bot, slash("audit"))
    assert sent.only().message["content"] == NO_PERMISSION
    sent.clear()
    await dispatch(bot, slash("audit", who="moderator"))
    text = sent.only().message["content"]
    assert text.index("prednisone") < text.index("azathioprine")
