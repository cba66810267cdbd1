"""Everything the faces need from the domain, opened once: the store, the name index, mention finding."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.mentions import MentionFinder
from bot.knowledge.names import NameIndex
from bot.knowledge.store import DrugStore


@dataclass(frozen=True)
class Knowledge:
    store: DrugStore
    names: NameIndex
    mentions: MentionFinder

    @classmethod
    def open(cls, path: Path) -> Knowledge:
        store = DrugStore.open(path)
        names = NameIndex(store)
        return cls(store, names, MentionFinder(names))
