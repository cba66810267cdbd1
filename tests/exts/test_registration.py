"""The commands as Discord will receive them at sync: names, descriptions, options, autocomplete."""

from __future__ import annotations

import re
from typing import Any

import discord
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
        if isinstance(command, app_commands.ContextMenu):
            assert (1 <= len(payload["name"]) <= 32 and "description" not in payload) or not payload[
                "description"
            ]
            continue
        assert NAME.match(payload["name"]), payload["name"]
        assert 1 <= len(payload["description"]) <= 100
        for sub in payload.get("options") or []:  # a group's subcommands
            if sub["type"] == 1:
                assert NAME.match(sub["name"]) and 1 <= len(sub["description"]) <= 100, sub["name"]
                for option in sub.get("options") or []:
                    check_option(option)
        options = [o for o in payload.get("options") or [] if o["type"] not in (1, 2)]
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


async def test_members_can_use_the_medical_commands_anywhere_and_settings_stay_in_servers(
    bot: DrugBot,
) -> None:
    for name in ("drug", "interactions"):
        payload = bot.tree.get_command(name).to_dict(bot.tree)  # type: ignore[union-attr]
        assert set(payload["contexts"]) == {0, 1, 2} and set(payload["integration_types"]) == {0, 1}, name
    menus = {c.name: c for c in bot.tree.get_commands() if isinstance(c, app_commands.ContextMenu)}
    check = menus["Check drugs in message"].to_dict(bot.tree)
    assert check["type"] == 3 and set(check["contexts"]) == {0, 1, 2}
    pin = menus["Pin answer"].to_dict(bot.tree)  # servers only, shown to those who may pin
    assert pin["type"] == 3 and pin["contexts"] == [0] and pin["integration_types"] == [0]
    assert int(pin["default_member_permissions"]) == discord.Permissions(pin_messages=True).value
    settings = bot.tree.get_command("settings")
    assert isinstance(settings, app_commands.Group) and settings.guild_only
    assert settings.default_permissions is not None and settings.default_permissions.manage_messages
    options = {o["name"]: o for o in settings.get_command("chat-checks").to_dict(bot.tree)["options"]}  # type: ignore[union-attr]
    assert [c["value"] for c in options["mode"]["choices"]] == ["off", "react", "reply"]
    assert [c["value"] for c in options["threshold"]["choices"]] == ["contraindicated", "major", "moderate"]
