"""Driving the real bot without Discord: payloads shaped as Discord sends them, and recorders.

Every private discord.py name these tests need is used here and nowhere else:

- `Client._async_setup_hook()` and `Client._connection.user`: what `login()` sets up, for bots that never
  log in;
- `Client._connection.parse_interaction_create(payload)`: the gateway's INTERACTION_CREATE parser;
- `discord.webhook.async_.async_context` / `AsyncWebhookAdapter.request`: where every interaction
  response and followup goes, replaced by a recorder in tier 1.

Tier 1 records what the bot would send (no HTTP at all). Tiers 2 and 3 use the real HTTP stack against
the in-process fake in `fake_discord.py`.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import discord
import discord.http
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

from bot.bot import DrugBot
from bot.community.sqlite import SqliteCommunityStore
from bot.knowledge.domain import Knowledge
from bot.settings import Settings
from tests.discord.limits import check_body

APPLICATION_ID = 900000000000000001
BOT_USER_ID = 900000000000000001
GUILD_ID = 800000000000000001
TOKEN = "fake." + "x" * 60  # shaped like a bot token; the fake Discord accepts it
CHANNEL_ID = 700000000000000001
USER_ID = 600000000000000001
OTHER_USER_ID = 600000000000000002
OWNER_ID = 600000000000000009  # the server's owner: nobody in these tests unless they say so

# Who a member is in the test server: a role (beside @everyone) and what that lets them do. The bot
# computes permissions from these roles; the payload carries the same number, unless a test forges it.
Who = Literal["member", "pinner", "moderator", "admin"]
EVERYONE = discord.Permissions(1071698660929)  # Discord's defaults for @everyone
ROLES: dict[str, tuple[int, discord.Permissions]] = {
    "pinner": (500000000000000001, discord.Permissions(pin_messages=True)),
    "moderator": (500000000000000002, discord.Permissions(manage_messages=True, pin_messages=True)),
    "admin": (500000000000000003, discord.Permissions(administrator=True)),
}
BOT_PERMISSIONS = discord.Permissions(2248473465835073 | discord.Permissions(pin_messages=True).value)


def permissions_of(who: Who) -> discord.Permissions:
    if who == "admin":
        return discord.Permissions.all()
    return discord.Permissions(EVERYONE.value | (ROLES[who][1].value if who in ROLES else 0))


_ids = itertools.count(1_000_000_000_000_000_000)


def snowflake() -> str:
    return str(next(_ids))


def user(user_id: int = USER_ID, name: str = "member") -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": None,
        "discriminator": "0",
        "avatar": None,
        "public_flags": 0,
    }


def bot_user() -> dict[str, Any]:
    return {**user(BOT_USER_ID, "drugbot"), "bot": True, "flags": 0, "verified": True, "mfa_enabled": False}


def member(user_id: int = USER_ID, who: Who = "member") -> dict[str, Any]:
    return {
        "user": user(user_id),
        "roles": [str(ROLES[who][0])] if who in ROLES else [],
        "joined_at": "2024-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "permissions": str(permissions_of(who).value),
        "nick": None,
        "avatar": None,
    }


def channel() -> dict[str, Any]:
    return {
        "id": str(CHANNEL_ID),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "general",
        "position": 0,
        "flags": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "permissions": "2248473465835073",
    }


def guild() -> dict[str, Any]:
    """The GUILD_CREATE of the test server: its roles and its one channel."""
    return {
        "id": str(GUILD_ID),
        "name": "Lupus support",
        "icon": None,
        "owner_id": str(OWNER_ID),
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": [
            {
                "id": str(GUILD_ID),
                "name": "@everyone",
                "permissions": str(EVERYONE.value),
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            },
            *(
                {
                    "id": str(role_id),
                    "name": who,
                    "permissions": str(permissions.value),
                    "position": position,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
                for position, (who, (role_id, permissions)) in enumerate(ROLES.items(), start=1)
            ),
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "system_channel_flags": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "unavailable": False,
        "member_count": 2,
        "large": False,
        "joined_at": "2024-01-01T00:00:00+00:00",
        "channels": [{k: v for k, v in channel().items() if k not in ("guild_id", "permissions")}],
        "threads": [],
        "members": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def _base(
    kind: int,
    data: dict[str, Any],
    user_id: int = USER_ID,
    who: Who = "member",
    permissions: int | None = None,
) -> dict[str, Any]:
    """An interaction from `who`; `permissions` replaces the number the payload claims (a forgery)."""
    return {
        "id": snowflake(),
        "application_id": str(APPLICATION_ID),
        "type": kind,
        "data": data,
        "guild_id": str(GUILD_ID),
        "guild": {"id": str(GUILD_ID), "locale": "en-US", "features": []},
        "channel_id": str(CHANNEL_ID),
        "channel": channel(),
        "member": {
            **member(user_id, who),
            **({"permissions": str(permissions)} if permissions is not None else {}),
        },
        "token": "interaction-token-" + snowflake(),
        "version": 1,
        "app_permissions": str(BOT_PERMISSIONS.value),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "attachment_size_limit": 10485760,
    }


def _option(name: str, value: Any) -> dict[str, Any]:
    kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3
    return {"name": name, "type": kind, "value": value}


def slash(
    command: str,
    user_id: int = USER_ID,
    *,
    who: Who = "member",
    permissions: int | None = None,
    **options: Any,
) -> dict[str, Any]:
    """An INTERACTION_CREATE for `/command option:value ...` by `who`."""
    data = {
        "id": snowflake(),
        "name": command,
        "type": 1,
        "options": [_option(k, v) for k, v in options.items()],
    }
    return _base(2, data, user_id, who, permissions)


def subcommand(
    group: str,
    command: str,
    *,
    user_id: int = USER_ID,
    who: Who = "member",
    permissions: int | None = None,
    **options: Any,
) -> dict[str, Any]:
    """An INTERACTION_CREATE for `/group command option:value ...` by `who`; `permissions` replaces
    what the payload claims the member may do (a forged payload)."""
    data = {
        "id": snowflake(),
        "name": group,
        "type": 1,
        "options": [{"name": command, "type": 1, "options": [_option(k, v) for k, v in options.items()]}],
    }
    return _base(2, data, user_id, who, permissions)


def autocomplete(command: str, focused: str, value: str, **others: Any) -> dict[str, Any]:
    """An INTERACTION_CREATE for typing `value` into `focused` of `/command`."""
    options = [{**_option(focused, value), "focused": True}] + [_option(k, v) for k, v in others.items()]
    return _base(4, {"id": snowflake(), "name": command, "type": 1, "options": options})


def message(
    *,
    components: list[dict[str, Any]] | None = None,
    embeds: list[dict[str, Any]] | None = None,
    asked_by: int = USER_ID,
    ephemeral: bool = False,
) -> dict[str, Any]:
    """A message the bot sent in answer to a slash command by `asked_by`."""
    return {
        "id": snowflake(),
        "channel_id": str(CHANNEL_ID),
        "guild_id": str(GUILD_ID),
        "author": bot_user(),
        "content": "",
        "timestamp": "2024-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds or [],
        "pinned": False,
        "type": 20,
        "flags": 64 if ephemeral else 0,
        "components": components or [],
        "application_id": str(APPLICATION_ID),
        "webhook_id": str(APPLICATION_ID),
        "interaction_metadata": {
            "id": snowflake(),
            "type": 2,
            "user": user(asked_by),
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "name": "drug",
            "command_type": 1,
        },
    }


def member_message(content: str, *, user_id: int = USER_ID, bot: bool = False) -> dict[str, Any]:
    """A MESSAGE_CREATE payload for something a member wrote in the channel (a bot's, with `bot`)."""
    author = {**user(user_id), "bot": True} if bot else user(user_id)
    return {
        "id": snowflake(),
        "channel_id": str(CHANNEL_ID),
        "guild_id": str(GUILD_ID),
        "author": author,
        "member": {k: v for k, v in member(user_id).items() if k != "user"},
        "content": content,
        "timestamp": "2024-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
        "components": [],
    }


def message_command(
    name: str,
    target: dict[str, Any],
    *,
    user_id: int = USER_ID,
    who: Who = "member",
    permissions: int | None = None,
) -> dict[str, Any]:
    """An INTERACTION_CREATE for the message context menu `name` run on `target` (a message payload):
    Discord sends the target's text with it, even without the Message Content intent."""
    data = {
        "id": snowflake(),
        "name": name,
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    return _base(2, data, user_id, who, permissions)


def button_row(*custom_ids: str) -> list[dict[str, Any]]:
    return [
        {"type": 1, "components": [{"type": 2, "style": 2, "label": "x", "custom_id": c} for c in custom_ids]}
    ]


def press(
    custom_id: str,
    *,
    user_id: int = USER_ID,
    asked_by: int = USER_ID,
    ephemeral: bool = False,
    who: Who = "member",
) -> dict[str, Any]:
    """An INTERACTION_CREATE for pressing the button `custom_id` on a message the bot sent earlier."""
    payload = _base(3, {"custom_id": custom_id, "component_type": 2}, user_id, who)
    payload["message"] = message(components=button_row(custom_id), asked_by=asked_by, ephemeral=ephemeral)
    return payload


# The bot ------------------------------------------------------------------------------------------


async def make_bot(knowledge: Knowledge, settings: Settings | None = None, **options: Any) -> DrugBot:
    """A bot on the real knowledge, with a community store of its own in a new temporary folder."""
    community = await SqliteCommunityStore.open(
        Path(tempfile.mkdtemp(prefix="drugbot-")) / "community.sqlite3"
    )
    return DrugBot(settings or Settings(), knowledge, community, **options)


async def prepare_offline(bot: DrugBot) -> None:
    """What login() would do, without logging in: the loop, then setup_hook (cogs, dynamic items); and
    the test server as the gateway would have described it (roles, channel), for permission checks."""
    bot._connection.user = discord.ClientUser(state=bot._connection, data=bot_user())  # type: ignore[arg-type]
    await bot._async_setup_hook()
    await bot.setup_hook()
    bot._connection.parse_guild_create(guild())


def _is_background(task: asyncio.Task[Any]) -> bool:
    """Tasks that are not the bot's work on an interaction: a view's timeout (discord.py gives ephemeral
    views 15 minutes), the fake server's keep-alive connections, the gateway's reader and heartbeat."""
    coro = task.get_coro()
    name = getattr(coro, "__qualname__", "")
    code = getattr(coro, "cr_code", None)
    filename = code.co_filename if code is not None else ""
    return "timeout_task_impl" in name or "aiohttp" in filename or "/discord/shard.py" in filename


async def settle(before: set[asyncio.Task[Any]], timeout: float = 10.0) -> None:
    """Wait until every task started since `before` is done (the tree's and the view store's)."""
    current = asyncio.current_task()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        pending = [
            t
            for t in asyncio.all_tasks()
            if t not in before and t is not current and not t.done() and not _is_background(t)
        ]
        if not pending:
            return
        remaining = deadline - loop.time()
        assert remaining > 0, f"interaction tasks still running: {pending}"
        await asyncio.wait(pending, timeout=remaining)


async def until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Wait for `condition` (about the fake Discord, say) to hold; fail naming `what` after `timeout`."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def feed(bot: DrugBot, payload: dict[str, Any]) -> None:
    """Hand an INTERACTION_CREATE payload to discord.py's own parser, as the gateway would."""
    bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]


async def deliver(bot: DrugBot, payload: dict[str, Any]) -> None:
    """Hand a MESSAGE_CREATE payload to discord.py's own parser and let the listeners run."""
    before = set(asyncio.all_tasks())
    bot._connection.parse_message_create(payload)  # type: ignore[arg-type]
    await settle(before)


async def dispatch(bot: DrugBot, payload: dict[str, Any]) -> None:
    before = set(asyncio.all_tasks())
    feed(bot, payload)
    await settle(before)


# Tier 1: the recording adapter ----------------------------------------------------------------


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] | None
    interaction_id: str | None = None
    at: float = 0.0  # time.perf_counter() when the bot made the call

    @property
    def callback_type(self) -> int | None:
        return self.body.get("type") if self.body and self.path.endswith("/callback") else None

    @property
    def message(self) -> dict[str, Any]:
        """The message part of the body: `data` of a callback, the body of a webhook call."""
        if self.body is None:
            return {}
        return self.body.get("data") or {} if self.path.endswith("/callback") else self.body

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.message.get("embeds") or [])

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.message.get("flags", 0)) & 64)

    @property
    def custom_ids(self) -> list[str]:
        return [
            c["custom_id"] for row in self.message.get("components") or [] for c in row.get("components", [])
        ]

    @property
    def labels(self) -> list[str]:
        return [
            c.get("label", "")
            for row in self.message.get("components") or []
            for c in row.get("components", [])
        ]

    @property
    def text(self) -> str:
        """Everything a reader sees in the message, for assertions."""
        parts = [self.message.get("content") or ""]
        for embed in self.embeds:
            parts += [
                embed.get("title", ""),
                embed.get("description", ""),
                embed.get("footer", {}).get("text", ""),
            ]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
        parts += [c["name"] for c in (self.message.get("choices") or [])]
        return "\n".join(parts)


@dataclass
class Recorder:
    """Every call the bot makes for interactions, with Discord's rules checked as they arrive."""

    calls: list[Call] = field(default_factory=list)
    initial: dict[str, int] = field(default_factory=dict)
    check: bool = True  # the benchmark turns the limit checks off to time the bot alone

    def record(self, method: str, path: str, body: dict[str, Any] | None) -> Call:
        interaction_id = path.split("/")[2] if path.startswith("/interactions/") else None
        call = Call(method, path, body, interaction_id, time.perf_counter())
        if interaction_id is not None:
            self.initial[interaction_id] = self.initial.get(interaction_id, 0) + 1
            assert self.initial[interaction_id] == 1, (
                f"a second initial response to interaction {interaction_id}"
            )
        if self.check:
            check_body(method, path, body)
        self.calls.append(call)
        return call

    def clear(self) -> None:
        self.calls.clear()

    @property
    def callbacks(self) -> list[Call]:
        return [c for c in self.calls if c.path.endswith("/callback")]

    def only(self) -> Call:
        assert len(self.calls) == 1, [(c.method, c.path, c.body) for c in self.calls]
        return self.calls[0]

    @property
    def sends(self) -> list[Call]:
        """Calls that carry a message (initial responses with data, followups, edits)."""
        return [c for c in self.calls if c.method in ("POST", "PATCH") and c.message]


def message_payload(body: dict[str, Any] | None, *, flags: int = 0) -> dict[str, Any]:
    """The message Discord would return for a send or an edit with `body`."""
    body = body or {}
    payload = message(embeds=body.get("embeds") or [], components=body.get("components") or [])
    payload["content"] = body.get("content") or ""
    payload["flags"] = int(body.get("flags", flags) or 0)
    return payload


class RecordingAdapter(AsyncWebhookAdapter):
    """Answers every interaction call as Discord would, recording it instead of sending it."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.recorder = recorder

    async def request(self, route: discord.http.Route, session: Any, **kwargs: Any) -> Any:
        payload = kwargs.get("payload")
        if payload is None and kwargs.get("multipart"):
            payload = json.loads(kwargs["multipart"][0]["value"])
        path = route.url.removeprefix(discord.http.Route.BASE)
        self.recorder.record(route.method, path, payload)
        await asyncio.sleep(0)
        if path.endswith("/callback"):
            kind = payload.get("type") if payload else None
            data = (payload or {}).get("data") or {}
            return {
                "interaction": {
                    "id": path.split("/")[2],
                    "type": 2,
                    "response_message_id": snowflake(),
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(int(data.get("flags", 0) or 0) & 64),
                }
            }
        if route.method == "DELETE":
            return None
        return message_payload(payload)


@contextmanager
def recording(*, check: bool = True) -> Iterator[Recorder]:
    """Record, in this context (and the tasks it starts), every interaction response and followup."""
    recorder = Recorder(check=check)
    token: contextvars.Token[AsyncWebhookAdapter] = async_context.set(RecordingAdapter(recorder))
    try:
        yield recorder
    finally:
        async_context.reset(token)
