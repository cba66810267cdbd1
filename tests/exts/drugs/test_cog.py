"""/drug through real CommandTree dispatch (tier 1): the card, autocomplete and the buttons."""

from __future__ import annotations

import pytest

from bot.answers.compose import SECTIONS
from bot.bot import DrugBot
from bot.exts.drugs.buttons import (
    DRUG_PREFIX,
    drug_custom_id,
    page_custom_id,
    section_custom_id,
)
from bot.knowledge.domain import Knowledge
from bot.knowledge.names import DEFAULT_POPULAR
from bot.knowledge.wording import DISCLAIMER
from bot.tree import RATE
from tests.discord.examples import dictionary_only_name, lookalike_query, near_miss
from tests.discord.harness import OTHER_USER_ID, Recorder, autocomplete, dispatch, press, slash


def shown(knowledge: Knowledge, drug_id: str) -> str:
    return knowledge.names.shown_as(drug_id)


# /drug -------------------------------------------------------------------------------------------


async def test_drug_exact_name_gives_the_card_with_section_buttons(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    await dispatch(bot, slash("drug", name="azathioprine"))
    call = sent.only()
    assert call.callback_type == 4 and not call.ephemeral
    assert shown(knowledge, "azathioprine") in call.embeds[0]["title"]
    assert DISCLAIMER in call.embeds[0]["footer"]["text"]
    assert "You typed" not in call.text  # typed as is: nothing to echo
    assert call.custom_ids == [section_custom_id(s, "azathioprine") for s in SECTIONS]
    assert "See all interactions" in call.labels


@pytest.mark.parametrize("typed", ["Imuran", "immuran"])  # a brand, a misspelling
async def test_drug_by_another_name_echoes_the_interpretation(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge, typed: str
) -> None:
    await dispatch(bot, slash("drug", name=typed))
    call = sent.only()
    assert f"You typed *{typed}*" in call.embeds[0]["description"]
    assert shown(knowledge, "azathioprine") in call.embeds[0]["title"]


async def test_drug_lookalike_asks_which_one_with_tall_man_buttons(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    query = lookalike_query(knowledge)
    candidates = knowledge.names.resolve(query).candidates
    await dispatch(bot, slash("drug", name=query))
    call = sent.only()
    assert call.embeds[0]["title"] == "Which medicine did you mean?"
    assert call.custom_ids == [drug_custom_id(c.drug) for c in candidates]
    assert call.labels == [c.shown_as for c in candidates]
    assert any(label != label.lower() and label != label.upper() for label in call.labels), call.labels


async def test_drug_unknown_name_says_not_found(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, slash("drug", name="qqqqzzzzxx"))
    call = sent.only()
    assert call.embeds[0]["title"] == "Medicine not found"
    assert "*qqqqzzzzxx*" in call.embeds[0]["description"]


async def test_drug_near_miss_offers_did_you_mean_buttons(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    query = near_miss(knowledge)
    resolution = knowledge.names.resolve(query)
    await dispatch(bot, slash("drug", name=query))
    call = sent.only()
    assert "Did you mean" in call.embeds[0]["description"]
    assert call.custom_ids == [drug_custom_id(c.drug) for c in resolution.candidates]


async def test_drug_dictionary_only_name_says_no_reviewed_summary(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    name = dictionary_only_name(knowledge)
    await dispatch(bot, slash("drug", name=name))
    call = sent.only()
    assert "no reviewed summary" in call.embeds[0]["description"]
    assert not any(c.startswith("drugbot:section:") for c in call.custom_ids)  # no sections to switch
    assert DISCLAIMER in call.embeds[0]["footer"]["text"]


async def test_drug_section_option_and_private(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, slash("drug", name="azathioprine", section="side-effects", private=True))
    call = sent.only()
    assert call.ephemeral
    assert [f["name"] for f in call.embeds[0]["fields"]][:1] == ["Common side effects"]


async def test_drug_value_from_autocomplete_is_a_drug_id(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    choice = knowledge.names.autocomplete("imu")[0]
    await dispatch(bot, slash("drug", name=choice.value))
    assert shown(knowledge, choice.value) in sent.only().embeds[0]["title"]


async def test_drug_name_is_escaped_and_never_pings(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, slash("drug", name="@everyone **boom** <@123>"))
    call = sent.only()
    assert "@everyone" not in call.text.replace("@\u200beveryone", "")
    assert "**boom**" not in call.text
    assert call.message["allowed_mentions"] == {"parse": []}


# Autocomplete -----------------------------------------------------------------------------------


async def test_autocomplete_empty_offers_the_popular_drugs(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    await dispatch(bot, autocomplete("drug", "name", ""))
    call = sent.only()
    assert call.callback_type == 8
    values = [c["value"] for c in call.message["choices"]]
    assert values == [d for d in DEFAULT_POPULAR if d in knowledge.store][:25]


async def test_autocomplete_empty_offers_what_this_server_asks_most_first(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    for _ in range(2):
        await dispatch(bot, slash("drug", name="tacrolimus"))
    await dispatch(bot, slash("drug", name="Imuran"))
    sent.clear()
    await dispatch(bot, autocomplete("drug", "name", ""))
    values = [c["value"] for c in sent.only().message["choices"]]
    assert values[:2] == ["tacrolimus", "azathioprine"]
    assert len(values) == len(set(values)) <= 25


async def test_autocomplete_partial_name(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, autocomplete("drug", "name", "imur"))
    choices = sent.only().message["choices"]
    assert choices[0]["value"] == "azathioprine"
    assert "Imuran" in choices[0]["name"]


async def test_autocomplete_garbage_gives_an_empty_list(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, autocomplete("drug", "name", "@@@ zqxjv !!"))
    assert sent.only().message["choices"] == []


async def test_autocomplete_does_not_count_against_the_rate(bot: DrugBot, sent: Recorder) -> None:
    for _ in range(RATE + 3):
        await dispatch(bot, autocomplete("drug", "name", "pred"))
    assert len(sent.calls) == RATE + 3 and all(c.callback_type == 8 for c in sent.calls)


# Buttons ----------------------------------------------------------------------------------------


async def test_section_button_edits_the_askers_message(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, press(section_custom_id("interactions", "azathioprine")))
    call = sent.only()
    assert call.callback_type == 7  # UPDATE_MESSAGE
    assert "with an interaction on record" in call.embeds[0]["description"]
    assert section_custom_id("interactions", "azathioprine") in call.custom_ids


async def test_a_long_card_section_is_paged_with_buttons_and_nothing_dropped(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    await dispatch(bot, slash("drug", name="imuran", section="interactions"))
    first = sent.only()
    title = first.embeds[0]["title"]
    assert "page 1 of " in title
    pages = int(title.rsplit(" of ", 1)[1])
    assert page_custom_id("interactions", 1, "azathioprine") in first.custom_ids
    shown = first.text
    for page in range(1, pages):
        sent.calls.clear()
        await dispatch(bot, press(page_custom_id("interactions", page, "azathioprine")))
        call = sent.only()
        assert call.callback_type == 7 and f"page {page + 1} of {pages}" in call.embeds[0]["title"]
        assert DISCLAIMER in call.embeds[0]["footer"]["text"]
        shown += call.text
    for partner in ("warfarin", "trimethoprim-sulfamethoxazole", "ribavirin", "lisinopril", "mesalamine"):
        assert knowledge.store.name(partner) in shown, partner


async def test_section_button_pressed_by_someone_else_answers_privately(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, press(section_custom_id("cautions", "azathioprine"), user_id=OTHER_USER_ID))
    call = sent.only()
    assert call.callback_type == 4 and call.ephemeral


async def test_option_button_shows_the_chosen_card(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    candidates = knowledge.names.resolve(lookalike_query(knowledge)).candidates
    chosen = candidates[-1].drug
    await dispatch(bot, press(drug_custom_id(chosen)))
    call = sent.only()
    assert call.callback_type == 7
    assert shown(knowledge, chosen) in call.embeds[0]["title"]


async def test_button_for_a_drug_no_longer_in_the_data_fails_politely(bot: DrugBot, sent: Recorder) -> None:
    await dispatch(bot, press(DRUG_PREFIX + "not-a-drug-any-more"))
    call = sent.only()
    assert call.ephemeral and "no longer in the data" in call.text


async def test_long_drug_id_buttons_use_a_digest_and_still_work(
    bot: DrugBot, sent: Recorder, knowledge: Knowledge
) -> None:
    long_id = next((d for d in knowledge.store.names_of if len(d) > 90), None)
    if long_id is None:
        pytest.skip("no drug id long enough")
    custom_id = drug_custom_id(long_id)
    assert len(custom_id) <= 100 and long_id not in custom_id
    await dispatch(bot, press(custom_id))
    call = sent.only()
    assert call.callback_type == 7 and call.embeds


async def test_the_drugs_cog_owns_its_buttons_and_they_work_again_after_a_reload(
    bot: DrugBot, sent: Recorder
) -> None:
    await bot.unload_extension("bot.exts.drugs")  # its buttons go with it: nothing answers them
    await dispatch(bot, press(drug_custom_id("azathioprine")))
    assert not sent.calls
    await bot.load_extension("bot.exts.drugs")  # as after a restart: the same custom id answers again
    await dispatch(bot, press(drug_custom_id("azathioprine")))
    assert sent.only().callback_type == 7
