"""What a community note may say: short, no pings, links only to Discord."""

from __future__ import annotations

import pytest

from bot.community.notes import MAX_NOTE, NoteError, clean_note


def test_mentions_are_made_inert_and_space_is_tidied() -> None:
    cleaned = clean_note("  ask @everyone in <#123> or <@456> / <@&789>  first ")
    assert "@everyone" not in cleaned and "<@456>" not in cleaned and "<@&789>" not in cleaned
    assert cleaned.startswith("ask @\u200beveryone in <#123>") and "  " not in cleaned


@pytest.mark.parametrize(
    "link",
    [
        "https://discord.com/channels/1/2",
        "https://discord.com/channels/1/2/3",
        "https://ptb.discord.com/channels/1/2",
    ],
)
def test_links_to_discord_channels_and_messages_are_allowed(link: str) -> None:
    assert link in clean_note(f"see {link}.")


@pytest.mark.parametrize(
    "text", ["see https://example.org/cure", "www.miracle.example", "x" * (MAX_NOTE + 1), "   "]
)
def test_other_links_overlong_and_empty_notes_are_refused(text: str) -> None:
    with pytest.raises(NoteError):
        clean_note(text)
