"""The commands as Discord will receive them at sync: names, descriptions, options, autocomplete."""

from __future__ import annotations

import re
from typing import Any

from discord import app_commands

from bot.bot import DrugBot, intents

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")  # lower case: Discord rejects upper-case names


def check_option(option: dict[str, Any]) -> None:
    assert NAME.match(option["name"]), option["name"]
    assert 1 <= len(option["description"]) <= 100, option["description"]
    assert len(option.get("choices") or []) <= 25
    for choice in option.get("choices") or []:
        assert 1 <= len(choice["name"]) <= 100 and 1 <= len(str(choice["value"])) <= 100
    assert not (option.get("autocomplete") and option.get("choices")), "autocomplete and choices together"


async def test_every_command_fits_discords_rules(bot: DrugBot) -> None:
    commands = bot.tree.get_commands()
    assert commands  # which commands there are is checked against the feature packages in test_faces.py
    for command in commands:
        payload = command.to_dict(bot.tree)
        assert NAME.match(payload["name"]), payload["name"]
        assert 1 <= len(payload["description"]) <= 100
        options = payload.get("options") or []
        assert len(options) <= 25
        required_seen_optional = False
        for option in options:
            check_option(option)
            if not option.get("required"):
                required_seen_optional = True
            else:
                assert not required_seen_optional, "a required option after an optional one"


async def test_drug_name_is_autocompleted_and_bounded(bot: DrugBot) -> None:
    drug = bot.tree.get_command("drug")
    assert isinstance(drug, app_commands.Command)
    options = {o["name"]: o for o in drug.to_dict(bot.tree)["options"]}
    assert options["name"]["autocomplete"] is True and options["name"]["required"] is True
    assert options["name"]["max_length"] == 100
    assert [c["value"] for c in options["section"]["choices"]] == [
        "overview",
        "side-effects",
        "interactions",
        "cautions",
        "sources",
    ]
    assert options["private"]["type"] == 5


async def test_interactions_takes_one_bounded_string(bot: DrugBot) -> None:
    command = bot.tree.get_command("interactions")
    assert isinstance(command, app_commands.Command)
    drugs = command.to_dict(bot.tree)["options"][0]
    assert drugs["name"] == "drugs" and drugs["type"] == 3 and drugs["required"]
    assert drugs["max_length"] <= 6000


def test_no_privileged_intent_is_needed() -> None:
    wanted = intents()
    assert not wanted.message_content and not wanted.members and not wanted.presences
    assert wanted.guilds


def test_mentions_are_off_for_the_whole_bot(bot: DrugBot) -> None:
    mentions = bot.allowed_mentions
    assert mentions is not None and dict(mentions.to_dict()) == {"parse": []}
