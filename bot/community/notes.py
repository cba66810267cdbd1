"""Community notes: what a moderator may write, checked before it is stored. No Discord import.

A note is the server's own words, not medical content from the bot: at most 500 characters, no pings
(@everyone, @here and user or role mentions are made inert), and links only to Discord channels and
messages, so that a note cannot send members to an outside page in the bot's name.
"""

from __future__ import annotations

import re

MAX_NOTE = 500
_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_DISCORD_LINK = re.compile(r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/channels/\d+/\d+(?:/\d+)?/?$")
_EVERYONE = re.compile(r"@(everyone|here)")
_MENTION = re.compile(r"<@[!&]?\d+>")


class NoteError(ValueError):
    """The note cannot be saved; the message says why, for the moderator."""


def clean_note(text: str) -> str:
    """The note as it will be stored and shown, or NoteError."""
    text = " ".join(text.split())
    if not text:
        raise NoteError("The note is empty.")
    if len(text) > MAX_NOTE:
        raise NoteError(f"A note is at most {MAX_NOTE} characters; this one has {len(text)}.")
    for link in _LINK.findall(text):
        if not _DISCORD_LINK.match(link.rstrip(".,;:!?)")):
            raise NoteError(
                "Links in notes may only point to Discord channels or messages (or use #channel)."
            )
    text = _EVERYONE.sub("@\u200b\\1", text)
    return _MENTION.sub("@member", text)
