"""The command tree and the send helpers through real dispatch (tier 1): failures become short private
replies, rates are limited, slow work is deferred, every interaction gets one initial response."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.bot import DrugBot
from bot.exts.drugs.buttons import drug_custom_id, section_custom_id
from bot.knowledge.domain import Knowledge
from bot.tree import GENERIC_FAILURE, NOT_AVAILABLE, RATE
from bot.utils import messages as messages_module
from tests.discord.harness import Recorder, autocomplete, dispatch, press, slash


def shown(knowledge: Knowledge, drug_id: str) -> str:
    return knowledge.names.shown_as(drug_id)


# Errors, timing and limits ------------------------------------------------------------------------


async def test_a_bug_becomes_a_short_private_reply_and_a_logged_traceback(
    bot: DrugBot, sent: Recorder, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(bot.get_cog("Drugs"), "card", broken)
    with caplog.at_level(logging.ERROR, logger="bot.tree"):
        await dispatch(bot, slash("drug", name="imuran"))
    call = sent.only()
    assert call.ephemeral and call.message["content"] == GENERIC_FAILURE
    assert "secret internals" not in call.text
    assert any(r.exc_info and "secret internals" in str(r.exc_info[1]) for r in caplog.records)


async def test_a_button_bug_is_also_a_private_reply(
    bot: DrugBot, sent: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.get_cog("Drugs"), "card", broken)
    await dispatch(bot, press(drug_custom_id("azathioprine")))
    call = sent.only()
    assert call.ephemeral and call.message["content"] == GENERIC_FAILURE


async def test_unknown_command_gets_a_private_reply(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, slash("retired-command"))
    call = sent.only()
    assert call.ephemeral and call.message["content"] == NOT_AVAILABLE


async def test_too_many_commands_are_slowed_down_privately(bot: DrugBot, sent: Recorder) -> None:
    for _ in range(RATE + 1):
        await dispatch(bot, slash("about"))
    last = sent.calls[-1]
    assert last.ephemeral and "going a bit fast" in last.message["content"]
    assert len(sent.calls) == RATE + 1 and all(c.embeds for c in sent.calls[:-1])


async def test_too_many_button_presses_are_slowed_down_privately(bot: DrugBot, sent: Recorder) -> None:
    for _ in range(RATE + 1):  # the asker flicking through a card's sections
        await dispatch(bot, press(section_custom_id("interactions", "azathioprine")))
    last = sent.calls[-1]
    assert last.ephemeral and "going a bit fast" in last.message["content"]
    assert len(sent.calls) == RATE + 1 and all(c.embeds for c in sent.calls[:-1])


async def test_slow_work_is_deferred_then_followed_up(
    bot: DrugBot, sent: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    cog = bot.get_cog("Drugs")
    card = cog.card  # type: ignore[union-attr]

    def slow(*args: Any) -> Any:
        import time

        time.sleep(0.1)
        return card(*args)

    monkeypatch.setattr(messages_module, "DEFER_AFTER", 0.01)
    monkeypatch.setattr(cog, "card", slow)
    await dispatch(bot, slash("drug", name="imuran"))
    assert [c.callback_type for c in sent.callbacks] == [5]
    followup = sent.calls[1]
    assert followup.path.startswith("/webhooks/") and followup.embeds


async def test_a_failure_after_a_public_defer_stays_private(
    bot: DrugBot, sent: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow_and_broken(*args: Any) -> Any:
        import time

        time.sleep(0.1)
        raise RuntimeError("late")

    monkeypatch.setattr(messages_module, "DEFER_AFTER", 0.01)
    monkeypatch.setattr(bot.get_cog("Drugs"), "card", slow_and_broken)
    await dispatch(bot, slash("drug", name="imuran"))
    methods = [(c.method, c.path.rsplit("/", 1)[-1]) for c in sent.calls]
    assert methods[0] == ("POST", "callback")
    assert ("DELETE", "@original") in methods  # the public "thinking…" is removed
    assert sent.calls[-1].ephemeral and sent.calls[-1].message["content"] == GENERIC_FAILURE


async def test_every_interaction_gets_its_initial_response_first(bot: DrugBot, sent: Recorder) -> None:
    # Meeting the 3-second deadline is by construction (slow work defers: see the test above); how fast
    # answers are is measured by bench/bench_discord.py, never asserted here (machines are noisy).
    for payload in (
        slash("drug", name="immuran"),
        slash("interactions", drugs="imuran, allopurinol, bactrim, prednisone, ibuprofen"),
        autocomplete("drug", "name", "a"),
    ):
        sent.clear()
        await dispatch(bot, payload)
        assert sent.calls and sent.calls[0].path.endswith("/callback")
        assert len(sent.callbacks) == 1


async def test_a_failing_event_listener_is_logged_with_ids_never_text(
    bot: DrugBot, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.discord.harness import deliver, member_message

    async def on_message(message: Any) -> None:
        raise RuntimeError("listener bug")

    bot.add_listener(on_message, "on_message")
    payload = member_message("a private health detail: imuran")
    with caplog.at_level(logging.ERROR, logger="bot.bot"):
        await deliver(bot, payload)
    (record,) = [r for r in caplog.records if r.name == "bot.bot"]
    assert "on_message" in record.getMessage() and payload["id"] in record.getMessage()
    assert "private health detail" not in caplog.text
