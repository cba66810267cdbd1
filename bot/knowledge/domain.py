"""The one front door to the domain: everything the faces (Discord, console, CLI) ask of it.

Opened once: the read-only drug store, the name index and the chat finder, all under one `Policy`. A face
resolves names, checks a list, scans a message or completes a name through this object, so that a rule
such as "2 to 20 names" and its wording exist once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.knowledge.interactions import check_resolved, split_names
from bot.knowledge.mentions import MentionFinder
from bot.knowledge.models import CheckReport, Resolution, ScanReport
from bot.knowledge.names import DEFAULT_POPULAR, Choice, NameIndex
from bot.knowledge.policy import DEFAULT_POLICY, Policy
from bot.knowledge.store import DrugStore

MIN_NAMES = 2
MAX_NAMES = 20  # a transplant list is often longer than ten
TOO_FEW = "Name at least two medicines, separated by commas or “and”: for example `imuran, allopurinol`."
TOO_MANY = f"Name at most {MAX_NAMES} medicines at a time."


class CheckSizeError(ValueError):
    """A check was asked for fewer than two or more than twenty names; the message says so."""


class Knowledge:
    def __init__(self, store: DrugStore, policy: Policy = DEFAULT_POLICY) -> None:
        self.store = store
        self.policy = policy
        self.names = NameIndex(store, policy)
        self.mentions = MentionFinder(self.names)

    @classmethod
    def open(cls, path: Path, policy: Policy = DEFAULT_POLICY) -> Knowledge:
        """Open the built store at `path` (read-only). Raises StoreError with the fix when it cannot."""
        return cls(DrugStore.open(path), policy)

    def with_policy(self, policy: Policy) -> Knowledge:
        """The same knowledge deciding names by another policy (for tuning runs)."""
        return Knowledge(self.store, policy)

    # Names --------------------------------------------------------------------------------------

    def resolve(self, name: str) -> Resolution:
        """What a typed name means: a drug, a class or a combination, a question, or unknown."""
        return self.names.resolve(name)

    def resolve_choice(self, value: str) -> Resolution:
        """What a slash-command option means: an id picked from autocomplete, or typed text.

        Autocomplete is advisory (a member may type anything), so typed text goes through `resolve`;
        a value that is exactly an id ("azathioprine", "class:nsaids") is taken as chosen.
        """
        resolution = self.names.resolve(value)
        if value in self.store and resolution.drug != value:
            return self.chosen(value)
        return resolution

    def chosen(self, entity: str) -> Resolution:
        """A resolution for an id the reader picked (a button, an autocomplete choice)."""
        return Resolution(
            query=self.store.name(entity),
            status="match",
            drug=entity,
            curated=self.store.is_curated(entity),
            matched_name=self.store.name(entity),
            reason="chosen",
            lookalikes=self.names.lookalike_candidates(entity),
            kind=self.store.kind_of(entity),
        )

    def autocomplete(self, text: str, popular: tuple[str, ...] = DEFAULT_POPULAR) -> list[Choice]:
        return self.names.autocomplete(text, popular)

    # Checks -------------------------------------------------------------------------------------

    def split(self, text: str) -> list[str]:
        """The names in "imuran, allopurinol and bactrim" (see `split_names`)."""
        return split_names(self.names, text)

    def check(self, names: Sequence[str]) -> CheckReport:
        """Check 2 to 20 names together. Raises CheckSizeError with the message to show otherwise."""
        if len(names) < MIN_NAMES:
            raise CheckSizeError(TOO_FEW)
        if len(names) > MAX_NAMES:
            raise CheckSizeError(TOO_MANY)
        return check_resolved(self.store, [self.names.resolve(name) for name in names])

    def check_text(self, text: str) -> CheckReport:
        """`check` for a list written as one line of text."""
        return self.check(self.split(text))

    def scan(self, text: str) -> ScanReport:
        """Medicines named in free text and, when two or more are, their check."""
        return self.mentions.scan(text)
