"""The community store in PostgreSQL (asyncpg): for several bot processes, each holding a range of shards,
sharing one database. Chosen by `COMMUNITY_STORE_URL=postgresql://...`.

A pool of connections per process; each write is one transaction. Migrations are the SQLite files,
read as PostgreSQL reads them (migrations.for_postgresql), applied under an advisory lock so that
processes starting together migrate once.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.community.database import Row, Session
from bot.community.migrations import for_postgresql, migrations
from bot.community.sql_store import SqlCommunityStore
from bot.community.store import CommunityStoreError

SCHEMA_LOCK = "SELECT pg_advisory_xact_lock(720301)"  # any number, the same in every process
CONNECT_SECONDS = 10
_PLACEHOLDER = re.compile(r"\?")
# What a failing database or a lost connection raises; opening may also time out or find a bad URL.
ERRORS: tuple[type[BaseException], ...] = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError)
CONNECT_ERRORS: tuple[type[BaseException], ...] = (*ERRORS, TimeoutError, ValueError)


@functools.lru_cache(maxsize=256)
def numbered(sql: str) -> str:
    """`sql` with PostgreSQL's numbered placeholders: "a = ? AND b = ?" -> "a = $1 AND b = $2"."""
    count = iter(range(1, sql.count("?") + 1))
    return _PLACEHOLDER.sub(lambda _: f"${next(count)}", sql)


def without_password(url: str) -> str:
    """The URL as it may be shown in messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


class PostgresSession:
    def __init__(
        self, connection: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy[asyncpg.Record]
    ) -> None:
        self.connection = connection

    async def execute(self, sql: str, parameters: Sequence[object] = ()) -> int:
        status = await self.connection.execute(numbered(sql), *parameters)  # the store's own statement
        # "UPDATE 3", "INSERT 0 1", "DELETE 0": the last word counts the rows.
        last = status.rsplit(" ", 1)[-1]
        return int(last) if last.isdigit() else 0

    async def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        rows = list(rows)
        if rows:
            await self.connection.executemany(numbered(sql), rows)  # the store's own statement

    async def fetch(self, sql: str, parameters: Sequence[object] = ()) -> list[Row]:
        records = await self.connection.fetch(numbered(sql), *parameters)  # the store's own statement
        return [tuple(record) for record in records]


class PostgresDatabase:
    errors = ERRORS

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.pool = pool
        self.where = without_password(url)

    async def execute(self, sql: str, parameters: Sequence[object] = ()) -> int:
        async with self.pool.acquire() as connection:
            return await PostgresSession(connection).execute(sql, parameters)  # the store's own statement

    async def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        async with self.pool.acquire() as connection:
            await PostgresSession(connection).executemany(sql, rows)  # the store's own statement

    async def fetch(self, sql: str, parameters: Sequence[object] = ()) -> list[Row]:
        async with self.pool.acquire() as connection:
            return await PostgresSession(connection).fetch(sql, parameters)  # the store's own statement

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Session]:
        async with self.pool.acquire() as connection, connection.transaction():
            yield PostgresSession(connection)

    @contextlib.asynccontextmanager
    async def schema_transaction(self) -> AsyncIterator[Session]:
        async with self.transaction() as session:
            await session.execute(SCHEMA_LOCK)
            yield session

    def migration_statement(self, statement: str) -> str:
        return for_postgresql(statement)

    async def close(self) -> None:
        await self.pool.close()


class PostgresCommunityStore(SqlCommunityStore):
    @classmethod
    async def open(cls, url: str, pool_size: int = 5) -> PostgresCommunityStore:
        """Connect to the database at `url` and bring its schema up to date."""
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=pool_size, timeout=CONNECT_SECONDS, command_timeout=30
            )
        except CONNECT_ERRORS as error:
            raise CommunityStoreError(
                f"cannot connect to the community store at {without_password(url)}: {error}"
            ) from error
        store = cls(PostgresDatabase(pool, url))
        try:
            await store.migrate(migrations())
        except BaseException:
            await pool.close()
            raise
        return store
