"""Plain data shared by the domain: drugs, interaction rules, and what resolution and checks return."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal, NamedTuple


class Severity(IntEnum):
    """Interaction severity; a higher value is worse, so `max()` picks the worst."""

    MINOR = 1
    MODERATE = 2
    MAJOR = 3
    CONTRAINDICATED = 4

    @property
    def word(self) -> str:
        return self.name.lower()

    @property
    def symbol(self) -> str:
        return {4: "⛔", 3: "🔴", 2: "🟠", 1: "🟡"}[self.value]

    @property
    def label(self) -> str:
        """Symbol and word together: meaning never rests on the symbol alone."""
        return f"{self.symbol} {self.word.capitalize()}"

    @classmethod
    def parse(cls, word: str) -> Severity:
        return cls[word.strip().upper()]


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str = ""
    year: str = ""
    sections: str = ""
    url: str = ""

    def cite(self) -> str:
        parts = [self.title]
        if self.year and self.year not in self.title:
            parts.append(self.year)
        if self.sections:
            parts.append(self.sections)
        return ", ".join(parts)


@dataclass(frozen=True)
class Drug:
    """A medicine or other interactant. `curated` is False for names known only from the dictionary."""

    id: str
    name: str
    curated: bool
    kind: str = "drug"
    drug_class: str = ""
    brands: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    summary: str = ""
    uses: tuple[str, ...] = ()
    how_it_works: str = ""
    common_side_effects: tuple[str, ...] = ()
    serious_side_effects: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    boxed_warning: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    last_reviewed: str = ""
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrugClass:
    id: str
    name: str
    description: str = ""
    duplicate_therapy: bool = False


@dataclass(frozen=True)
class InteractionRule:
    """One curated rule. A side is `drug:<id>` or `class:<id>`; the rule is symmetric."""

    a: str
    b: str
    severity: Severity
    what_happens: str
    what_to_do: str
    mechanism: str
    sources: tuple[Source, ...]
    exception: str = ""
    origin: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return rule_key(self.a, self.b)

    @property
    def is_class_rule(self) -> bool:
        return self.a.startswith("class:") or self.b.startswith("class:")


def rule_key(a: str, b: str) -> tuple[str, str]:
    """The order-free key of two sides, so that a rule is found whichever way round it is asked."""
    return (a, b) if a <= b else (b, a)


Status = Literal["match", "ambiguous", "unknown"]
CLASS_PREFIX = "class:"  # an entity id that names a class ("class:nsaids") rather than a drug


@dataclass(frozen=True)
class Candidate:
    drug: str
    name: str
    shown_as: str
    score: float


@dataclass(frozen=True)
class Resolution:
    """What a typed name means. `drug` is set only when status is "match"."""

    query: str
    status: Status
    drug: str | None
    curated: bool
    matched_name: str | None
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""
    lookalikes: tuple[Candidate, ...] = ()
    matched_kind: str = ""  # generic, brand, synonym, misspelling, dictionary or class word
    kind: str = "drug"  # what a match means: a "drug", a "class" of drugs or a "combination" product


@dataclass(frozen=True)
class FoundInteraction:
    """The worst rule that applies to two drugs, and any milder rules that also apply.

    `between` holds the indexes, in a check, of the two names the drugs came from: a class word or a
    combination product stands for several drugs, so one pair of names can give several pairs of drugs.
    """

    drugs: tuple[str, str]
    rule: InteractionRule
    via: str
    also: tuple[InteractionRule, ...] = ()
    between: tuple[int, int] = (0, 0)

    @property
    def equally_severe(self) -> tuple[InteractionRule, ...]:
        """The worst rule and any other rule as severe (citalopram + ondansetron: serotonin and QT)."""
        return (self.rule, *(r for r in self.also if r.severity == self.rule.severity))

    @property
    def severity(self) -> Severity:
        return self.rule.severity


@dataclass(frozen=True)
class Duplicate:
    drugs: tuple[str, ...]
    names: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Subject:
    """A checked name and the drugs it stands for.

    `how` is "drug" (one medicine), "combination" (every ingredient is taken), "class" (any member may
    be meant) or "either" (the name could mean any of several medicines: each is checked).
    """

    resolution: Resolution
    entity: str
    drugs: tuple[str, ...]
    how: Literal["drug", "combination", "class", "either"]


@dataclass(frozen=True)
class CheckReport:
    resolutions: tuple[Resolution, ...]
    interactions: tuple[FoundInteraction, ...]
    duplicates: tuple[Duplicate, ...]
    unresolved: tuple[Resolution, ...]
    no_record: tuple[tuple[str, str], ...]
    subjects: tuple[Subject, ...] = ()
    not_reviewed: tuple[tuple[str, str], ...] = ()  # no rule, and one side has no reviewed entry
    usual: tuple[tuple[str, str, str], ...] = ()  # (a, b, note): combined on purpose, per the labels


class Mention(NamedTuple):
    """A medicine named in free text. `candidates` holds every medicine a name could mean when it could
    mean several ("pred"): the chat check then checks each of them. A named tuple, not a dataclass: one
    is made for every name seen in chat, and a tuple is three times cheaper to make."""

    text: str
    start: int
    end: int
    drug: str
    fuzzy: bool = False
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScanReport:
    text: str
    mentions: tuple[Mention, ...]
    check: CheckReport | None = field(default=None)
