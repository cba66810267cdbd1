"""Per-server state as plain data. No Discord import: ids are integers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ChatMode = Literal["off", "react", "reply"]
ChatThreshold = Literal["contraindicated", "major", "moderate"]
CHAT_MODES: tuple[ChatMode, ...] = ("off", "react", "reply")
CHAT_THRESHOLDS: tuple[ChatThreshold, ...] = ("contraindicated", "major", "moderate")
ChannelMode = Literal["all", "allow", "deny"]
CHANNEL_MODES: tuple[ChannelMode, ...] = ("all", "allow", "deny")


@dataclass(frozen=True)
class GuildSettings:
    """What a server's moderators chose. A server that never changed anything has these defaults."""

    guild_id: int
    chat_mode: ChatMode = "off"
    chat_threshold: ChatThreshold = "major"
    log_channel_id: int | None = None
    channel_mode: ChannelMode = "all"  # chat checks in all channels, only `channels`, or all but them
    channels: frozenset[int] = frozenset()

    def checks_channel(self, *channel_ids: int) -> bool:
        """Whether chat checks run in a channel (a thread counts as its parent too)."""
        listed = any(c in self.channels for c in channel_ids)
        return {"all": True, "allow": listed, "deny": not listed}[self.channel_mode]


@dataclass(frozen=True)
class CommunityNote:
    """A moderator's note on a medicine, shown on its card in that server only."""

    guild_id: int
    drug_id: str
    text: str
    author_id: int
    updated_at: str = ""


@dataclass(frozen=True)
class AuditRecord:
    """One moderator action: who did what in which server, with the state before and after."""

    guild_id: int
    actor_id: int
    action: str
    before: str
    after: str
    at: str = ""


PinState = Literal["pinned", "removed", "unpinned", "deleted"]
PIN_STATES: tuple[PinState, ...] = ("pinned", "removed", "unpinned", "deleted")


@dataclass(frozen=True)
class PinnedAnswer:
    """One of the bot's answers a moderator pinned. `state` is "pinned" while it is live; "removed" when a
    moderator unpinned it with /pins remove; "unpinned" or "deleted" when that happened elsewhere and the
    bot noticed. Only live records are ever shown as pinned."""

    guild_id: int
    channel_id: int
    message_id: int
    drugs: tuple[str, ...]  # the medicines the answer is about, in the order it names them
    title: str
    pinned_by: int
    pinned_at: str = ""
    state: PinState = "pinned"
    changed_at: str = ""

    @property
    def live(self) -> bool:
        return self.state == "pinned"
