"""The community store in one SQLite file (aiosqlite): the default, for one bot process.

One connection per process, in WAL mode with foreign keys on and a busy timeout (another writer is
waited for, then the write fails cleanly); writes are serialised by a lock and each runs in
`BEGIN IMMEDIATE`, so a transaction never finds the file taken half-way through.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path

import aiosqlite

from bot.community.database import Row, Session
from bot.community.migrations import MIGRATIONS_DIR, migrations
from bot.community.sql_store import SqlCommunityStore
from bot.community.store import CommunityStoreError

__all__ = ["MIGRATIONS_DIR", "SqliteCommunityStore", "SqliteDatabase", "migrations"]


class SqliteDatabase:
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self.connection = connection
        self.where = str(path)
        self.write_lock = asyncio.Lock()

    async def execute(self, sql: str, parameters: Sequence[object] = ()) -> int:
        cursor = await self.connection.execute(sql, parameters)  # the store's own statement
        return max(cursor.rowcount, 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        await self.connection.executemany(sql, rows)  # the store's own statement

    async def fetch(self, sql: str, parameters: Sequence[object] = ()) -> list[Row]:
        async with self.connection.execute(sql, parameters) as cursor:  # the store's own statement
            return [tuple(row) for row in await cursor.fetchall()]

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Session]:
        async with self.write_lock:
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                if self.connection.in_transaction:
                    await self.connection.execute("ROLLBACK")
                raise
            await self.connection.execute("COMMIT")

    def schema_transaction(self) -> contextlib.AbstractAsyncContextManager[Session]:
        return self.transaction()  # BEGIN IMMEDIATE already keeps other processes out

    def migration_statement(self, statement: str) -> str:
        return statement

    async def close(self) -> None:
        await self.connection.close()


class SqliteCommunityStore(SqlCommunityStore):
    def __init__(self, database: SqliteDatabase, path: Path) -> None:
        super().__init__(database)
        self._sqlite = database
        self.path = path

    @classmethod
    async def open(cls, path: Path, folder: Path = MIGRATIONS_DIR) -> SqliteCommunityStore:
        """Open (creating it if needed) the store at `path` and bring its schema up to date."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(path, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise CommunityStoreError(f"cannot open the community store at {path}: {error}") from error
        store = cls(SqliteDatabase(connection, path), path)
        try:
            await connection.execute("PRAGMA busy_timeout = 5000")  # ms: wait for another writer
            await connection.execute("PRAGMA journal_mode = WAL")
            await connection.execute("PRAGMA foreign_keys = ON")
            await store.migrate(migrations(folder))
        except BaseException:
            await connection.close()
            raise
        return store

    async def backup(self, target: Path) -> None:
        """A consistent copy of the whole store at `target` (SQLite's online backup), while it is in use."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with self._sqlite.write_lock:
            destination = await aiosqlite.connect(target)
            try:
                await self._sqlite.connection.backup(destination)
            finally:
                await destination.close()
