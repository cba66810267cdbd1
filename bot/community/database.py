"""What the community store needs of a database, so that one implementation of the store
(sql_store.py) runs on SQLite (sqlite.py) and on PostgreSQL (postgres.py).

Statements are written once, with `?` placeholders, in the SQL both databases understand; a driver
passes them through unchanged (SQLite) or numbers the placeholders (PostgreSQL, `$1, $2...`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

Row = tuple[Any, ...]


class Session(Protocol):
    async def execute(self, sql: str, parameters: Sequence[object] = ()) -> int:
        """Run one statement; the number of rows it changed."""
        ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None: ...

    async def fetch(self, sql: str, parameters: Sequence[object] = ()) -> list[Row]: ...


class Database(Session, Protocol):
    """A connection (SQLite) or a pool of them (PostgreSQL). Reads run on their own; writes run in
    `transaction()`, which commits when the block ends and rolls back when it raises."""

    # The exceptions that mean the database refused or failed; the store turns them into
    # CommunityStoreError with a sentence saying what could not be done.
    errors: tuple[type[BaseException], ...]
    # Where the data lives, for messages: a file path, or a URL without its password.
    where: str

    def transaction(self) -> AbstractAsyncContextManager[Session]: ...

    def schema_transaction(self) -> AbstractAsyncContextManager[Session]:
        """A transaction that no other process migrating the same database runs at the same time."""
        ...

    def migration_statement(self, statement: str) -> str:
        """A statement of a migration file, as this database reads it."""
        ...

    async def close(self) -> None: ...
