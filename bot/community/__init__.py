"""Per-server state: settings, notes, pinned answers and the audit log (see store.py)."""

from __future__ import annotations

from pathlib import Path

from bot.community.sql_store import SqlCommunityStore
from bot.community.store import CommunityStoreError

POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


async def open_community_store(location: str | Path) -> SqlCommunityStore:
    """Open the community store at `location`: a PostgreSQL URL (postgresql://user:password@host/db),
    `sqlite:PATH`, or a plain path to a SQLite file."""
    text = str(location)
    if text.startswith(POSTGRESQL_SCHEMES):
        from bot.community.postgres import PostgresCommunityStore  # asyncpg only when it is used

        return await PostgresCommunityStore.open(text)
    if "://" in text:
        raise CommunityStoreError(
            f"{text.split('://')[0]}:// is not a community store: use postgresql://... or sqlite:PATH"
        )
    from bot.community.sqlite import SqliteCommunityStore

    return await SqliteCommunityStore.open(Path(text.removeprefix("sqlite:")))
