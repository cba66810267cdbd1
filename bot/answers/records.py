"""The JSON interface: domain results as plain data. This shape is public (see README); keep it stable."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from bot.knowledge.interactions import describe_rule, interactions_of
from bot.knowledge.models import CLASS_PREFIX, CheckReport, FoundInteraction, Resolution, ScanReport
from bot.knowledge.store import DrugStore
from bot.knowledge.wording import DISCLAIMER, check_notes, dictionary_only_sentence


def resolution_record(resolution: Resolution, store: DrugStore) -> dict[str, Any]:
    """One resolution as data. A class match gives the class id as `drug` and lists its `members`; a
    combination lists its `ingredients`."""
    record = {
        "query": resolution.query,
        "status": resolution.status,
        "drug": resolution.drug,
        "curated": resolution.curated,
        "matched_name": resolution.matched_name,
        "candidates": [c.drug for c in resolution.candidates],
        "shown_as": [c.shown_as for c in resolution.candidates],
        "lookalikes": [c.drug for c in resolution.lookalikes],
        "reason": resolution.reason,
        "kind": resolution.kind,
    }
    if resolution.kind == "class" and resolution.drug:
        record["drug"] = resolution.drug.removeprefix(CLASS_PREFIX)
    if resolution.drug and resolution.kind != "drug":
        key = "members" if resolution.kind == "class" else "ingredients"
        record[key] = store.drugs_of(resolution.drug)
    return record


def interaction_record(
    store: DrugStore, found: FoundInteraction, report: CheckReport | None = None
) -> dict[str, Any]:
    rule = found.rule
    record = {
        "drugs": list(found.drugs),
        "severity": rule.severity.word,
        "summary": rule.what_happens,
        "advice": rule.what_to_do,
        "mechanism": rule.mechanism or None,
        "rule": describe_rule(store, rule),
        "sources": [s.cite() for s in rule.sources],
        "also": [
            {"severity": r.severity.word, "summary": r.what_happens, "rule": describe_rule(store, r)}
            for r in found.equally_severe[1:]
        ],
    }
    if report is not None and report.subjects:
        # The names as given that these drugs came from (a class word, a combination, an ambiguous name).
        record["names"] = [report.subjects[i].resolution.query for i in found.between]
    return record


def check_record(store: DrugStore, report: CheckReport) -> dict[str, Any]:
    return {
        "drugs": [resolution_record(r, store) for r in report.resolutions],
        "interactions": [interaction_record(store, f, report) for f in report.interactions],
        "duplicates": [
            {"drugs": list(d.drugs), "names": list(d.names), "reason": d.reason} for d in report.duplicates
        ],
        "unresolved": [r.query for r in report.unresolved],
        "notes": check_notes(report),
        "disclaimer": DISCLAIMER,
    }


def scan_record(store: DrugStore, scan: ScanReport) -> dict[str, Any]:
    check = check_record(store, scan.check) if scan.check else {}
    return {
        "text": scan.text,
        "mentions": [
            {"text": m.text, "start": m.start, "end": m.end, "drug": m.drug, "candidates": list(m.candidates)}
            for m in scan.mentions
        ],
        **{key: check.get(key, []) for key in ("interactions", "duplicates", "notes")},
    }


def drug_record(store: DrugStore, resolution: Resolution) -> dict[str, Any]:
    """`drugbot info --json`: the resolution and, when it matched, the whole card as data."""
    record: dict[str, Any] = {
        "resolution": resolution_record(resolution, store),
        "card": None,
        "disclaimer": DISCLAIMER,
    }
    if resolution.status != "match" or resolution.drug is None:
        return record
    kind = store.kind_of(resolution.drug)
    if kind == "class":
        record["card"] = class_record(store, resolution.drug)
        return record
    drug = store.drug(resolution.drug)
    card = asdict(drug)
    card["sources"] = [asdict(s) for s in drug.sources]
    card["interactions"] = [
        interaction_record(store, f) for d in store.drugs_of(drug.id) for f in interactions_of(store, d)
    ]
    if kind == "combination":
        card["kind"] = "combination"
        card["ingredients"] = store.drugs_of(drug.id)
        card["sources"] = [asdict(s) for s in store.combination_sources(drug.id)]
    elif not drug.curated:
        card["note"] = dictionary_only_sentence(resolution.matched_name or resolution.query, drug.name)
    record["card"] = card
    return record


def class_record(store: DrugStore, class_ref: str) -> dict[str, Any]:
    """A class word's card as data: the class, its members and its rules."""
    cls = store.classes[class_ref.removeprefix(CLASS_PREFIX)]
    side = CLASS_PREFIX + cls.id
    return {
        "id": cls.id,
        "name": cls.name,
        "kind": "class",
        "description": cls.description,
        "members": store.drugs_of(class_ref),
        "rules": [
            {
                "with": store.side_name(rule.b if rule.a == side else rule.a),
                "severity": rule.severity.word,
                "summary": rule.what_happens,
                "advice": rule.what_to_do,
                "sources": [s.cite() for s in rule.sources],
            }
            for rule in sorted(store.rules_by_side.get(side, ()), key=lambda r: -r.severity)
        ],
    }


def about_record(store: DrugStore) -> dict[str, Any]:
    return {
        "data_version": store.meta.get("data_version"),
        "built_at": store.meta.get("built_at"),
        "dictionary_source": store.meta.get("dictionary_source"),
        "counts": store.counts,
        "audit": json.loads(store.meta["audit"]) if "audit" in store.meta else None,
        "sources": [{"title": t, "publisher": p, "url": u, "cited_by": n} for t, p, u, n in store.sources],
        "disclaimer": DISCLAIMER,
    }
