"""Typed settings, read once at start-up from the environment and `.env`, validated with clear errors.

The environment wins over `.env`. A bad value stops start-up with one line naming the setting. The token
is never printed: `Settings.__repr__` hides it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.paths import DEFAULT_COMMUNITY_STORE, DEFAULT_STORE, PROJECT_ROOT

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(ValueError):
    """A setting has a bad value; the message names it."""


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file; blank lines and # comments ignored, quotes around values removed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :]
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise SettingsError(f"{path.name} line {number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class Settings:
    token: str = field(default="", repr=False)
    log_level: str = "INFO"
    drug_store_path: Path = DEFAULT_STORE
    community_store_path: Path = DEFAULT_COMMUNITY_STORE
    # PostgreSQL for several processes: postgresql://user:password@host/db (it may hold a password).
    community_store_url: str | None = field(default=None, repr=False)
    chat_checks: bool = False  # reading chat needs the privileged Message Content intent
    dev_guild_id: int | None = None
    api_base_url: str | None = None
    gateway_url: str | None = None
    health_port: int | None = None  # GET /healthz on 127.0.0.1 (bot/health.py); off when None
    # Several processes share the shards: each runs `shard_ids` of `shard_count` (None: Discord's count,
    # all shards in this process).
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @property
    def has_token(self) -> bool:
        return bool(self.token)

    @property
    def community_store(self) -> str | Path:
        """Where the community store is: the PostgreSQL URL when one is set, else the SQLite file."""
        return self.community_store_url or self.community_store_path

    @property
    def logging_level(self) -> int:
        return int(getattr(logging, self.log_level))

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
        values = read_env_file(env_file if env_file is not None else PROJECT_ROOT / ".env")
        values.update({k: v for k, v in (os.environ if environ is None else environ).items() if v != ""})
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> Settings:
        def get(key: str) -> str:
            return values.get(key, "").strip()

        token = get("DISCORD_TOKEN")
        if token and (len(token) < 50 or " " in token):
            raise SettingsError(
                "DISCORD_TOKEN: does not look like a bot token (copy it from the Bot tab of your application)"
            )
        level = get("LOG_LEVEL").upper() or "INFO"
        if level not in LOG_LEVELS:
            raise SettingsError(f"LOG_LEVEL: must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
        guild = get("DEV_GUILD_ID")
        if guild and not (guild.isdigit() and 15 <= len(guild) <= 21):
            raise SettingsError(f"DEV_GUILD_ID: must be a Discord server id (a long number), not {guild!r}")
        api = get("DISCORD_API_BASE_URL") or None
        if api and not api.startswith(("http://", "https://")):
            raise SettingsError(f"DISCORD_API_BASE_URL: must start with http:// or https://, not {api!r}")
        chat = get("CHAT_CHECKS").lower() or "off"
        if chat not in ("on", "off"):
            raise SettingsError(f"CHAT_CHECKS: must be on or off, not {chat!r}")
        gateway = get("DISCORD_GATEWAY_URL") or None
        if gateway and not gateway.startswith(("ws://", "wss://")):
            raise SettingsError(f"DISCORD_GATEWAY_URL: must start with ws:// or wss://, not {gateway!r}")
        store_url = get("COMMUNITY_STORE_URL") or None
        if store_url and not store_url.startswith(("postgresql://", "postgres://", "sqlite:")):
            # The value is not echoed: it may hold a password.
            raise SettingsError("COMMUNITY_STORE_URL: must start with postgresql:// (or sqlite:PATH)")
        shard_count, shard_ids = _shards(get("SHARD_COUNT"), get("SHARD_IDS"))
        port = get("HEALTH_PORT")
        if port and not (port.isdigit() and 1 <= int(port) <= 65535):
            raise SettingsError(f"HEALTH_PORT: must be a port number from 1 to 65535, not {port!r}")
        return cls(
            token=token,
            log_level=level,
            drug_store_path=_path(get("DRUG_STORE_PATH"), DEFAULT_STORE),
            community_store_path=_path(get("COMMUNITY_STORE_PATH"), DEFAULT_COMMUNITY_STORE),
            community_store_url=store_url,
            chat_checks=chat == "on",
            dev_guild_id=int(guild) if guild else None,
            api_base_url=api.rstrip("/") if api else None,
            gateway_url=gateway,
            health_port=int(port) if port else None,
            shard_count=shard_count,
            shard_ids=shard_ids,
        )


def _path(value: str, default: Path) -> Path:
    if not value:
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def _shards(count_text: str, ids_text: str) -> tuple[int | None, tuple[int, ...] | None]:
    """SHARD_COUNT and SHARD_IDS ("0-3", "4,5,6"): this process's share of the shards."""
    if count_text and not (count_text.isdigit() and int(count_text) >= 1):
        raise SettingsError(f"SHARD_COUNT: must be a number of shards, 1 or more, not {count_text!r}")
    count = int(count_text) if count_text else None
    if not ids_text:
        return count, None
    if count is None:
        raise SettingsError("SHARD_IDS: needs SHARD_COUNT, the number of shards of all processes together")
    ids: list[int] = []
    for part in ids_text.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if not (first.isdigit() and (last.isdigit() or not last)):
            raise SettingsError(f"SHARD_IDS: must be shard numbers or ranges such as 0-3,8, not {ids_text!r}")
        ids += range(int(first), int(last or first) + 1)
    if not ids or max(ids) >= count or len(set(ids)) != len(ids):
        raise SettingsError(
            f"SHARD_IDS: each shard once, from 0 to SHARD_COUNT - 1 ({count - 1}), not {ids_text!r}"
        )
    return count, tuple(ids)
