"""The bot's faces on Discord, one package per feature (drugs, checks, about): each package's cog owns
its commands, context menus and buttons, and its `setup` adds the cog. Extensions are discovered, not
listed: a new package with a `setup` is loaded at start-up."""

from __future__ import annotations

import pkgutil


def extensions() -> list[str]:
    """Every feature package under bot.exts, by module name, in a stable order."""
    return sorted(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__) if m.ispkg)
