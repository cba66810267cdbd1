"""Auditing the curated interactions against the VA NDF-RT list (2014, Critical / Significant).

For every NDF-RT pair whose two drugs both have curated entries, the audit asks the store how it answers
that pair. A Critical pair should be answered at major or contraindicated, a Significant pair at
moderate or above, unless the curated data records a reasoned exception: either on the rule itself
(`exception = "..."`) or, when there is deliberately no rule, in `data/audit-exceptions.toml`.
The NDF-RT file is reference data in ../shared/datasets; it is read, never copied into the project.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.domain import Knowledge
from bot.knowledge.interactions import find_interaction
from bot.knowledge.models import Severity

EXPECTED = {"Critical": Severity.MAJOR, "Significant": Severity.MODERATE}


@dataclass(frozen=True)
class AuditRow:
    drugs: tuple[str, str]
    ndfrt_severity: str
    answered: Severity | None
    exception: str

    @property
    def ok(self) -> bool:
        return bool(self.exception) or (
            self.answered is not None and self.answered >= EXPECTED[self.ndfrt_severity]
        )


def read_exceptions(path: Path) -> dict[tuple[str, str], str]:
    if not path.is_file():
        return {}
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    exceptions = {}
    for item in table.get("exception", []):
        a, b = sorted((str(item["a"]), str(item["b"])))
        exceptions[(a, b)] = f"{item['reason']} (source: {item['source']})"
    return exceptions


def audit(knowledge: Knowledge, ndfrt_file: Path, exceptions: dict[tuple[str, str], str]) -> list[AuditRow]:
    """One row per distinct NDF-RT pair whose two drugs are both curated, worst NDF-RT severity kept."""
    names = knowledge.names
    wanted: dict[tuple[str, str], str] = {}
    with ndfrt_file.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            a, b = names.resolve(row["drug1"]), names.resolve(row["drug2"])
            if (
                a.status != "match"
                or b.status != "match"
                or not (a.curated and b.curated)
                or a.drug == b.drug
            ):
                continue
            if a.reason != "exact" or b.reason != "exact" or a.drug is None or b.drug is None:
                continue
            pair = (a.drug, b.drug) if a.drug < b.drug else (b.drug, a.drug)
            if wanted.get(pair) != "Critical":
                wanted[pair] = row["severity"]
    rows = []
    for pair, severity in sorted(wanted.items()):
        found = find_interaction(knowledge.store, *pair)
        exception = found.rule.exception if found and found.rule.exception else exceptions.get(pair, "")
        rows.append(AuditRow(pair, severity, found.severity if found else None, exception))
    return rows


def summarise(rows: list[AuditRow]) -> dict[str, dict[str, int]]:
    """Per NDF-RT severity: pairs with both drugs curated, answered as expected, by exception, short."""
    summary = {}
    for level in EXPECTED:
        mine = [r for r in rows if r.ndfrt_severity == level]
        summary[level] = {
            "pairs": len(mine),
            "as_expected": sum(1 for r in mine if r.ok),
            "by_exception": sum(1 for r in mine if r.exception),
            "short": sum(1 for r in mine if not r.ok),
        }
    return summary
