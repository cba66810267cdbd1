"""An in-process fake of the Discord API routes the bot uses, on loopback: REST and a gateway websocket.

It answers as Discord does for the routes below, records every request, checks every body against
Discord's rules (a breach is answered 400 like Discord's "Invalid Form Body" and kept in `problems`),
and can be told to fail the next matching requests (403, 429, 5xx, ...).

REST (under /api/v10): GET /users/@me, GET /oauth2/applications/@me, GET /gateway/bot,
POST /interactions/{id}/{token}/callback, POST /webhooks/{app}/{token},
GET|PATCH|DELETE /webhooks/{app}/{token}/messages/{message}, POST /channels/{id}/messages,
GET /channels/{id}/messages/{id}, PUT|DELETE /channels/{id}/messages/pins/{id} (on `messages`),
PUT /applications/{app}/commands, PUT /applications/{app}/guilds/{guild}/commands.
Gateway (GET /gateway, websocket, JSON text frames): HELLO; IDENTIFY -> READY then GUILD_CREATE;
heartbeat -> HEARTBEAT_ACK; `push()` sends any dispatch event (kept, as Discord keeps them, to replay
on RESUME); RESUME -> the events missed since the client's sequence, then RESUMED, or INVALID_SESSION
for an unknown session. `reconnect()` asks every client to reconnect (op 7), `drop()` closes the sockets
as a network fault would, `invalidate_sessions()` makes every issued session unknown.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.discord.harness import (
    APPLICATION_ID,
    bot_user,
    guild,
    message_payload,
    snowflake,
    user,
)
from tests.discord.limits import check_body

API = "/api/v10"


@dataclass
class Request:
    method: str
    path: str  # without the /api/v10 prefix
    body: dict[str, Any] | list[Any] | None
    status: int = 200

    @property
    def message(self) -> dict[str, Any]:
        if not isinstance(self.body, dict):
            return {}
        return self.body.get("data") or {} if self.path.endswith("/callback") else self.body


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int


@dataclass
class FakeDiscord:
    requests: list[Request] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)
    identifies: list[dict[str, Any]] = field(default_factory=list)
    gateway_url_override: str | None = None
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # what GET .../messages/{id} returns
    refused_intents: int = 0  # intents the application has not been granted: IDENTIFY with them is closed
    resumes: list[dict[str, Any]] = field(default_factory=list)
    sessions: set[str] = field(default_factory=set)  # the sessions a RESUME may continue
    # The servers the bot is in, as GUILD_CREATE payloads; each is sent to the shard Discord would use.
    guilds: list[dict[str, Any]] = field(default_factory=lambda: [guild()])

    def __post_init__(self) -> None:
        self.app = web.Application()
        self.app.router.add_route("*", API + "/{path:.*}", self._rest)
        self.app.router.add_get("/gateway", self._gateway)
        self.runner: web.AppRunner | None = None
        self.url = ""
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = itertools.count(1)
        self._dispatched: list[dict[str, Any]] = []  # every dispatch frame, in order, for RESUME
        self._shard_of: dict[web.WebSocketResponse, tuple[int, int]] = {}  # from IDENTIFY: (id, count)
        self.ready = asyncio.Event()
        self.changed = asyncio.Condition()

    # Life -------------------------------------------------------------------------------------

    async def start(self) -> str:
        self.runner = web.AppRunner(self.app, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = self.runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self.runner is not None:
            await self.runner.cleanup()

    @property
    def api_url(self) -> str:
        return self.url + "/api"

    @property
    def gateway_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/gateway"

    # Faults and waiting -------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests whose path matches the regex `path` with `status`."""
        default = {"message": "fault injected by the test", "code": 0}
        self.faults.append(Fault(method, re.compile(path), status, body or default, headers or {}, times))

    async def wait_for(self, count: int, *, path: str = "", timeout: float = 5.0) -> list[Request]:
        """Wait until `count` successful requests whose path contains `path` have been recorded."""

        def matching() -> list[Request]:
            return [r for r in self.requests if path in r.path and r.status < 300]

        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: len(matching()) >= count), timeout)
        return matching()

    @property
    def sends(self) -> list[Request]:
        return [r for r in self.requests if r.method in ("POST", "PATCH") and r.status < 300 and r.message]

    # REST ----------------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        body = (
            await request.json()
            if request.can_read_body and request.content_type == "application/json"
            else None
        )
        recorded = Request(request.method, path, body)
        try:
            response = self._answer(recorded)
        finally:
            self.requests.append(recorded)
            async with self.changed:
                self.changed.notify_all()
        return response

    def _fault(self, recorded: Request) -> web.Response | None:
        for fault in self.faults:
            if fault.times > 0 and fault.method == recorded.method and fault.pattern.search(recorded.path):
                fault.times -= 1
                recorded.status = fault.status
                return _json(fault.body, status=fault.status, headers=fault.headers)
        return None

    def _answer(self, recorded: Request) -> web.Response:
        faulted = self._fault(recorded)
        if faulted is not None:
            return faulted
        method, path, body = recorded.method, recorded.path, recorded.body
        try:
            check_body(method, path, body if isinstance(body, dict) else None)
        except AssertionError as error:
            self.problems.append(f"{method} {path}: {error}")
            recorded.status = 400
            return _json({"message": "Invalid Form Body", "code": 50035}, status=400)
        if method == "GET" and path == "/users/@me":
            return _json(bot_user())
        if method == "GET" and path == "/oauth2/applications/@me":
            return _json(application())
        if method == "GET" and path == "/gateway/bot":
            url = self.gateway_url_override or self.gateway_url
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return _json({"url": url, "shards": 1, "session_start_limit": limit})
        if method == "POST" and path.endswith("/callback"):
            return self._callback(recorded)
        if path.startswith("/webhooks/") or (
            method == "POST" and re.fullmatch(r"/channels/\d+/messages", path)
        ):
            if method == "DELETE":
                return web.Response(status=204)
            return _json(message_payload(body if isinstance(body, dict) else None))
        if method in ("PUT", "DELETE") and re.fullmatch(r"/channels/\d+/messages/pins/\d+", path):
            pinned = self.messages.get(path.rsplit("/", 1)[1])
            if pinned is None:
                recorded.status = 404
                return _json({"message": "Unknown Message", "code": 10008}, status=404)
            pinned["pinned"] = method == "PUT"
            return web.Response(status=204)
        if method == "PUT" and re.fullmatch(r"/channels/\d+/messages/\d+/reactions/[^/]+/@me", path):
            return web.Response(status=204)
        if method == "GET" and re.fullmatch(r"/channels/\d+/messages/\d+", path):
            found = self.messages.get(path.rsplit("/", 1)[1])
            if found is None:
                recorded.status = 404
                return _json({"message": "Unknown Message", "code": 10008}, status=404)
            return _json(found)
        if method == "PUT" and path.endswith("/commands") and isinstance(body, list):
            return _json([registered(command) for command in body])
        recorded.status = 404
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _callback(self, recorded: Request) -> web.Response:
        interaction_id = recorded.path.split("/")[2]
        self.acknowledged[interaction_id] = self.acknowledged.get(interaction_id, 0) + 1
        if self.acknowledged[interaction_id] > 1:
            self.problems.append(f"a second initial response to interaction {interaction_id}")
            recorded.status = 400
            return _json({"message": "Interaction has already been acknowledged.", "code": 40060}, status=400)
        body = recorded.body if isinstance(recorded.body, dict) else {}
        data = body.get("data") or {}
        return _json(
            {
                "interaction": {
                    "id": interaction_id,
                    "type": 2,
                    "response_message_id": snowflake(),
                    "response_message_loading": body.get("type") == 5,
                    "response_message_ephemeral": bool(int(data.get("flags", 0) or 0) & 64),
                }
            }
        )

    # Gateway ---------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                break
            payload = json.loads(frame.data)
            if payload["op"] == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif payload["op"] == 2:
                self.identifies.append(payload["d"])
                if self.refused_intents & payload["d"].get("intents", 0):
                    await socket.close(code=4014, message=b"Disallowed intent(s).")  # as Discord does
                    break
                shard_id, shard_count = payload["d"].get("shard", [0, 1])
                self._shard_of[socket] = (shard_id, shard_count)
                own = [g for g in self.guilds if shard_of(int(g["id"]), shard_count) == shard_id]
                greeting = ready(self.gateway_url, [shard_id, shard_count], [int(g["id"]) for g in own])
                self.sessions.add(greeting["session_id"])
                await self._send(socket, "READY", greeting)
                for server in own:
                    await self._send(socket, "GUILD_CREATE", server)
                self.ready.set()
            elif payload["op"] == 6:
                self.resumes.append(payload["d"])
                if payload["d"]["session_id"] not in self.sessions:
                    await socket.send_json({"op": 9, "d": False, "s": None, "t": None})
                    continue
                missed = [sent for sent in self._dispatched if sent["s"] > (payload["d"]["seq"] or 0)]
                for sent in missed:
                    await socket.send_json(sent)
                await self._send(socket, "RESUMED", {})
        return socket

    async def push(self, event: str, data: dict[str, Any]) -> None:
        """Send a dispatch event to the connected gateway sockets (and keep it for a RESUME): an event
        of a server only to the shard that server is on, as Discord does."""
        frame = self._dispatch_frame(event, data)
        server = data.get("guild_id")
        for socket in self._open_sockets():
            shard_id, shard_count = self._shard_of.get(socket, (0, 1))
            if server is None or shard_of(int(server), shard_count) == shard_id:
                await socket.send_json(frame)

    async def _send(self, socket: web.WebSocketResponse, event: str, data: dict[str, Any]) -> None:
        """A dispatch event to one socket (READY and the GUILD_CREATEs of its own shard)."""
        await socket.send_json(self._dispatch_frame(event, data))

    def _dispatch_frame(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        """The next dispatch frame, kept to replay on RESUME."""
        frame = {"op": 0, "t": event, "s": next(self._sequence), "d": data}
        self._dispatched.append(frame)
        return frame

    async def reconnect(self) -> None:
        """Op 7 RECONNECT on every socket, as Discord sends before moving a session."""
        for socket in self._open_sockets():
            await socket.send_json({"op": 7, "d": None, "s": None, "t": None})

    async def drop(self) -> None:
        """Close every socket with a resumable error code, as a lost connection looks to the client."""
        for socket in self._open_sockets():
            await socket.close(code=4000, message=b"Unknown error.")

    def invalidate_sessions(self) -> None:
        """From now on, a RESUME of any session issued so far is answered INVALID_SESSION."""
        self.sessions.clear()

    @property
    def connected(self) -> int:
        return len(self._open_sockets())

    def _open_sockets(self) -> list[web.WebSocketResponse]:
        return [socket for socket in self._sockets if not socket.closed]


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response with the exact Content-Type Discord sends (discord.py compares it as is)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


def application() -> dict[str, Any]:
    return {
        "id": str(APPLICATION_ID),
        "name": "drugbot",
        "description": "",
        "icon": None,
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": user(),
        "summary": "",
        "verify_key": "0" * 64,
        "team": None,
        "flags": 0,
        "interactions_endpoint_url": None,
    }


def registered(command: dict[str, Any]) -> dict[str, Any]:
    """A command as Discord returns it once registered (a context menu comes back with an empty description)."""
    return {
        "description": "",
        **command,
        "id": snowflake(),
        "application_id": str(APPLICATION_ID),
        "version": snowflake(),
    }


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord sends a server's events to."""
    return (guild_id >> 22) % shard_count


def ready(resume_url: str, shard: list[int], guild_ids: list[int]) -> dict[str, Any]:
    return {
        "v": 10,
        "user": bot_user(),
        "guilds": [{"id": str(guild_id), "unavailable": True} for guild_id in guild_ids],
        "session_id": "session-" + snowflake(),
        "resume_gateway_url": resume_url,
        "shard": shard,
        "application": {"id": str(APPLICATION_ID), "flags": 0},
        "private_channels": [],
        "relationships": [],
    }


__all__ = ["FakeDiscord", "Request", "guild"]
