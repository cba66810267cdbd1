"""The harness's payload shapes go through discord.py's own parser as the next features need them:
messages in a channel (chat checks) and message context menus (pin answer, check drugs in message)."""

from __future__ import annotations

import discord

from bot.bot import DrugBot
from bot.tree import NOT_AVAILABLE
from tests.discord.harness import CHANNEL_ID, Recorder, deliver, dispatch, member_message, message_command


async def test_a_member_message_reaches_the_listeners_as_a_message(bot: DrugBot) -> None:
    seen: list[discord.Message] = []

    async def on_message(message: discord.Message) -> None:
        seen.append(message)

    bot.add_listener(on_message, "on_message")
    await deliver(bot, member_message("my rheumy put me on imuran"))
    (message,) = seen
    assert message.content == "my rheumy put me on imuran" and message.channel.id == CHANNEL_ID
    assert not message.author.bot


async def test_a_message_context_menu_payload_carries_its_target(bot: DrugBot, sent: Recorder) -> None:
    target = member_message("imuran and allopurinol")
    await dispatch(bot, message_command("Check drugs in message", target))
    # No such menu exists yet: the tree parses the payload and answers privately that it is not available.
    call = sent.only()
    assert call.ephemeral and call.message["content"] == NOT_AVAILABLE
