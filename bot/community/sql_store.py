"""The community store, written once over the `Database` of database.py: SQLite for one process
(sqlite.py), PostgreSQL for many (postgres.py). Both pass the same contract tests.

Numbered SQL migrations (`migrations/0001_*.sql`, ...) are applied at open in one transaction: a
migration that fails leaves the schema as it was, and the store refuses to open with a line saying which
migration failed. Guild settings are cached and the cache is updated on every write: each server's
state is written by the one process that holds its shard (and by the command line, between runs).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from bot.community.database import Database, Row, Session
from bot.community.migrations import MIGRATIONS_DIR, Migration, migrations
from bot.community.models import AuditRecord, CommunityNote, GuildSettings, PinnedAnswer, PinState
from bot.community.store import CommunityStoreError

# Everything kept about a server, children first.
FORGET = (
    "DELETE FROM pin_drugs WHERE message_id IN (SELECT message_id FROM pins WHERE guild_id = ?)",
    "DELETE FROM chat_channels WHERE guild_id = ?",
    "DELETE FROM pins WHERE guild_id = ?",
    "DELETE FROM notes WHERE guild_id = ?",
    "DELETE FROM audit_log WHERE guild_id = ?",
    "DELETE FROM guild_settings WHERE guild_id = ?",
)
SCHEMA_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)
SCHEMA_VERSION = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
# Every server the store keeps something about.
GUILDS = (
    "SELECT guild_id FROM guild_settings UNION SELECT guild_id FROM notes UNION SELECT guild_id FROM pins"
    " UNION SELECT guild_id FROM audit_log ORDER BY guild_id"
)


class SqlCommunityStore:
    def __init__(self, database: Database) -> None:
        self._db = database
        self.where = database.where
        self._settings: dict[int, GuildSettings] = {}
        self._closed = False

    async def migrate(self, pending: Sequence[Migration] | None = None) -> None:
        """Apply every migration newer than the store's schema, all in one transaction (and, in
        PostgreSQL, one process at a time)."""
        pending = migrations(MIGRATIONS_DIR) if pending is None else pending
        migration = pending[0] if pending else None
        try:
            async with self._db.schema_transaction() as session:
                await session.execute(SCHEMA_TABLE)
                current = int((await session.fetch(SCHEMA_VERSION))[0][0])
                if current > len(pending):
                    raise CommunityStoreError(
                        f"the community store at {self.where} has schema {current}, newer than this code"
                        f" knows ({len(pending)}): update the bot, or point COMMUNITY_STORE_PATH (or"
                        " COMMUNITY_STORE_URL) at another store"
                    )
                for migration in pending[current:]:
                    for statement in map(self._db.migration_statement, migration.statements()):
                        await session.execute(statement)  # SQL from a migration file
                    await session.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        (migration.version, migration.name, _now()),
                    )
        except self._db.errors as error:
            name = migration.name if migration else "the schema table"
            raise CommunityStoreError(
                f"migration {name} failed ({error}); the community store at {self.where} is unchanged"
            ) from error

    async def schema_version(self) -> int:
        return int((await self._read(SCHEMA_VERSION))[0][0])

    async def _read(self, sql: str, parameters: Sequence[object] = ()) -> list[Row]:
        try:
            return await self._db.fetch(sql, parameters)  # the store's own statement
        except self._db.errors as error:
            raise CommunityStoreError(f"could not read the community store: {error}") from error

    @contextlib.asynccontextmanager
    async def _transaction(self, failure: str, audit: AuditRecord | None = None) -> AsyncIterator[Session]:
        """One write transaction, with the moderator action that caused it recorded in it: both are
        kept, or neither. A failure rolls back and becomes a CommunityStoreError starting with `failure`."""
        try:
            async with self._db.transaction() as session:
                yield session
                if audit is not None:
                    await _insert_audit(session, audit)
        except self._db.errors as error:
            raise CommunityStoreError(f"{failure}: {error}") from error

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        cached = self._settings.get(guild_id)
        if cached is not None:
            return cached
        rows = await self._read(
            "SELECT chat_mode, chat_threshold, log_channel_id, channel_mode FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        channels = frozenset(
            int(c)
            for (c,) in await self._read(
                "SELECT channel_id FROM chat_channels WHERE guild_id = ?", (guild_id,)
            )
        )
        if not rows:
            settings = GuildSettings(guild_id)
        else:
            mode, threshold, log_channel, channel_mode = rows[0]
            settings = GuildSettings(guild_id, mode, threshold, log_channel, channel_mode, channels)
        self._settings[guild_id] = settings
        return settings

    async def save_guild_settings(
        self, settings: GuildSettings, audit: AuditRecord | None = None
    ) -> GuildSettings:
        try:
            async with self._transaction(
                f"could not save the settings of server {settings.guild_id}", audit
            ) as session:
                await session.execute(
                    "INSERT INTO guild_settings (guild_id, chat_mode, chat_threshold, log_channel_id, channel_mode,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
                    " chat_mode = excluded.chat_mode, chat_threshold = excluded.chat_threshold,"
                    " log_channel_id = excluded.log_channel_id, channel_mode = excluded.channel_mode,"
                    " updated_at = excluded.updated_at",
                    (
                        settings.guild_id,
                        settings.chat_mode,
                        settings.chat_threshold,
                        settings.log_channel_id,
                        settings.channel_mode,
                        _now(),
                    ),
                )
                await session.execute("DELETE FROM chat_channels WHERE guild_id = ?", (settings.guild_id,))
                await session.executemany(
                    "INSERT INTO chat_channels (guild_id, channel_id) VALUES (?, ?)",
                    [(settings.guild_id, c) for c in sorted(settings.channels)],
                )
        except CommunityStoreError:
            self._settings.pop(settings.guild_id, None)
            raise
        self._settings[settings.guild_id] = settings
        return settings

    async def note(self, guild_id: int, drug_id: str) -> CommunityNote | None:
        rows = await self._read(
            "SELECT guild_id, drug_id, text, author_id, updated_at FROM notes WHERE guild_id = ? AND drug_id = ?",
            (guild_id, drug_id),
        )
        return CommunityNote(*rows[0]) if rows else None

    async def set_note(self, note: CommunityNote, audit: AuditRecord | None = None) -> CommunityNote:
        stored = CommunityNote(
            note.guild_id, note.drug_id, note.text, note.author_id, note.updated_at or _now()
        )
        async with self._transaction("could not save the note", audit) as session:
            await session.execute(
                "INSERT INTO notes (guild_id, drug_id, text, author_id, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id, drug_id) DO UPDATE SET text = excluded.text,"
                " author_id = excluded.author_id, updated_at = excluded.updated_at",
                (stored.guild_id, stored.drug_id, stored.text, stored.author_id, stored.updated_at),
            )
        return stored

    async def clear_note(
        self, guild_id: int, drug_id: str, audit: AuditRecord | None = None
    ) -> CommunityNote | None:
        before = await self.note(guild_id, drug_id)
        if before is None:
            return None
        # The record says what was removed.
        async with self._transaction(
            "could not remove the note", audit and replace(audit, before=before.text)
        ) as session:
            await session.execute("DELETE FROM notes WHERE guild_id = ? AND drug_id = ?", (guild_id, drug_id))
        return before

    async def add_pin(self, pin: PinnedAnswer, audit: AuditRecord | None = None) -> PinnedAnswer:
        now = _now()
        stored = replace(pin, pinned_at=pin.pinned_at or now, state="pinned", changed_at=now)
        async with self._transaction("could not record the pinned answer", audit) as session:
            await _insert_pin(session, stored)
        return stored

    async def pin(self, guild_id: int, message_id: int) -> PinnedAnswer | None:
        found = await self._pins(guild_id, message_id=message_id, live_only=False)
        return found[0] if found else None

    async def pins(self, guild_id: int, drug_id: str | None = None) -> list[PinnedAnswer]:
        return await self._pins(guild_id, drug_id=drug_id)

    async def _pins(
        self,
        guild_id: int,
        *,
        message_id: int | None = None,
        drug_id: str | None = None,
        live_only: bool = True,
    ) -> list[PinnedAnswer]:
        """A server's pins, newest first: one message's, one medicine's, live only or all."""
        # The casts tell PostgreSQL what type a parameter compared with NULL has.
        rows = await self._read(
            "SELECT guild_id, channel_id, message_id, title, pinned_by, pinned_at, state, changed_at"
            " FROM pins WHERE guild_id = ? AND (CAST(? AS BIGINT) IS NULL OR message_id = ?)"
            " AND (? = 0 OR state = 'pinned')"
            " AND (CAST(? AS TEXT) IS NULL OR message_id IN (SELECT message_id FROM pin_drugs WHERE drug_id = ?))"
            " ORDER BY pinned_at DESC, message_id DESC",
            (guild_id, message_id, message_id, int(live_only), drug_id, drug_id),
        )
        found = []
        for g, c, m, title, by, at, state, changed in rows:
            drugs = await self._read(
                "SELECT drug_id FROM pin_drugs WHERE message_id = ? ORDER BY position", (m,)
            )
            found.append(PinnedAnswer(g, c, m, tuple(d for (d,) in drugs), title, by, at, state, changed))
        return found

    async def mark_pin(
        self, guild_id: int, message_id: int, state: PinState, audit: AuditRecord | None = None
    ) -> PinnedAnswer | None:
        before = await self.pin(guild_id, message_id)
        if before is None or not before.live:
            return None
        async with self._transaction("could not update the pinned answer") as session:
            changed = await session.execute(
                "UPDATE pins SET state = ?, changed_at = ? WHERE guild_id = ? AND message_id = ? AND state = 'pinned'",
                (state, _now(), guild_id, message_id),
            )
            if changed and audit is not None:  # another writer may have marked it first: record it once
                await _insert_audit(session, audit)
        return before if changed else None

    async def record_action(self, record: AuditRecord) -> None:
        async with self._transaction("could not record a moderator action") as session:
            await _insert_audit(session, record)

    async def audit_log(self, guild_id: int, limit: int = 25) -> list[AuditRecord]:
        rows = await self._read(
            "SELECT guild_id, actor_id, action, before, after, at FROM audit_log WHERE guild_id = ?"
            " ORDER BY id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [AuditRecord(*row) for row in rows]

    async def guilds(self) -> list[int]:
        """Every server the store keeps something about."""
        return [int(g) for (g,) in await self._read(GUILDS)]

    async def export(self, guild_id: int) -> dict[str, object]:
        settings = await self.guild_settings(guild_id)
        notes = [
            {"drug": d, "text": t, "author_id": a, "updated_at": u}
            for d, t, a, u in await self._read(
                "SELECT drug_id, text, author_id, updated_at FROM notes WHERE guild_id = ? ORDER BY drug_id",
                (guild_id,),
            )
        ]
        pinned = [
            await self.pin(guild_id, int(m))
            for (m,) in await self._read(
                "SELECT message_id FROM pins WHERE guild_id = ? ORDER BY pinned_at, message_id", (guild_id,)
            )
        ]
        audit = await self.audit_log(guild_id, limit=1_000_000)
        return {
            "guild_id": guild_id,
            "settings": {
                "chat_mode": settings.chat_mode,
                "chat_threshold": settings.chat_threshold,
                "channel_mode": settings.channel_mode,
                "channels": sorted(settings.channels),
                "log_channel_id": settings.log_channel_id,
            },
            "notes": notes,
            "pins": [
                {
                    "channel_id": p.channel_id,
                    "message_id": p.message_id,
                    "drugs": list(p.drugs),
                    "title": p.title,
                    "pinned_by": p.pinned_by,
                    "pinned_at": p.pinned_at,
                    "state": p.state,
                    "changed_at": p.changed_at,
                }
                for p in pinned
                if p is not None
            ],
            "audit_log": [
                {"actor_id": r.actor_id, "action": r.action, "before": r.before, "after": r.after, "at": r.at}
                for r in audit
            ],
        }

    async def copy_from(self, source: SqlCommunityStore, guild_id: int) -> int:
        """Replace everything this store keeps about a server with what `source` keeps, in one
        transaction (a failure leaves this store as it was); the number of records copied."""
        settings = await source.guild_settings(guild_id)
        notes = await source._read(
            "SELECT guild_id, drug_id, text, author_id, updated_at FROM notes WHERE guild_id = ?", (guild_id,)
        )
        pins = await source._pins(guild_id, live_only=False)
        # Oldest first, so that the copies are numbered in the same order.
        audit = list(reversed(await source.audit_log(guild_id, limit=1_000_000)))
        copied = 0
        async with self._transaction(f"could not copy server {guild_id}") as session:
            for statement in FORGET:
                await session.execute(statement, (guild_id,))
            if await source._read("SELECT guild_id FROM guild_settings WHERE guild_id = ?", (guild_id,)):
                await session.execute(
                    "INSERT INTO guild_settings (guild_id, chat_mode, chat_threshold, log_channel_id,"
                    " channel_mode, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        guild_id,
                        settings.chat_mode,
                        settings.chat_threshold,
                        settings.log_channel_id,
                        settings.channel_mode,
                        _now(),
                    ),
                )
                await session.executemany(
                    "INSERT INTO chat_channels (guild_id, channel_id) VALUES (?, ?)",
                    [(guild_id, c) for c in sorted(settings.channels)],
                )
                copied += 1 + len(settings.channels)
            await session.executemany(
                "INSERT INTO notes (guild_id, drug_id, text, author_id, updated_at) VALUES (?, ?, ?, ?, ?)",
                notes,
            )
            for pin in pins:
                await _insert_pin(session, pin)
            for record in audit:
                await _insert_audit(session, record)
            copied += len(notes) + len(pins) + len(audit)
        self._settings.pop(guild_id, None)
        return copied

    async def forget(self, guild_id: int) -> int:
        removed = 0
        async with self._transaction(f"could not forget server {guild_id}") as session:
            for statement in FORGET:
                removed += await session.execute(statement, (guild_id,))
        self._settings.pop(guild_id, None)
        return removed

    async def close(self) -> None:
        """Close the database (a second call does nothing: shutdown may come from two places)."""
        if not self._closed:
            self._closed = True
            await self._db.close()


async def _insert_pin(session: Session, pin: PinnedAnswer) -> None:
    """Record a pinned message (replacing an older record of the same message) with its medicines."""
    await session.execute("DELETE FROM pins WHERE message_id = ?", (pin.message_id,))
    await session.execute(
        "INSERT INTO pins (message_id, guild_id, channel_id, title, pinned_by, pinned_at, state,"
        " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            pin.message_id,
            pin.guild_id,
            pin.channel_id,
            pin.title,
            pin.pinned_by,
            pin.pinned_at,
            pin.state,
            pin.changed_at,
        ),
    )
    await session.executemany(
        "INSERT INTO pin_drugs (message_id, position, drug_id) VALUES (?, ?, ?)",
        [(pin.message_id, i, d) for i, d in enumerate(pin.drugs)],
    )


async def _insert_audit(session: Session, record: AuditRecord) -> None:
    await session.execute(
        "INSERT INTO audit_log (guild_id, actor_id, action, before, after, at) VALUES (?, ?, ?, ?, ?, ?)",
        (record.guild_id, record.actor_id, record.action, record.before, record.after, record.at or _now()),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
