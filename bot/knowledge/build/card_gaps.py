"""Rule gaps the cards describe: a reviewed card that names another medicine with no rule between them.

A card saying "tell your doctor before taking gemfibrozil" while a check of the two says "no record" is
a contradiction a patient cannot resolve. The build lists every such gap; each must be closed with a rule
or recorded, with its reason and source, in `data/card-mention-exceptions.toml`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.domain import Knowledge
from bot.knowledge.interactions import find_interaction

EXCEPTIONS_FILE = "card-mention-exceptions.toml"


@dataclass(frozen=True)
class CardGap:
    drug: str
    named: str  # the medicine (or class) the card names
    where: str  # which text names it
    text: str


def read_card_exceptions(path: Path) -> dict[tuple[str, str], str]:
    """(drug, name) -> reason; drug "*" records a name that no card's cautions use as a medicine
    ("potassium" in "low potassium" is a blood level, not the supplement)."""
    if not path.is_file():
        return {}
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        (str(item["drug"]), str(item["names"])): f"{item['reason']} (source: {item['source']})"
        for item in table.get("exception", [])
    }


def card_gaps(knowledge: Knowledge, exceptions: dict[tuple[str, str], str]) -> list[CardGap]:
    """Every (reviewed drug, medicine its card names) pair with no rule and no recorded exception."""
    store, finder = knowledge.store, knowledge.mentions
    gaps: dict[tuple[str, str], CardGap] = {}
    for drug_id in store.curated_ids():
        drug = store.drug(drug_id)
        # The cautions are where a card tells a reader what not to combine; a summary or a rule's text
        # names other medicines for other reasons (alternatives, examples of a class).
        texts = [("cautions", t) for t in (*drug.boxed_warning, *drug.cautions)]
        own = set(store.drugs_of(drug_id))
        for where, text in texts:
            for mention in finder.find(text):
                if mention.fuzzy or mention.candidates:
                    continue
                named = mention.drug
                members = set(store.drugs_of(named)) - own
                if not members or not all(store.is_curated(m) for m in store.drugs_of(named)[:1]):
                    continue
                if drug_id in store.drugs_of(named) and store.kind_of(named) == "class":
                    continue  # "other NSAIDs" on an NSAID's card: its own class
                recorded = {(d, n) for d in (drug_id, "*") for n in (store.name(named), named)}
                if recorded & exceptions.keys():
                    continue
                if not any(find_interaction(store, drug_id, m) for m in members):
                    gaps.setdefault((drug_id, named), CardGap(drug_id, named, where, text))
    return sorted(gaps.values(), key=lambda g: (g.drug, g.named))
