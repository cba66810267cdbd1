"""Shared fixtures: the real built drug store, opened once per test session.

`make test` builds the store from data/ before running the tests. Tests that need a store of their own
(the build's validation errors) build one from a small data folder in a temporary directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.knowledge.domain import Knowledge
from bot.paths import DEFAULT_STORE, PROJECT_ROOT

SHARED_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"


def store_path() -> Path:
    return Path(os.environ.get("DRUG_STORE_PATH") or DEFAULT_STORE)


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    path = store_path()
    if not path.is_file():
        pytest.fail(f"no drug store at {path}: run `make test` (it builds the store first)")
    return Knowledge.open(path)
