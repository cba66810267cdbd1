"""Reading and validating the curated sources in `data/`.

Every problem is collected (not just the first) and names the file, the entry and, where it can, the
line, so that a reviewer can fix a whole batch in one pass.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.knowledge.models import DrugClass, InteractionRule, Severity, Source
from bot.knowledge.normalise import ROUTE_WORDS, normalise

KINDS = frozenset({"drug", "vaccine", "food", "supplement", "substance"})
LIST_FIELDS = ("uses", "common_side_effects", "serious_side_effects", "cautions", "boxed_warning")
MAX_ITEMS = 8
MAX_SUMMARY = 600
MAX_HOW_IT_WORKS = 200
MAX_COMMON_SIDE_EFFECT = 80
MAX_RULE_LINE = 300
FDA_COMBINATIONS = "derived/fda-combinations.tsv"  # written by scripts/derive_fda_combinations.py
NON_MEDICINES = "derived/non-medicines.tsv"  # written by scripts/derive_non_medicines.py
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# CONTENT.md: no dosing advice, no amounts a reader could act on without a prescriber.
_DOSE_AMOUNT = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|μg|g|ml|units?|iu)\b", re.IGNORECASE)


def dose_amounts(text: str) -> list[str]:
    return _DOSE_AMOUNT.findall(text)


@dataclass(frozen=True)
class Problem:
    file: str
    entry: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}"
        if self.line:
            where += f" (line {self.line})"
        return f"{where}: {self.message}"


class DataError(Exception):
    """The curated sources are not valid; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class CuratedDrug:
    id: str
    name: str
    kind: str
    drug_class: str
    brands: list[str]
    synonyms: list[str]
    misspellings: list[str]
    interaction_classes: list[str]
    summary: str
    uses: list[str]
    how_it_works: str
    common_side_effects: list[str]
    serious_side_effects: list[str]
    cautions: list[str]
    boxed_warning: list[str]
    last_reviewed: str
    sources: list[Source]
    file: str


@dataclass(frozen=True)
class ClassMember:
    """A class member named in the class file (not through its own drug file), with where it is sourced."""

    name: str
    source: str


@dataclass
class ClassDef:
    cls: DrugClass
    extra_members: list[ClassMember]
    file: str
    line: int | None


@dataclass
class Lookalike:
    names: list[str]
    tall_man: list[str]
    line: int | None


@dataclass
class SharedName:
    name: str
    drugs: list[str]
    line: int | None


@dataclass
class Combination:
    """A product that is several medicines in one (Percocet: oxycodone and acetaminophen)."""

    name: str
    brands: list[str]
    synonyms: list[str]
    ingredients: list[str]
    sources: list[Source]
    file: str
    line: int | None


@dataclass
class ClassWord:
    """Everyday words for a class ("NSAIDs", "blood thinners"); several classes make the word ask."""

    words: list[str]
    classes: list[str]
    line: int | None


@dataclass
class Pairing:
    """Two sides prescribed together on purpose (methotrexate + folic acid), with the source saying so."""

    a: str
    b: str
    note: str
    sources: list[Source]
    line: int | None


@dataclass
class ExtraNames:
    """Names for a medicine with no reviewed entry (Imdur for isosorbide mononitrate), with a source."""

    drug: str
    names: list[str]
    source: str
    line: int | None


@dataclass
class CuratedData:
    drugs: dict[str, CuratedDrug] = field(default_factory=dict)
    classes: dict[str, ClassDef] = field(default_factory=dict)
    rules: list[InteractionRule] = field(default_factory=list)
    lookalikes: list[Lookalike] = field(default_factory=list)
    shared_names: list[SharedName] = field(default_factory=list)
    combinations: list[Combination] = field(default_factory=list)
    class_words: list[ClassWord] = field(default_factory=list)
    pairings: list[Pairing] = field(default_factory=list)
    extra_names: list[ExtraNames] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def _table_lines(text: str, header: str) -> list[int]:
    """Line numbers (1-based) of each `[[header]]` in a TOML text, in order."""
    pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(header)}[ \t]*\]\]", re.MULTILINE)
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]


def _key_line(text: str, key: str) -> int | None:
    m = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None


class _Reader:
    """Collects problems while reading one file."""

    def __init__(self, path: Path, root: Path, problems: list[Problem]) -> None:
        self.path = path
        self.name = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
        self.problems = problems
        self.text = ""

    def load(self) -> dict[str, Any] | None:
        try:
            self.text = self.path.read_text(encoding="utf-8")
            return tomllib.loads(self.text)
        except (OSError, UnicodeDecodeError) as exc:
            self.problem("file", f"cannot be read: {exc}")
        except tomllib.TOMLDecodeError as exc:
            self.problem("file", f"is not valid TOML: {exc}")
        return None

    def tables(self, table: dict[str, Any], header: str) -> Iterator[tuple[int, dict[str, Any], int | None]]:
        """Each `[[header]]` table of the file: its number (from 1), its contents and its line."""
        lines = _table_lines(self.text, header)
        for n, item in enumerate(table.get(header, []), start=1):
            yield n, item, lines[n - 1] if n <= len(lines) else None

    def problem(self, entry: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.name, entry, message, line))

    def string(self, table: dict[str, Any], key: str, entry: str, *, required: bool = True) -> str:
        value: object = table.get(key, "")
        if not isinstance(value, str):
            self.problem(entry, f"'{key}' must be text", _key_line(self.text, key))
            return ""
        text = " ".join(value.split())
        if required and not text:
            self.problem(entry, f"'{key}' is missing or empty", _key_line(self.text, key))
        return text

    def strings(self, table: dict[str, Any], key: str, entry: str, *, required: bool = False) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(entry, f"'{key}' must be a list of non-empty texts", _key_line(self.text, key))
            return []
        if required and not value:
            self.problem(entry, f"'{key}' needs at least one item", _key_line(self.text, key))
        return [" ".join(v.split()) for v in value]

    def members(self, table: dict[str, Any], entry: str, line: int | None) -> list[ClassMember]:
        """`extra_members`: each `{ name = "...", source = "..." }`, the source saying why it belongs."""
        members = []
        for item in table.get("extra_members", []):
            if isinstance(item, str) and item.strip():
                self.problem(
                    entry, f"extra member {item!r} needs a source: {{ name = ..., source = ... }}", line
                )
            elif isinstance(item, dict) and str(item.get("name", "")).strip():
                source = " ".join(str(item.get("source", "")).split())
                if not source:
                    self.problem(entry, f"extra member {item['name']!r} needs a 'source'", line)
                members.append(ClassMember(" ".join(str(item["name"]).split()), source))
            else:
                self.problem(entry, "'extra_members' items must be { name = ..., source = ... }", line)
        return members

    def sources(self, value: Any, entry: str, line: int | None) -> list[Source]:
        if not isinstance(value, list) or not value:
            self.problem(entry, "needs at least one source", line)
            return []
        sources = []
        for item in value:
            if not isinstance(item, dict) or not str(item.get("title", "")).strip():
                self.problem(entry, "every source needs a 'title'", line)
                continue
            sources.append(
                Source(
                    title=" ".join(str(item["title"]).split()),
                    publisher=str(item.get("publisher", "")),
                    year=str(item.get("year", "")),
                    sections=str(item.get("sections", "")),
                    url=str(item.get("url", "")),
                )
            )
        return sources


def _read_drug(path: Path, root: Path, problems: list[Problem]) -> CuratedDrug | None:
    reader = _Reader(path, root, problems)
    table = reader.load()
    if table is None:
        return None
    drug_id = table.get("id")
    if not isinstance(drug_id, str) or not drug_id.strip():
        reader.problem("file", "'id' is missing", 1)
        return None
    entry = f"drug '{drug_id}'"
    if drug_id != drug_id.strip().lower() or "  " in drug_id:
        reader.problem(entry, "'id' must be the lower-case generic name", _key_line(reader.text, "id"))
    expected_file = re.sub(r"[^a-z0-9-]", "", drug_id.replace(" ", "-")) + ".toml"
    if path.name != expected_file:
        reader.problem(entry, f"file should be named {expected_file}")
    kind = reader.string(table, "kind", entry)
    if kind and kind not in KINDS:
        reader.problem(entry, f"'kind' must be one of {sorted(KINDS)}", _key_line(reader.text, "kind"))
    last_reviewed = table.get("last_reviewed")
    if not isinstance(last_reviewed, date):
        reader.problem(
            entry, "'last_reviewed' must be a date (YYYY-MM-DD)", _key_line(reader.text, "last_reviewed")
        )
        last_reviewed = None
    drug = CuratedDrug(
        id=drug_id,
        name=reader.string(table, "name", entry, required=False) or drug_id,
        kind=kind,
        drug_class=reader.string(table, "drug_class", entry),
        brands=reader.strings(table, "brands", entry),
        synonyms=reader.strings(table, "synonyms", entry),
        misspellings=reader.strings(table, "misspellings", entry),
        interaction_classes=reader.strings(table, "interaction_classes", entry),
        summary=reader.string(table, "summary", entry),
        uses=reader.strings(table, "uses", entry, required=True),
        how_it_works=reader.string(table, "how_it_works", entry, required=kind == "drug"),
        common_side_effects=reader.strings(table, "common_side_effects", entry, required=kind == "drug"),
        serious_side_effects=reader.strings(table, "serious_side_effects", entry, required=kind == "drug"),
        cautions=reader.strings(table, "cautions", entry),
        boxed_warning=reader.strings(table, "boxed_warning", entry),
        last_reviewed=last_reviewed.isoformat() if last_reviewed else "",
        sources=reader.sources(
            table.get("sources"), entry, next(iter(_table_lines(reader.text, "sources")), None)
        ),
        file=reader.name,
    )
    _check_lengths(reader, drug, entry)
    return drug


def _check_lengths(reader: _Reader, drug: CuratedDrug, entry: str) -> None:
    if len(drug.summary) > MAX_SUMMARY:
        reader.problem(entry, f"summary is {len(drug.summary)} characters (at most {MAX_SUMMARY})")
    sentences = len(_SENTENCE_END.findall(drug.summary))
    if drug.summary and not 2 <= sentences <= 4:
        reader.problem(
            entry, f"summary has {sentences} sentences (2 to 4)", _key_line(reader.text, "summary")
        )
    if len(drug.how_it_works) > MAX_HOW_IT_WORKS:
        reader.problem(entry, f"how_it_works is over {MAX_HOW_IT_WORKS} characters")
    for key in LIST_FIELDS:
        items = getattr(drug, key)
        if len(items) > MAX_ITEMS:
            reader.problem(
                entry, f"'{key}' has {len(items)} items (at most {MAX_ITEMS})", _key_line(reader.text, key)
            )
    texts = [drug.summary, drug.how_it_works, *(item for key in LIST_FIELDS for item in getattr(drug, key))]
    for text in texts:
        for amount in dose_amounts(text):
            reader.problem(entry, f"gives a dose amount ({amount!r}); no dosing advice (CONTENT.md)")
    for item in drug.common_side_effects:
        if len(item) > MAX_COMMON_SIDE_EFFECT:
            reader.problem(
                entry, f"common side effect over {MAX_COMMON_SIDE_EFFECT} characters: {item[:40]!r}..."
            )


def _read_classes(path: Path, root: Path, problems: list[Problem], data: CuratedData) -> None:
    reader = _Reader(path, root, problems)
    table = reader.load()
    if table is None:
        return
    for n, item, line in reader.tables(table, "class"):
        class_id = item.get("id")
        entry = f"class {n}"
        if not isinstance(class_id, str) or not re.fullmatch(r"[a-z0-9-]+", class_id):
            reader.problem(entry, "'id' must be lower case letters, digits and hyphens", line)
            continue
        entry = f"class '{class_id}'"
        if class_id in data.classes:
            reader.problem(entry, f"is already defined in {data.classes[class_id].file}", line)
            continue
        data.classes[class_id] = ClassDef(
            cls=DrugClass(
                id=class_id,
                name=reader.string(item, "name", entry),
                description=reader.string(item, "description", entry, required=False),
                duplicate_therapy=bool(item.get("duplicate_therapy", False)),
            ),
            extra_members=reader.members(item, entry, line),
            file=reader.name,
            line=line,
        )


def _read_rules(path: Path, root: Path, problems: list[Problem], data: CuratedData) -> None:
    reader = _Reader(path, root, problems)
    table = reader.load()
    if table is None:
        return
    for n, item, line in reader.tables(table, "interaction"):
        a, b = item.get("a"), item.get("b")
        entry = f"interaction {n} ({a} + {b})"
        if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
            reader.problem(entry, "'a' and 'b' must both name a drug id or class:<id>", line)
            continue
        try:
            severity = Severity.parse(str(item.get("severity", "")))
        except KeyError:
            reader.problem(
                entry,
                f"bad severity {item.get('severity')!r} (contraindicated, major, moderate, minor)",
                line,
            )
            continue
        rule = InteractionRule(
            a=_side(a),
            b=_side(b),
            severity=severity,
            what_happens=reader.string(item, "what_happens", entry),
            what_to_do=reader.string(item, "what_to_do", entry),
            mechanism=reader.string(item, "mechanism", entry, required=False),
            sources=tuple(reader.sources(item.get("sources"), entry, line)),
            exception=reader.string(item, "exception", entry, required=False),
            origin=f"{reader.name}:{line}" if line else reader.name,
        )
        for key in ("what_happens", "what_to_do"):
            if len(getattr(rule, key)) > MAX_RULE_LINE:
                reader.problem(entry, f"'{key}' is over {MAX_RULE_LINE} characters", line)
        for key in ("what_happens", "what_to_do", "mechanism"):
            for amount in dose_amounts(getattr(rule, key)):
                reader.problem(
                    entry, f"'{key}' gives a dose amount ({amount!r}); no dosing advice (CONTENT.md)", line
                )
        data.rules.append(rule)


def _side(text: str) -> str:
    text = " ".join(text.split())
    return text if text.startswith("class:") else f"drug:{text.lower()}"


def _read_lookalikes(path: Path, root: Path, problems: list[Problem], data: CuratedData) -> None:
    reader = _Reader(path, root, problems)
    table = reader.load()
    if table is None:
        return
    for n, item, line in reader.tables(table, "lookalike"):
        names = reader.strings(item, "names", f"lookalike {n}")
        tall_man = reader.strings(item, "tall_man", f"lookalike {n}")
        if len(names) < 2 or len(tall_man) != len(names):
            reader.problem(
                f"lookalike {n}", "needs two or more 'names' and one 'tall_man' spelling for each", line
            )
            continue
        for name, tall in zip(names, tall_man, strict=True):
            if tall.casefold() != name.casefold():
                reader.problem(f"lookalike {n}", f"tall-man spelling {tall!r} does not spell {name!r}", line)
        data.lookalikes.append(Lookalike(names, tall_man, line))
    for n, item, line in reader.tables(table, "shared_name"):
        name = reader.string(item, "name", f"shared_name {n}")
        drugs = reader.strings(item, "drugs", f"shared_name {n}")
        if len(drugs) < 2:
            reader.problem(f"shared_name {n}", "needs two or more 'drugs'", line)
            continue
        data.shared_names.append(SharedName(name, drugs, line))


def _read_combinations(path: Path, root: Path, problems: list[Problem], data: CuratedData) -> None:
    reader = _Reader(path, root, problems)
    table = reader.load()
    if table is None:
        return
    for n, item, line in reader.tables(table, "combination"):
        entry = f"combination {n} ({item.get('name')})"
        ingredients = reader.strings(item, "ingredients", entry)
        if len(ingredients) < 2:
            reader.problem(entry, "needs two or more 'ingredients'", line)
            continue
        data.combinations.append(
            Combination(
                name=reader.string(item, "name", entry),
                brands=reader.strings(item, "brands", entry),
                synonyms=reader.strings(item, "synonyms", entry),
                ingredients=ingredients,
                sources=reader.sources(item.get("sources"), entry, line),
                file=reader.name,
                line=line,
            )
        )


def _read_class_words(path: Path, root: Path, problems: list[Problem], data: CuratedData) -> None:
    reader = _Reader(path, root, problems)
    table = reader.load()
    if table is None:
        return
    for n, item, line in reader.tables(table, "class_word"):
        entry = f"class_word {n}"
        words = reader.strings(item, "words", entry, required=True)
        classes = reader.strings(item, "classes", entry, required=True)
        for class_id in classes:
            if class_id not in data.classes:
                reader.problem(entry, f"unknown class '{class_id}'", line)
        data.class_words.append(ClassWord(words, classes, line))


def _read_pairings(path: Path, root: Path, problems: list[Problem], data: CuratedData) -> None:
    reader = _Reader(path, root, problems)
    table = reader.load()
    if table is None:
        return
    for n, item, line in reader.tables(table, "pairing"):
        entry = f"pairing {n} ({item.get('a')} + {item.get('b')})"
        a, b = reader.string(item, "a", entry), reader.string(item, "b", entry)
        for side in (_side(a), _side(b)):
            kind, _, ref = side.partition(":")
            if (kind == "drug" and ref not in data.drugs) or (kind == "class" and ref not in data.classes):
                reader.problem(entry, f"unknown {kind} '{ref}'", line)
        note = reader.string(item, "note", entry)
        for amount in dose_amounts(note):
            reader.problem(
                entry, f"'note' gives a dose amount ({amount!r}); no dosing advice (CONTENT.md)", line
            )
        sources = reader.sources(item.get("sources"), entry, line)
        data.pairings.append(Pairing(_side(a), _side(b), note, sources, line))


def _read_names(path: Path, root: Path, problems: list[Problem], data: CuratedData) -> None:
    reader = _Reader(path, root, problems)
    table = reader.load()
    if table is None:
        return
    for n, item, line in reader.tables(table, "names"):
        entry = f"names {n} ({item.get('drug')})"
        data.extra_names.append(
            ExtraNames(
                drug=reader.string(item, "drug", entry),
                names=reader.strings(item, "names", entry, required=True),
                source=reader.string(item, "source", entry),
                line=line,
            )
        )


def read_curated(root: Path) -> tuple[CuratedData, list[Problem]]:
    """Read every curated file under `root` (the `data/` folder). Problems are returned, not raised."""
    problems: list[Problem] = []
    data = CuratedData()
    if not root.is_dir():
        problems.append(Problem(str(root), "folder", "does not exist"))
        return data, problems
    for path in sorted((root / "drugs").glob("*.toml")):
        data.files.append(path)
        drug = _read_drug(path, root, problems)
        if drug is None:
            continue
        if drug.id in data.drugs:
            problems.append(
                Problem(drug.file, f"drug '{drug.id}'", f"id also used by {data.drugs[drug.id].file}")
            )
            continue
        data.drugs[drug.id] = drug
    for path in sorted((root / "classes").glob("*.toml")):
        data.files.append(path)
        _read_classes(path, root, problems, data)
    for path in sorted((root / "interactions").glob("*.toml")):
        data.files.append(path)
        _read_rules(path, root, problems, data)
    for name, read in (
        ("lookalikes.toml", _read_lookalikes),
        ("combinations.toml", _read_combinations),
        ("class-words.toml", _read_class_words),
        ("usual-pairings.toml", _read_pairings),
        ("names.toml", _read_names),
    ):
        path = root / name
        if path.exists():
            data.files.append(path)
            read(path, root, problems, data)
    for derived in (root / FDA_COMBINATIONS, root / NON_MEDICINES):
        if derived.exists():
            data.files.append(derived)
    return data, problems


def curated_aliases(drug: CuratedDrug) -> list[tuple[str, str, str, bool]]:
    """(index form, display text, kind, shortened) for every name of a curated drug.

    Each name is indexed as written (form words kept) and, when that differs, also without its dose-form
    words (`shortened` True), so that "Imuran tablets" and "imuran" both find it.
    """
    named = [(drug.id, "generic"), (drug.name, "generic")]
    named += [(b, "brand") for b in drug.brands]
    named += [(s, "synonym") for s in drug.synonyms]
    named += [(m, "misspelling") for m in drug.misspellings]
    seen: set[str] = set()
    out = []
    for text, kind in named:
        for norm, shortened in name_forms(text):
            if norm not in seen:
                seen.add(norm)
                out.append((norm, text, kind, shortened))
    return out


def name_forms(text: str) -> list[tuple[str, bool]]:
    """(index form, shortened): the name as written, and without its dose-form words ("Imuran tablets"
    -> "imuran"), but never without a route or schedule word ("flu shot" is not "flu")."""
    full, short = normalise(text, keep_forms=True), normalise(text)
    forms = [(full, False)] if full else []
    if short and short != full and not set(full.split()) & ROUTE_WORDS:
        forms.append((short, True))
    return forms
