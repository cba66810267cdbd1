"""Rendering an answer as plain text, for the console and the CLI's text output."""

from __future__ import annotations

import re
import textwrap

from bot.answers.model import Answer

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\\*])\*(?!\*)(.+?)(?<!\\)\*")
_UNDERSCORE_ITALIC = re.compile(r"(?<!\\)_(.+?)(?<!\\)_")
_ESCAPE = re.compile(r"\\([*_~`|>\\])")
WIDTH = 100


def plain(text: str) -> str:
    """Markdown emphasis removed and escapes undone: what a reader sees, not how it is marked up."""
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    text = _UNDERSCORE_ITALIC.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text)


def _wrap(text: str, indent: str = "") -> str:
    lines = []
    for line in plain(text).splitlines():
        lines.append(
            textwrap.fill(
                line, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False
            )
            if line
            else ""
        )
    return "\n".join(lines)


def render(answer: Answer) -> str:
    """The answer as text, options numbered so that the console can ask which one."""
    out = [f"== {plain(answer.title)} =="]
    if answer.description:
        out.append(_wrap(answer.description))
    for field in answer.fields:
        out.append("")
        out.append(plain(field.name))
        out.append(_wrap(field.value, "  "))
    if answer.options:
        out.append("")
        out += [f"  [{n}] {plain(option.label)}" for n, option in enumerate(answer.options, start=1)]
    if answer.footer:
        out.append("")
        out.append(_wrap(answer.footer))
    return "\n".join(out)
