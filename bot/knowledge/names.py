"""Name resolution: what a typed name means, under the safety rules of the design.

1. A query that is exactly a known name never resolves to another drug.
2. A look-alike pair (azaTHIOprine / azaCITIDine) is never crossed silently: if a misspelling is close
   to both, the answer is "ambiguous" with both, in tall-man letters.
3. Fewer than 4 letters: exact names only, otherwise suggestions.
4. Below the cut-off, or too close to call between two drugs: candidates, never a guess.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge.models import Candidate, Resolution
from bot.knowledge.normalise import letter_count, lookup_keys, normalise
from bot.knowledge.policy import DEFAULT_POLICY, Policy
from bot.knowledge.spelling import SpellingIndex, distance, names_digest
from bot.knowledge.store import AliasEntry, DrugStore

AUTOCOMPLETE_LIMIT = 25
CHOICE_LIMIT = 100  # Discord: an autocomplete choice's name and value are at most 100 characters

# What the empty autocomplete offers before a server has its own history: medicines these
# communities ask about most.
DEFAULT_POPULAR = (
    "prednisone",
    "hydroxychloroquine",
    "methotrexate",
    "azathioprine",
    "mycophenolate mofetil",
    "tacrolimus",
    "cyclosporine",
    "sulfasalazine",
    "mesalamine",
    "adalimumab",
    "belimumab",
    "rituximab",
    "ibuprofen",
    "acetaminophen",
    "omeprazole",
    "folic acid",
    "allopurinol",
    "warfarin",
    "trimethoprim-sulfamethoxazole",
    "gabapentin",
    "duloxetine",
    "amlodipine",
    "levothyroxine",
    "vitamin d",
    "alcohol",
)
_KIND_RANK = {"generic": 0, "brand": 1, "synonym": 2, "dictionary": 3, "misspelling": 4}


@dataclass(frozen=True)
class Choice:
    """An autocomplete choice: `label` is shown, `value` (a drug id) is what the command receives."""

    label: str
    value: str


# Words that make a different product of the same brand: "Tylenol 3" has codeine, "Claritin D" has
# pseudoephedrine, "Advil PM" a sleep aid. A fuzzy match may not drop one of them.
PRODUCT_WORDS = frozenset(
    {"d", "dm", "pm", "plus", "forte", "hbp", "cf", "da", "cold", "sinus", "night", "max"}
)


def dropped_product_words(norm: str, alias: str) -> list[str]:
    """Words of a typed name that change the product and that the matched name does not have."""
    kept = set(alias.split())
    return [w for w in norm.split() if (w.isdigit() or w in PRODUCT_WORDS) and w not in kept]


class NameIndex:
    def __init__(self, store: DrugStore, policy: Policy = DEFAULT_POLICY) -> None:
        self.store = store
        self.policy = policy
        self._names = sorted(store.aliases)
        # The build stores the index over exactly these names; anything else (a store built before
        # its last step) is indexed here.
        tables = store.spelling_tables
        self.spelling = (
            SpellingIndex.from_tables(self._names, tables)
            if tables.get("names") == names_digest(self._names)
            else SpellingIndex.build(self._names)
        )
        self.curated_names = [a for a in self._names if any(e.curated for e in store.aliases[a])]
        # A look-alike group spells each of its drugs' own names in tall-man letters; curated groups
        # come first in the store, so their spelling wins over an automatic one.
        self._tall_man: dict[str, str] = {}
        for drug_id, others in store.lookalikes.items():
            own_name = normalise(store.name(drug_id))
            for other in others:
                for mine in store.lookalikes.get(other.drug, ()):
                    if mine.drug == drug_id and mine.name == own_name:
                        self._tall_man.setdefault(drug_id, mine.tall_man)

    # Display ------------------------------------------------------------------------------------

    def shown_as(self, drug_id: str) -> str:
        """The drug's name, in tall-man letters when it has a known look-alike."""
        return self._tall_man.get(drug_id) or self.store.name(drug_id)

    def _candidate(self, drug_id: str, score: float, name: str | None = None) -> Candidate:
        return Candidate(drug_id, name or self.store.name(drug_id), self.shown_as(drug_id), round(score, 1))

    def lookalike_candidates(self, drug_id: str) -> tuple[Candidate, ...]:
        seen: dict[str, Candidate] = {}
        for other in self.store.lookalikes.get(drug_id, ()):
            seen.setdefault(
                other.drug, Candidate(other.drug, self.store.name(other.drug), other.tall_man, 0.0)
            )
        return tuple(seen.values())

    # Resolution ---------------------------------------------------------------------------------

    def resolve(self, query: str) -> Resolution:
        norm = normalise(query)
        if not norm:
            return Resolution(query, "unknown", None, False, None, reason="empty")
        for key in lookup_keys(query):
            entries = self.store.aliases.get(key)
            if entries:
                return self._exact(query, entries)
        if letter_count(norm) < self.policy.min_fuzzy_letters:
            return Resolution(query, "unknown", None, False, None, self._prefix_candidates(norm), "too short")
        return self._fuzzy(query, norm)

    def is_known_name(self, text: str) -> bool:
        """True when `text` is exactly a name in the index (no fuzzy matching)."""
        return any(key in self.store.aliases for key in lookup_keys(text))

    def _exact(self, query: str, entries: list[AliasEntry]) -> Resolution:
        drugs = list(dict.fromkeys(e.drug for e in entries))
        if len(drugs) > 1:
            candidates = tuple(self._candidate(d, 100.0) for d in drugs)
            return Resolution(query, "ambiguous", None, False, entries[0].display, candidates, "shared name")
        return self._match(query, entries[0], "exact")

    def _match(self, query: str, entry: AliasEntry, reason: str) -> Resolution:
        # A misspelling is never shown as a name: the reader sees the medicine's own name instead.
        matched = self.store.name(entry.drug) if entry.kind == "misspelling" else entry.display
        return Resolution(
            query,
            "match",
            entry.drug,
            self.store.is_curated(entry.drug),
            matched,
            reason=reason,
            lookalikes=self.lookalike_candidates(entry.drug),
            matched_kind=entry.kind,
            kind=self.store.kind_of(entry.drug),
        )

    def prior(self, drug_id: str) -> float:
        """How much nearer a medicine counts because patients are likely to mean it."""
        if self.store.is_curated(drug_id):
            return self.policy.prior_reviewed
        popularity = self.store.popularity.get(drug_id)
        if popularity is None:
            return 0.0
        return self.policy.prior_marketed + self.policy.prior_popular * popularity

    def _near_drugs(self, norm: str, within: float) -> list[tuple[str, float, str]]:
        """(drug, errors, the name it is nearest by) for drugs with a name within `within` errors of
        `norm`, likeliest first (errors less the prior)."""
        best: dict[str, tuple[float, str]] = {}
        for alias, errors in self.spelling.near(norm, within).items():
            for entry in self.store.aliases[alias]:
                if entry.drug not in best or errors < best[entry.drug][0]:
                    best[entry.drug] = (errors, alias)
        ranked = sorted(best.items(), key=lambda kv: (kv[1][0] - self.prior(kv[0]), kv[1][0], kv[0]))
        return [(drug, errors, alias) for drug, (errors, alias) in ranked]

    def _errors_from(self, norm: str, drug_id: str) -> float:
        """The fewest errors between `norm` and any name of `drug_id`."""
        names = [alias for alias, _ in self.store.names_of.get(drug_id, ())]
        return min((distance(norm, name) for name in names), default=float("inf"))

    def resolve_misspelling(self, text: str, allowed: float) -> Resolution:
        """What a word that is not a known name means, allowing `allowed` errors (the chat finder's
        stricter measure; see MentionFinder)."""
        norm = normalise(text)
        return self._fuzzy(text, norm, allowed)

    def _fuzzy(self, query: str, norm: str, allowed: float | None = None) -> Resolution:
        if allowed is None:
            allowed = self.policy.allowed(letter_count(norm))
        near = self._near_drugs(norm, allowed + self.policy.lead)
        if not near or near[0][1] > allowed:
            return Resolution(
                query, "unknown", None, False, None, self._suggestions(norm, near), "below cut-off"
            )
        drug_id, errors, alias = near[0]
        if dropped_product_words(norm, alias) or len(norm.split()) > len(alias.split()):
            # "tylenol 3" is not Tylenol, "claritin d" is not Claritin, and a word more is a different
            # name: never answer with part of what was typed.
            return Resolution(
                query, "unknown", None, False, None, self._top(near), "part of the name not matched"
            )
        # Every other medicine close enough that it may be what was meant. A known look-alike is measured
        # directly (it need not be among the nearest) and needs the wider lead.
        likeliness = errors - self.prior(drug_id)
        partners = {c.drug for c in self.lookalike_candidates(drug_id)}
        rivals = {
            p: e for p in partners if (e := self._errors_from(norm, p)) - errors < self.policy.lookalike_lead
        }
        for other, other_errors, _ in near[1:]:
            # A rival: nearly as likely, or spelled closer by a whole error (the prior breaks ties; it
            # never silently outweighs a real difference in spelling).
            close_call = other_errors - self.prior(other) - likeliness < self.policy.lead
            if other not in rivals and (close_call or other_errors <= errors - 1):
                rivals[other] = other_errors
        if rivals:
            ranked = sorted(rivals.items(), key=lambda kv: kv[1])
            candidates = (self._candidate(drug_id, errors), *(self._candidate(d, e) for d, e in ranked))
            reason = "look-alike" if partners & rivals.keys() else "too close to call"
            return Resolution(
                query, "ambiguous", None, False, None, candidates[: self.policy.max_suggestions], reason
            )
        entry = next(e for e in self.store.aliases[alias] if e.drug == drug_id)
        return self._match(query, entry, f"fuzzy: {errors:g} error(s)")

    def _top(self, near: list[tuple[str, float, str]]) -> tuple[Candidate, ...]:
        return tuple(self._candidate(d, e) for d, e, _ in near[: self.policy.max_suggestions])

    def _suggestions(self, norm: str, near: list[tuple[str, float, str]]) -> tuple[Candidate, ...]:
        """ "Did you mean": reviewed medicines that start with what was typed ("metho": methotrexate,
        methocarbamol), then the nearest names, at most five."""
        started = [c for c in self._prefix_candidates(norm) if self.store.is_curated(c.drug)]
        close = [c for c in self._top(near) if c.drug not in {s.drug for s in started}]
        return tuple([*started, *close][: self.policy.max_suggestions])

    def _prefix_candidates(self, norm: str) -> tuple[Candidate, ...]:
        drugs = [c.value for c in self._prefix_choices(norm, self.policy.max_suggestions)]
        return tuple(self._candidate(d, 0.0) for d in drugs)

    # Autocomplete -------------------------------------------------------------------------------

    def _label(self, drug_id: str, alias: str) -> str:
        entries = [e for e in self.store.aliases[alias] if e.drug == drug_id]
        name = self.shown_as(drug_id)
        if (
            not entries
            or entries[0].kind in ("generic", "misspelling")
            or normalise(entries[0].display) == normalise(name)
        ):
            label = name
        else:
            label = f"{entries[0].display} ({name})"
        return label if len(label) <= CHOICE_LIMIT else label[: CHOICE_LIMIT - 1] + "…"

    def _prefix_choices(self, norm: str, limit: int) -> list[Choice]:
        # Reviewed names rank before dictionary ones, so when they alone fill the list (a short prefix)
        # the 100,000 other names need not be looked at; a name typed exactly always counts.
        hits = self._prefix_hits(self.curated_names, norm)
        if len({drug for _, drug, _ in hits}) < limit:
            hits = self._prefix_hits(self._names, norm)
        elif norm in self.store.aliases:
            hits += [((0, 0 if e.curated else 1, 0, 0), e.drug, norm) for e in self.store.aliases[norm]]
        hits.sort()
        return self._choices(((drug, alias) for _, drug, alias in hits), limit)

    def _prefix_hits(self, names: list[str], norm: str) -> list[tuple[tuple[int, int, int, int], str, str]]:
        start = bisect.bisect_left(names, norm)
        hits: list[tuple[tuple[int, int, int, int], str, str]] = []
        for position in range(start, len(names)):  # no copy of the list, no skipping through it
            alias = names[position]
            if not alias.startswith(norm):
                break
            for entry in self.store.aliases[alias]:
                rank = (
                    0 if alias == norm else 1,
                    0 if entry.curated else 1,
                    _KIND_RANK.get(entry.kind, 5),
                    len(alias),
                )
                hits.append((rank, entry.drug, alias))
            if len(hits) > 4000:  # a one-letter prefix: enough to rank the best
                break
        return hits

    def _choices(
        self, pairs: Iterable[tuple[str, str]], limit: int, taken: Iterable[str] = ()
    ) -> list[Choice]:
        """Choices for (drug, name) pairs in order, one per drug, none of `taken`, at most `limit`."""
        seen: set[str] = set(taken)
        out: list[Choice] = []
        for drug_id, alias in pairs:
            if len(out) >= limit:
                break
            if drug_id in seen or len(drug_id) > CHOICE_LIMIT:
                continue
            seen.add(drug_id)
            out.append(Choice(self._label(drug_id, alias), drug_id))
        return out

    def autocomplete(self, text: str, popular: tuple[str, ...] = DEFAULT_POPULAR) -> list[Choice]:
        """Up to 25 choices for what has been typed so far; `popular` fills an empty box."""
        return list(self._autocomplete(normalise(text), popular))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one index lives as long as the process
    def _autocomplete(self, norm: str, popular: tuple[str, ...]) -> tuple[Choice, ...]:
        # Members type the same first letters over and over: short prefixes are the slowest to rank.
        return tuple(self._rank_choices(norm, popular))

    def _rank_choices(self, norm: str, popular: tuple[str, ...]) -> list[Choice]:
        if not norm:
            return [Choice(self._label(d, d), d) for d in popular if d in self.store][:AUTOCOMPLETE_LIMIT]
        choices = self._prefix_choices(norm, AUTOCOMPLETE_LIMIT)
        if len(choices) < AUTOCOMPLETE_LIMIT and letter_count(norm) >= 3:
            # A misspelled beginning ("imurn", "plaqu"): reviewed names whose beginning is close to it.
            beginnings = [name[: len(norm)] for name in self.curated_names]
            fuzzy = process.extract(norm, beginnings, scorer=fuzz.ratio, limit=60, score_cutoff=75)
            names = (self.curated_names[i] for _, _, i in fuzzy)
            pairs = ((e.drug, alias) for alias in names for e in self.store.aliases[alias])
            choices += self._choices(pairs, AUTOCOMPLETE_LIMIT - len(choices), (c.value for c in choices))
        return choices[:AUTOCOMPLETE_LIMIT]
