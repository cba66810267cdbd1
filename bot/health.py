"""A health endpoint for containers and process supervisors: GET /healthz on localhost.

It answers 200 when the bot is ready, not closed, every shard is connected and the gateway's heartbeat
is acknowledged, and 503 otherwise, always with the figures as JSON. It listens on 127.0.0.1 only, on
HEALTH_PORT (off when unset), and says nothing about servers, members or messages.
"""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from bot.bot import DrugBot

log = logging.getLogger(__name__)


def health(bot: DrugBot) -> tuple[bool, dict[str, Any]]:
    """Whether the bot is healthy, and the figures that say so."""
    shards = list(bot.shards.values())
    connected = sum(1 for shard in shards if not shard.is_closed())
    latency = bot.latency
    since = time.monotonic() - bot.last_gateway_event if bot.last_gateway_event else None
    figures: dict[str, Any] = {
        "ready": bot.is_ready(),
        "closed": bot.is_closed(),
        "shards": len(shards),
        "shards_connected": connected,
        "heartbeat_ms": round(latency * 1000) if math.isfinite(latency) else None,
        "last_gateway_event_seconds_ago": round(since, 1) if since is not None else None,
    }
    healthy = (
        figures["ready"]
        and not figures["closed"]
        and len(shards) > 0
        and connected == len(shards)
        and figures["heartbeat_ms"] is not None
    )
    return bool(healthy), figures


class HealthServer:
    def __init__(self, bot: DrugBot, port: int) -> None:
        self.bot = bot
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        log.info("health endpoint on http://127.0.0.1:%s/healthz", self.port)

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        healthy, figures = health(self.bot)
        return web.json_response(figures, status=200 if healthy else 503)
