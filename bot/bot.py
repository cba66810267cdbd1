"""The Discord bot: one AutoShardedBot holding its typed resources, cogs loaded in setup_hook.

Command sync is deliberate (`drugbot run --sync [--guild ID]`), never on every boot: Discord allows
200 command creates a day per guild. `DISCORD_API_BASE_URL` and `DISCORD_GATEWAY_URL` put proxies in
front of Discord's REST API and gateway.
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import time
from dataclasses import replace
from typing import Any

import discord
import discord.http
import yarl
from discord.ext import commands
from discord.gateway import DiscordWebSocket

from bot.community import open_community_store
from bot.community.lookups import LookupCounts
from bot.community.store import CommunityStore, CommunityStoreError
from bot.exts import extensions
from bot.health import HealthServer
from bot.knowledge.domain import Knowledge
from bot.knowledge.store import StoreError
from bot.settings import Settings
from bot.tree import DrugTree

log = logging.getLogger(__name__)


def intents(settings: Settings | None = None) -> discord.Intents:
    """Slash commands need no privileged intent; guilds keeps the guild cache for the shards. Reading
    messages for chat checks needs Message Content, asked for only when CHAT_CHECKS is on."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    if settings is not None and settings.chat_checks:
        wanted.guild_messages = True
        wanted.message_content = True
    return wanted


def api_base(url: str) -> str:
    """A REST base URL with the API version: "http://proxy/api" -> "http://proxy/api/v10"."""
    url = url.rstrip("/")
    return url if re.search(r"/v\d+$", url) else f"{url}/v{discord.http.INTERNAL_API_VERSION}"


def use_api_base(url: str | None) -> None:
    """Send every REST call (bot and interaction webhooks) to `url` (a proxy), or to Discord when None."""
    discord.http.Route.BASE = (
        api_base(url) if url else f"https://discord.com/api/v{discord.http.INTERNAL_API_VERSION}"
    )


DISCORD_GATEWAY = DiscordWebSocket.DEFAULT_GATEWAY


def use_gateway(url: str | None) -> None:
    """Connect every shard to `url` (a proxy), or to Discord's gateway when None. discord.py falls back
    to this class-wide default whenever it does not ask Discord for the URL: with a fixed SHARD_COUNT,
    and when a shard must identify again after its session was invalidated."""
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url) if url else DISCORD_GATEWAY


class DrugBot(commands.AutoShardedBot):
    """The bot and what it needs: settings, the knowledge (the domain's front door), the community
    store (per-server state), lookup counts."""

    def __init__(
        self,
        settings: Settings,
        knowledge: Knowledge,
        community: CommunityStore,
        *,
        sync: bool = False,
        sync_guild: int | None = None,
        **options: Any,
    ) -> None:
        options.setdefault("intents", intents(settings))
        if settings.shard_count is not None:  # one of several processes, each with its range of shards
            options.setdefault("shard_count", settings.shard_count)
            options.setdefault("shard_ids", list(settings.shard_ids) if settings.shard_ids else None)
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            tree_cls=DrugTree,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.knowledge = knowledge
        self.community = community
        self.lookups = LookupCounts()  # in memory: what each server looks up most, for autocomplete
        self.sync_requested = sync
        self.sync_guild = sync_guild
        self.last_gateway_event = 0.0  # time.monotonic() of the last gateway dispatch (for /healthz)
        self.health = HealthServer(self, settings.health_port) if settings.health_port else None
        use_api_base(settings.api_base_url)
        use_gateway(settings.gateway_url)

    @property
    def tree(self) -> DrugTree:
        tree = super().tree
        assert isinstance(tree, DrugTree)
        return tree

    async def launch_shards(self) -> None:
        # Without SHARD_COUNT, discord.py asks GET /gateway/bot for the count and a gateway URL: the
        # proxy's URL is used instead of Discord's.
        if self.settings.gateway_url and self.shard_count is None:
            self.shard_count, _url, _limits = await self.http.get_bot_gateway()
        await super().launch_shards()

    async def setup_hook(self) -> None:
        for extension in extensions():
            await self.load_extension(extension)
        if self.health is not None:
            await self.health.start()
        if self.sync_requested:
            await sync_commands(self, self.sync_guild)

    async def close(self) -> None:
        """Close the gateway, then the health endpoint and the community store (safe to call twice)."""
        await super().close()
        if self.health is not None:
            await self.health.close()
        await self.community.close()

    async def on_socket_event_type(self, event_type: str) -> None:
        self.last_gateway_event = time.monotonic()

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """A failure in an event listener: logged with the event's name and ids, never message text."""
        ids = [f"{type(a).__name__} {a.id}" for a in args if isinstance(getattr(a, "id", None), int)]
        log.exception("event %s failed (%s)", event_method, ", ".join(ids) or "no ids")

    async def on_ready(self) -> None:
        log.info(
            "ready as %s (id %s) in %d server(s), %d shard(s)",
            self.user,
            self.user.id if self.user else "?",
            len(self.guilds),
            self.shard_count or 1,
        )


async def sync_commands(bot: DrugBot, guild_id: int | None = None) -> int:
    """Register the commands with Discord: in one server (instant, for development) or globally."""
    if guild_id is not None:
        guild = discord.Object(id=guild_id)
        bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
        log.info("synced %d command(s) to server %s", len(synced), guild_id)
    else:
        synced = await bot.tree.sync()
        log.info("synced %d global command(s); Discord may take a while to show them everywhere", len(synced))
    return len(synced)


def run_bot(settings: Settings, sync: bool = False, guild: int | None = None) -> int:
    """Start the bot and run until stopped. Returns the process exit code."""
    discord.utils.setup_logging(level=settings.logging_level, root=True)
    try:
        knowledge = Knowledge.open(settings.drug_store_path)
    except StoreError as error:
        log.error("%s", error)
        return 1
    try:
        asyncio.run(_run(settings, knowledge, sync=sync or guild is not None, guild=guild))
    except KeyboardInterrupt:
        return 0
    except CommunityStoreError as error:
        log.error("%s", error)
        return 1
    except discord.LoginFailure:
        log.error(
            "Discord rejected the token: copy it again from the Bot tab of your application (DISCORD_TOKEN)."
        )
        return 1
    except discord.PrivilegedIntentsRequired:
        log.error("Discord refused a privileged intent: enable it on the Bot tab of your application.")
        return 1
    except (discord.GatewayNotFound, discord.HTTPException, OSError) as error:
        log.error("could not connect to Discord: %s", error)
        return 1
    return 0


NO_MESSAGE_CONTENT = (
    "Discord refused the Message Content intent, so chat checks are off: enable it under Bot -> Privileged "
    "Gateway Intents in the developer portal, or set CHAT_CHECKS=off. Commands and the context menu still work."
)


async def _run(settings: Settings, knowledge: Knowledge, *, sync: bool, guild: int | None) -> None:
    try:
        await _start(settings, knowledge, sync=sync, guild=guild)
    except discord.PrivilegedIntentsRequired:
        if not settings.chat_checks:
            raise
        # The bot still serves everything else: start again without the intent, and say how to fix it.
        log.error(NO_MESSAGE_CONTENT)
        await _start(replace(settings, chat_checks=False), knowledge, sync=False, guild=None)


async def _start(settings: Settings, knowledge: Knowledge, *, sync: bool, guild: int | None) -> None:
    community = await open_community_store(settings.community_store)
    bot = DrugBot(settings, knowledge, community, sync=sync, sync_guild=guild)
    stop_on_signals(bot)
    async with bot:
        await bot.start(settings.token)


def stop_on_signals(bot: DrugBot) -> None:
    """SIGTERM (a container or systemd stopping the bot) and SIGINT close it cleanly: the gateway, the
    health endpoint and the community store, then the process ends with status 0."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()  # held until done, so the task is not collected early

    def close(name: str) -> None:
        log.info("%s received: closing", name)
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    for signal_number in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signal_number, close, signal_number.name)
        except (NotImplementedError, RuntimeError):  # not on this platform, or not the main thread
            log.debug("no handler for %s here", signal_number.name)
