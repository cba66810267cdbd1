"""The community store in one SQLite file (aiosqlite): the default, for one bot process.

One connection per process, in WAL mode with foreign keys on and a busy timeout; writes are serialised
by a lock. Numbered SQL migrations (`migrations/0001_*.sql`, ...) are applied at open in one
transaction: a migration that fails leaves the schema as it was, and the store refuses to open with a
line saying which migration failed. Guild settings are cached and the cache is updated on every write.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.community.models import AuditRecord, CommunityNote, GuildSettings, PinnedAnswer, PinState
from bot.community.store import CommunityStoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Everything kept about a server, children first.
FORGET = (
    "DELETE FROM pin_drugs WHERE message_id IN (SELECT message_id FROM pins WHERE guild_id = ?)",
    "DELETE FROM chat_channels WHERE guild_id = ?",
    "DELETE FROM pins WHERE guild_id = ?",
    "DELETE FROM notes WHERE guild_id = ?",
    "DELETE FROM audit_log WHERE guild_id = ?",
    "DELETE FROM guild_settings WHERE guild_id = ?",
)
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The file's statements one by one (executescript would commit half-way through)."""
        statements, current = [], ""
        for line in self.sql.splitlines(keepends=True):
            current += line
            if sqlite3.complete_statement(current):
                statements.append(current.strip())
                current = ""
        if current.strip() and not current.strip().startswith("--"):
            raise CommunityStoreError(f"migration {self.name} ends with an incomplete statement")
        return statements


def migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The numbered migrations in `folder`, in order; a gap or a bad file name is an error."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise CommunityStoreError(f"migration file {path.name} is not named NNNN_words.sql")
        found.append(Migration(int(match[1]), path.name, path.read_text(encoding="utf-8")))
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise CommunityStoreError(f"migration {migration.name} should be number {expected:04d}")
    return found


class SqliteCommunityStore:
    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._write = asyncio.Lock()
        self._settings: dict[int, GuildSettings] = {}
        self._closed = False

    @classmethod
    async def open(cls, path: Path, folder: Path = MIGRATIONS_DIR) -> SqliteCommunityStore:
        """Open (creating it if needed) the store at `path` and bring its schema up to date."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise CommunityStoreError(f"cannot open the community store at {path}: {error}") from error
        try:
            await connection.execute("PRAGMA busy_timeout = 5000")  # ms: wait for another writer
            await connection.execute("PRAGMA journal_mode = WAL")
            await connection.execute("PRAGMA foreign_keys = ON")
            await _migrate(connection, migrations(folder), path)
        except BaseException:
            await connection.close()
            raise
        return cls(connection, path)

    async def schema_version(self) -> int:
        async with self._db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        cached = self._settings.get(guild_id)
        if cached is not None:
            return cached
        async with self._db.execute(
            "SELECT chat_mode, chat_threshold, log_channel_id, channel_mode FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        ) as cursor:
            row = await cursor.fetchone()
        async with self._db.execute(
            "SELECT channel_id FROM chat_channels WHERE guild_id = ?", (guild_id,)
        ) as cursor:
            channels = frozenset(int(c) for (c,) in await cursor.fetchall())
        settings = (
            GuildSettings(guild_id, row[0], row[1], row[2], row[3], channels)
            if row
            else GuildSettings(guild_id)
        )
        self._settings[guild_id] = settings
        return settings

    @contextlib.asynccontextmanager
    async def _transaction(self, failure: str, audit: AuditRecord | None = None) -> AsyncIterator[None]:
        """One write transaction, with the moderator action that caused it recorded in it: both are
        kept, or neither. A failure rolls back and becomes a CommunityStoreError starting with `failure`."""
        async with self._write:
            try:
                await self._db.execute("BEGIN IMMEDIATE")
                yield
                if audit is not None:
                    await self._insert_audit(audit)
                await self._db.execute("COMMIT")
            except sqlite3.Error as error:
                if self._db.in_transaction:
                    await self._db.execute("ROLLBACK")
                raise CommunityStoreError(f"{failure}: {error}") from error

    async def save_guild_settings(
        self, settings: GuildSettings, audit: AuditRecord | None = None
    ) -> GuildSettings:
        try:
            async with self._transaction(f"could not save the settings of server {settings.guild_id}", audit):
                await self._db.execute(
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
                await self._db.execute("DELETE FROM chat_channels WHERE guild_id = ?", (settings.guild_id,))
                await self._db.executemany(
                    "INSERT INTO chat_channels (guild_id, channel_id) VALUES (?, ?)",
                    [(settings.guild_id, c) for c in sorted(settings.channels)],
                )
        except CommunityStoreError:
            self._settings.pop(settings.guild_id, None)
            raise
        self._settings[settings.guild_id] = settings
        return settings

    async def note(self, guild_id: int, drug_id: str) -> CommunityNote | None:
        async with self._db.execute(
            "SELECT guild_id, drug_id, text, author_id, updated_at FROM notes WHERE guild_id = ? AND drug_id = ?",
            (guild_id, drug_id),
        ) as cursor:
            row = await cursor.fetchone()
        return CommunityNote(*row) if row else None

    async def set_note(self, note: CommunityNote, audit: AuditRecord | None = None) -> CommunityNote:
        stored = CommunityNote(
            note.guild_id, note.drug_id, note.text, note.author_id, note.updated_at or _now()
        )
        async with self._transaction("could not save the note", audit):
            await self._db.execute(
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
        ):
            await self._db.execute(
                "DELETE FROM notes WHERE guild_id = ? AND drug_id = ?", (guild_id, drug_id)
            )
        return before

    async def add_pin(self, pin: PinnedAnswer, audit: AuditRecord | None = None) -> PinnedAnswer:
        now = _now()
        stored = replace(pin, pinned_at=pin.pinned_at or now, state="pinned", changed_at=now)
        async with self._transaction("could not record the pinned answer", audit):
            await self._db.execute("DELETE FROM pins WHERE message_id = ?", (stored.message_id,))
            await self._db.execute(
                "INSERT INTO pins (message_id, guild_id, channel_id, title, pinned_by, pinned_at, state,"
                " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stored.message_id,
                    stored.guild_id,
                    stored.channel_id,
                    stored.title,
                    stored.pinned_by,
                    stored.pinned_at,
                    stored.state,
                    stored.changed_at,
                ),
            )
            await self._db.executemany(
                "INSERT INTO pin_drugs (message_id, position, drug_id) VALUES (?, ?, ?)",
                [(stored.message_id, i, d) for i, d in enumerate(stored.drugs)],
            )
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
        async with self._db.execute(
            "SELECT guild_id, channel_id, message_id, title, pinned_by, pinned_at, state, changed_at"
            " FROM pins WHERE guild_id = ? AND (? IS NULL OR message_id = ?) AND (? = 0 OR state = 'pinned')"
            " AND (? IS NULL OR message_id IN (SELECT message_id FROM pin_drugs WHERE drug_id = ?))"
            " ORDER BY pinned_at DESC, message_id DESC",
            (guild_id, message_id, message_id, int(live_only), drug_id, drug_id),
        ) as cursor:
            rows = await cursor.fetchall()
        found = []
        for g, c, m, title, by, at, state, changed in rows:
            async with self._db.execute(
                "SELECT drug_id FROM pin_drugs WHERE message_id = ? ORDER BY position", (m,)
            ) as cursor:
                drugs = tuple(d for (d,) in await cursor.fetchall())
            found.append(PinnedAnswer(g, c, m, drugs, title, by, at, state, changed))
        return found

    async def mark_pin(
        self, guild_id: int, message_id: int, state: PinState, audit: AuditRecord | None = None
    ) -> PinnedAnswer | None:
        before = await self.pin(guild_id, message_id)
        if before is None or not before.live:
            return None
        changed = 0
        async with self._transaction("could not update the pinned answer"):
            cursor = await self._db.execute(
                "UPDATE pins SET state = ?, changed_at = ? WHERE guild_id = ? AND message_id = ? AND state = 'pinned'",
                (state, _now(), guild_id, message_id),
            )
            changed = cursor.rowcount
            if changed and audit is not None:  # another writer may have marked it first: record it once
                await self._insert_audit(audit)
        return before if changed else None

    async def record_action(self, record: AuditRecord) -> None:
        async with self._transaction("could not record a moderator action"):
            await self._insert_audit(record)

    async def _insert_audit(self, record: AuditRecord) -> None:
        await self._db.execute(
            "INSERT INTO audit_log (guild_id, actor_id, action, before, after, at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                record.guild_id,
                record.actor_id,
                record.action,
                record.before,
                record.after,
                record.at or _now(),
            ),
        )

    async def audit_log(self, guild_id: int, limit: int = 25) -> list[AuditRecord]:
        async with self._db.execute(
            "SELECT guild_id, actor_id, action, before, after, at FROM audit_log WHERE guild_id = ?"
            " ORDER BY id DESC LIMIT ?",
            (guild_id, limit),
        ) as cursor:
            return [AuditRecord(*row) for row in await cursor.fetchall()]

    async def export(self, guild_id: int) -> dict[str, object]:
        settings = await self.guild_settings(guild_id)
        async with self._db.execute(
            "SELECT drug_id, text, author_id, updated_at FROM notes WHERE guild_id = ? ORDER BY drug_id",
            (guild_id,),
        ) as cursor:
            notes = [
                {"drug": d, "text": t, "author_id": a, "updated_at": u}
                for d, t, a, u in await cursor.fetchall()
            ]
        async with self._db.execute(
            "SELECT message_id FROM pins WHERE guild_id = ? ORDER BY pinned_at, message_id", (guild_id,)
        ) as cursor:
            pinned = [await self.pin(guild_id, int(m)) for (m,) in await cursor.fetchall()]
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

    async def forget(self, guild_id: int) -> int:
        removed = 0
        async with self._transaction(f"could not forget server {guild_id}"):
            for statement in FORGET:
                cursor = await self._db.execute(statement, (guild_id,))
                removed += max(cursor.rowcount, 0)
        self._settings.pop(guild_id, None)
        return removed

    async def backup(self, target: Path) -> None:
        """A consistent copy of the whole store at `target` (SQLite's online backup), while it is in use."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._write:
            destination = await aiosqlite.connect(target)
            try:
                await self._db.backup(destination)
            finally:
                await destination.close()

    async def close(self) -> None:
        """Close the connection (a second call does nothing: shutdown may come from two places)."""
        if not self._closed:
            self._closed = True
            await self._db.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


async def _migrate(connection: aiosqlite.Connection, pending: list[Migration], path: Path) -> None:
    """Apply every migration newer than the store's schema, all in one transaction."""
    await connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    async with connection.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") as cursor:
        row = await cursor.fetchone()
    current = int(row[0]) if row else 0
    if current > len(pending):
        raise CommunityStoreError(
            f"the community store at {path} has schema {current}, newer than this code knows "
            f"({len(pending)}): update the bot, or point COMMUNITY_STORE_PATH at another file"
        )
    todo = [m for m in pending if m.version > current]
    if not todo:
        return
    await connection.execute("BEGIN IMMEDIATE")
    migration = todo[0]
    try:
        for migration in todo:
            for statement in migration.statements():
                await connection.execute(statement)  # SQL from a migration file
            await connection.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        await connection.execute("COMMIT")
    except sqlite3.Error as error:
        await connection.execute("ROLLBACK")
        raise CommunityStoreError(
            f"migration {migration.name} failed ({error}); the community store at {path} is unchanged"
        ) from error
