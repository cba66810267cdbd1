"""Which medicines each server looks up most, so that an empty /drug box offers them first.

Kept in memory only: counts of drug ids per server, nothing about members or messages. They are lost
on restart, and until a server has its own history the defaults stand in.
"""

from __future__ import annotations

from collections import Counter, defaultdict


class LookupCounts:
    def __init__(self) -> None:
        self._counts: defaultdict[int, Counter[str]] = defaultdict(Counter)

    def record(self, server_id: int | None, drug_id: str) -> None:
        if server_id is not None:
            self._counts[server_id][drug_id] += 1

    def most_asked(
        self, server_id: int | None, defaults: tuple[str, ...], limit: int = 25
    ) -> tuple[str, ...]:
        """The server's most looked-up medicines, most first, topped up with `defaults`."""
        asked = (
            [drug for drug, _ in self._counts[server_id].most_common(limit)] if server_id is not None else []
        )
        return tuple(dict.fromkeys([*asked, *defaults]))[:limit]
