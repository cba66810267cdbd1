"""Every `drugbot` example in the README runs as written (with the project's `.venv/bin/drugbot`)."""

from __future__ import annotations

import re
import shlex

import pytest

from bot.paths import PROJECT_ROOT
from tests.test_cli import drugbot

EXAMPLES = re.findall(r"^\$ \.venv/bin/drugbot (.+)$", (PROJECT_ROOT / "README.md").read_text(), re.MULTILINE)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_readme_example_runs(example: str) -> None:
    result = drugbot(*shlex.split(example))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_the_env_example_names_only_real_commands_and_settings() -> None:
    text = (PROJECT_ROOT / ".env.example").read_text()
    assert "drugbot sync" not in text
    keys = re.findall(r"^([A-Z_]+)=", text, re.MULTILINE)
    from bot.settings import Settings

    Settings.from_mapping({k: "" for k in keys})  # every key is one the settings read (none rejected)
    settings_source = (PROJECT_ROOT / "bot" / "settings.py").read_text()
    for key in keys:
        assert f'"{key}"' in settings_source, key
