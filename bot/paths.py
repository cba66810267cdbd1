"""Where the project's files are by default."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_STORE = PROJECT_ROOT / "build" / "drugs.sqlite3"
DEFAULT_COMMUNITY_STORE = (
    PROJECT_ROOT / "data-local" / "community.sqlite3"
)  # per-server state, never committed
SHARED_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"
NDFRT_FILE = SHARED_DATASETS / "ndfrt-interactions" / "ndfrt_va_ddi.tsv"
DRUGSATFDA_PRODUCTS = SHARED_DATASETS / "drugsatfda" / "Products.txt"
