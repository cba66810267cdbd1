"""/about through real CommandTree dispatch (tier 1)."""

from __future__ import annotations

from bot.bot import DrugBot
from bot.knowledge.domain import Knowledge
from bot.knowledge.wording import DISCLAIMER
from tests.discord.harness import Recorder, dispatch, slash


def shown(knowledge: Knowledge, drug_id: str) -> str:
    return knowledge.names.shown_as(drug_id)


# /about -----------------------------------------------------------------------------------------


async def test_about(bot: DrugBot, sent: Recorder, knowledge: Knowledge) -> None:
    await dispatch(bot, slash("about"))
    call = sent.only()
    assert call.embeds[0]["title"] == "About this bot"
    assert knowledge.store.meta.get("data_version", "?") in call.text
    assert DISCLAIMER in call.text
