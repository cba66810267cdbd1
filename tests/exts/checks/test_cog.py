"""/interactions through real CommandTree dispatch (tier 1)."""

from __future__ import annotations

import pytest

from bot.bot import DrugBot
from bot.knowledge.domain import MAX_NAMES, Knowledge
from bot.knowledge.wording import DISCLAIMER
from tests.discord.examples import busy_drugs
from tests.discord.harness import Recorder, dispatch, slash


def shown(knowledge: Knowledge, drug_id: str) -> str:
    return knowledge.names.shown_as(drug_id)


# /interactions ----------------------------------------------------------------------------------


async def test_interactions_two_drugs(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, slash("interactions", drugs="imuran and allopurinol"))
    call = sent.only()
    embed = call.embeds[0]
    assert embed["fields"][0]["name"].startswith("🔴 Major") or embed["fields"][0]["name"].startswith("⛔")
    assert "allopurinol" in embed["fields"][0]["name"]
    assert DISCLAIMER in embed["footer"]["text"]


async def test_interactions_ten_drugs_split_within_limits(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    names = busy_drugs(knowledge, MAX_NAMES)
    await dispatch(bot, slash("interactions", drugs=", ".join(names)))
    assert len(sent.callbacks) == 1
    pages = sent.sends
    assert len(pages) > 1, "a check this long should need more than one message"
    assert all(DISCLAIMER in p.embeds[0]["footer"]["text"] for p in pages)
    found = sum(
        1
        for p in pages
        for f in p.embeds[0]["fields"]
        if f["name"][:1] in "⛔🔴🟠🟡" and not f["name"].endswith("(continued)")
    )
    assert found == len(knowledge.check(names).interactions)  # no pair lost to the 25-field limit


async def test_interactions_unresolved_names_are_listed_with_suggestions(
    bot: DrugBot, sent: Recorder
) -> None:
    await dispatch(bot, slash("interactions", drugs="imuran, allopurinol, qqqzzzxx"))
    call = sent.only()
    assert "I couldn't tell what *qqqzzzxx* is, so it was not checked." in call.text


async def test_interactions_nothing_found_is_not_proof_of_safety(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    ids = knowledge.store.curated_ids()
    pair = next(
        (
            [knowledge.store.name(a), knowledge.store.name(b)]
            for a in ids
            for b in ids
            if a < b and not knowledge.check([knowledge.store.name(a), knowledge.store.name(b)]).interactions
        ),
        None,
    )
    if pair is None:
        pytest.skip("every pair of reviewed drugs interacts")
    await dispatch(bot, slash("interactions", drugs=" and ".join(pair)))
    assert "does not mean the combination is safe" in sent.only().text


async def test_interactions_duplicates_flagged(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, slash("interactions", drugs="imuran, azathioprine"))
    assert "double-up" in sent.only().text


@pytest.mark.parametrize("text", ["imuran", ", ".join(["imuran"] * (MAX_NAMES + 1))])
async def test_interactions_wrong_count_is_a_private_usage_reply(
    bot: DrugBot, sent: Recorder, text: str
) -> None:
    await dispatch(bot, slash("interactions", drugs=text))
    call = sent.only()
    assert call.ephemeral and not call.embeds
    assert "at least two" in call.text or f"at most {MAX_NAMES}" in call.text
