"""How often the chat check may speak: a cooldown per channel and medicine pair, and a cap per server.

A support channel where the same two medicines come up all afternoon needs one warning, not twenty.
Kept in memory: ids and times only, never message text.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque

PAIR_COOLDOWN = 30 * 60.0  # seconds before the same pair is warned about again in the same channel
SERVER_CAP = 5  # answers per server...
SERVER_WINDOW = 60.0  # ...per this many seconds


class ChatLimiter:
    def __init__(
        self, cooldown: float = PAIR_COOLDOWN, cap: int = SERVER_CAP, window: float = SERVER_WINDOW
    ) -> None:
        self.cooldown = cooldown
        self.cap = cap
        self.window = window
        self._pairs: dict[tuple[int, tuple[str, str]], float] = {}
        self._answers: defaultdict[int, deque[float]] = defaultdict(deque)

    def allow(
        self, guild_id: int, channel_id: int, pairs: list[tuple[str, str]], now: float | None = None
    ) -> bool:
        """True (and counted) when the server is under its cap and at least one pair is not cooling down."""
        now = time.monotonic() if now is None else now
        recent = self._answers[guild_id]
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        fresh = [p for p in pairs if now - self._pairs.get((channel_id, p), -self.cooldown) >= self.cooldown]
        if not fresh or len(recent) >= self.cap:
            return False
        recent.append(now)
        for pair in pairs:
            self._pairs[(channel_id, pair)] = now
        if len(self._pairs) > 100_000:  # forget the oldest half rather than grow without bound
            for key in sorted(self._pairs, key=self._pairs.__getitem__)[: len(self._pairs) // 2]:
                del self._pairs[key]
        return True
