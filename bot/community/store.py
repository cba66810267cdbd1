"""The community store: per-server state (settings, pinned answers, notes, the audit log) behind one
protocol, so that the SQLite backend used by one process and a PostgreSQL backend for many processes pass
the same contract tests (tests/community/test_contract.py).

Every write that a moderator's action causes takes that action's `AuditRecord` too, and keeps both or
neither: the audit log never misses a change, nor records one that did not happen."""

from __future__ import annotations

from typing import Protocol

from bot.community.models import AuditRecord, CommunityNote, GuildSettings, PinnedAnswer, PinState


class CommunityStoreError(Exception):
    """The community store cannot be opened or written; the message says what to do."""


class CommunityStore(Protocol):
    async def guild_settings(self, guild_id: int) -> GuildSettings:
        """The server's settings, or the defaults when it never changed any."""
        ...

    async def save_guild_settings(
        self, settings: GuildSettings, audit: AuditRecord | None = None
    ) -> GuildSettings:
        """Store a server's settings (replacing what it had) and return them as stored."""
        ...

    async def note(self, guild_id: int, drug_id: str) -> CommunityNote | None:
        """The server's note on a medicine, if it has one."""
        ...

    async def set_note(self, note: CommunityNote, audit: AuditRecord | None = None) -> CommunityNote:
        """Store a note (replacing the medicine's previous one in that server)."""
        ...

    async def clear_note(
        self, guild_id: int, drug_id: str, audit: AuditRecord | None = None
    ) -> CommunityNote | None:
        """Remove the server's note on a medicine; the note removed, or None when there was none (and
        then nothing is recorded). The audit record's `before` is the text removed."""
        ...

    async def add_pin(self, pin: PinnedAnswer, audit: AuditRecord | None = None) -> PinnedAnswer:
        """Record a pinned answer (a message pinned again replaces its old record) and return it as stored."""
        ...

    async def pin(self, guild_id: int, message_id: int) -> PinnedAnswer | None:
        """The record of a pinned message in that server, live or not."""
        ...

    async def pins(self, guild_id: int, drug_id: str | None = None) -> list[PinnedAnswer]:
        """The server's live pinned answers (about `drug_id`, when given), newest first."""
        ...

    async def mark_pin(
        self, guild_id: int, message_id: int, state: PinState, audit: AuditRecord | None = None
    ) -> PinnedAnswer | None:
        """Mark a live pin removed, unpinned or deleted; the record as it was, or None when no live pin
        had that message (so a change is reported once)."""
        ...

    async def record_action(self, record: AuditRecord) -> None:
        """Add a moderator action to the server's audit log."""
        ...

    async def audit_log(self, guild_id: int, limit: int = 25) -> list[AuditRecord]:
        """The server's most recent moderator actions, newest first."""
        ...

    async def export(self, guild_id: int) -> dict[str, object]:
        """Everything kept about a server, as plain data (its owner may ask for it)."""
        ...

    async def forget(self, guild_id: int) -> int:
        """Remove everything kept about a server; the number of records removed."""
        ...

    async def close(self) -> None: ...
