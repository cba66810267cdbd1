"""Derived tables (`data/derived/*.tsv`, `bench/chat_corpus.tsv`): tab-separated, a header row, and `#`
comment lines above it saying where the data came from. One reader and one writer for all of them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path


def read_table(path: Path) -> list[dict[str, str]]:
    """The rows of a derived table by column name; nothing when the file is absent."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))


def write_table(path: Path, comment: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a derived table: `comment` (one or more lines) as `#` lines, the header, the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(f"# {line}\n" for line in comment.splitlines())
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            written += 1
    return written
