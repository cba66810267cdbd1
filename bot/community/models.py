"""Per-server state as plain data. No Discord import: ids are integers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ChatMode = Literal["off", "react", "reply"]
ChatThreshold = Literal["contraindicated", "major", "moderate"]
CHAT_MODES: tuple[ChatMode, ...] = ("off", "react", "reply")
CHAT_THRESHOLDS: tuple[ChatThreshold, ...] = ("contraindicated", "major", "moderate")


@dataclass(frozen=True)
class GuildSettings:
    """What a server's moderators chose. A server that never changed anything has these defaults."""

    guild_id: int
    chat_mode: ChatMode = "off"
    chat_threshold: ChatThreshold = "major"
    log_channel_id: int | None = None
