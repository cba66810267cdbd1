"""Labelled name sets to tune and test name resolution on, each split into a tuning part and a test part.

- `patient_misspellings`: real Reddit misspellings of 1,270 medicines, the training split in
  ../shared/datasets/patient-misspellings-train (the medicines this project reviews are not in it; the
  project is measured elsewhere on the part it does not hold). Read at run time, never copied into the
  project. Split by medicine (half of the medicines to tune on, the other half to test).
- `one edit` / `two edits`: misspellings generated from every reviewed generic and brand name (a letter
  dropped, doubled, swapped, replaced by a keyboard neighbour or any letter), tuning and test parts from
  different random seeds.
- `phonetic`: reviewed names respelled as they sound ("perkoset", "zanex"), split by medicine.
- `handwritten`: brand and generic misspellings written for this project, split in two by hand.
- `look-alikes`: one-edit variants of each name in a look-alike group: answering the other medicine
  of the group is a crossing, which must never happen.

A query that is exactly a known name is left out (an exact name is never crossed, by rule), and so is a
training-split row whose medicine the store does not know.
"""

from __future__ import annotations

import csv
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.domain import Knowledge
from bot.knowledge.normalise import lookup_keys
from bot.knowledge.store import DrugStore

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
TRAINING_SPLIT = SHARED / "patient-misspellings-train" / "misspellings_train.tsv"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


@dataclass(frozen=True)
class Query:
    typed: str
    drug: str  # the medicine meant ("" when the right answer is to ask)
    kind: str  # where it came from (e.g. "edOne", "misspellingPhon", "drop", "phonetic")


def is_known(store: DrugStore, text: str) -> bool:
    return any(key in store.aliases for key in lookup_keys(text))


def _known_drug(store: DrugStore, name: str) -> str | None:
    for key in lookup_keys(name):
        drugs = {e.drug for e in store.aliases.get(key, ())}
        if len(drugs) == 1:
            return drugs.pop()
    return None


def _half(key: str) -> str:
    return "tune" if zlib.crc32(key.encode()) % 2 == 0 else "test"


def patient_misspellings(store: DrugStore, part: str) -> list[Query]:
    """The training split's rows for the medicines in `part` ("tune" or "test"); [] without ../shared."""
    if not TRAINING_SPLIT.is_file():
        return []
    queries = []
    with TRAINING_SPLIT.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if _half(row["drugbank_id"]) != part or is_known(store, row["typed"]):
                continue
            names = [row["intended"], *row["known_names"].split("|")]
            drug = next((d for d in map(lambda n: _known_drug(store, n), names) if d), None)
            if drug is not None:
                queries.append(Query(row["typed"], drug, row["kind"]))
    return queries


def reviewed_names(store: DrugStore) -> Iterator[tuple[str, str]]:
    """(name, drug) for every reviewed medicine's generic and brand names of 5+ letters."""
    for drug in store.curated_ids():
        if store.kind_of(drug) != "drug":
            continue
        for alias, entry in store.names_of.get(drug, ()):
            if entry.kind in ("generic", "brand") and len(alias) >= 5 and alias.replace(" ", "").isalpha():
                yield alias, drug


def _neighbour(letter: str, rng: random.Random) -> str:
    for row in KEYBOARD:
        i = row.find(letter)
        if i >= 0:
            return rng.choice([row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)])
    return rng.choice(LETTERS)


def edit(name: str, rng: random.Random) -> tuple[str, str]:
    """One typing error: (the misspelling, what kind of error)."""
    i = rng.randrange(len(name))
    kind = rng.choice(["drop", "double", "swap", "neighbour", "replace"])
    if kind == "drop":
        return name[:i] + name[i + 1 :], kind
    if kind == "double":
        return name[:i] + name[i] + name[i:], kind
    if kind == "swap" and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :], kind
    if kind == "neighbour":
        return name[:i] + _neighbour(name[i], rng) + name[i + 1 :], kind
    return name[:i] + rng.choice(LETTERS) + name[i + 1 :], "replace"


def generated(store: DrugStore, part: str, edits: int) -> list[Query]:
    rng = random.Random(f"{part}-{edits}")
    queries = []
    for name, drug in reviewed_names(store):
        typed, kind = name, ""
        for _ in range(edits):
            typed, kind = edit(typed, rng)
        if typed.strip() and not is_known(store, typed):
            queries.append(Query(typed, drug, kind))
    return queries


# How patients spell what they hear: each rule is applied at one place where it fits.
RESPELLINGS = [
    ("ph", "f"),
    ("f", "ph"),
    ("x", "z"),
    ("z", "x"),
    ("c", "k"),
    ("k", "c"),
    ("qu", "kw"),
    ("y", "i"),
    ("i", "y"),
    ("ee", "ea"),
    ("ine", "een"),
    ("ine", "ene"),
    ("one", "own"),
    ("ol", "al"),
    ("er", "ur"),
    ("tion", "shun"),
    ("ce", "se"),
    ("s", "z"),
    ("ck", "k"),
    ("ll", "l"),
    ("tt", "t"),
    ("a", "e"),
    ("o", "a"),
]


def phonetic(store: DrugStore, part: str) -> list[Query]:
    rng = random.Random(f"phonetic-{part}")
    queries = []
    for name, drug in reviewed_names(store):
        if _half(drug) != part:
            continue
        rules = [(a, b) for a, b in RESPELLINGS if a in name]
        if not rules:
            continue
        a, b = rng.choice(rules)
        starts = [i for i in range(len(name)) if name.startswith(a, i)]
        i = rng.choice(starts)
        typed = name[:i] + b + name[i + len(a) :]
        if not is_known(store, typed):
            queries.append(Query(typed, drug, "phonetic"))
    return queries


# Written for this project from how brand and generic names get typed (with "" where asking is the right
# answer: a truncation or a look-alike), alternately in the two halves. The last few are the issue's
# own examples, so they fall on both sides.
HANDWRITTEN_TUNE = [
    ("azathiaprine", "azathioprine"),
    ("imurann", "azathioprine"),
    ("methotrexite", "methotrexate"),
    ("hydroxycloroqine", "hydroxychloroquine"),
    ("plaquanil", "hydroxychloroquine"),
    ("mycophenolat", ""),
    ("mycophenalate", ""),
    ("cytoxen", "cyclophosphamide"),
    ("azulfidin", "sulfasalazine"),
    ("zylopryme", "allopurinol"),
    ("humirra", "adalimumab"),
    ("hummira", "adalimumab"),
    ("enbrill", "etanercept"),
    ("alprazolem", "alprazolam"),
    ("percoset", "oxycodone and acetaminophen"),
    ("percoct", "oxycodone and acetaminophen"),
    ("nurontin", "gabapentin"),
    ("lyricca", "pregabalin"),
    ("prednisine", ""),
    ("ritaxan", "rituximab"),
    ("remicad", "infliximab"),
    ("infliximub", "infliximab"),
    ("stelarah", "ustekinumab"),
    ("tysabrie", "natalizumab"),
    ("ocravus", "ocrelizumab"),
    ("lexapo", "escitalopram"),
    ("wellbutran", "bupropion"),
    ("eliquas", "apixaban"),
    ("tylenoll", "acetaminophen"),
    ("advill", "ibuprofen"),
    ("naproxon", "naproxen"),
    ("ambiem", "zolpidem"),
    ("cypro", "ciprofloxacin"),
    ("prografe", "tacrolimus"),
    ("tecfiderra", "dimethyl fumarate"),
    ("prozack", "fluoxetine"),
    ("vicoden", "hydrocodone and acetaminophen"),
    ("ultramm", "tramadol"),
    ("otezzla", "apremilast"),
    ("baricitinob", "baricitinib"),
    ("orensia", "abatacept"),
    ("simponie", "golimumab"),
    ("fingolimud", "fingolimod"),
    ("maysent", "siponimod"),
    ("zithromaxx", "azithromycin"),
    ("enbryl", "etanercept"),
    ("zanex", "alprazolam"),
    ("perkoset", "oxycodone and acetaminophen"),
    ("cupro", "ciprofloxacin"),
]
HANDWRITTEN_TEST = [
    ("azathoprine", "azathioprine"),
    ("imuron", "azathioprine"),
    ("otrexupp", "methotrexate"),
    ("plaqenil", "hydroxychloroquine"),
    ("plaquenell", "hydroxychloroquine"),
    ("micofenolate", ""),
    ("celcep", "mycophenolate mofetil"),
    ("azulfidene", "sulfasalazine"),
    ("zyloprin", "allopurinol"),
    ("decadronn", "dexamethasone"),
    ("humiraa", "adalimumab"),
    ("enbral", "etanercept"),
    ("xanexx", "alprazolam"),
    ("ativann", "lorazepam"),
    ("percocett", "oxycodone and acetaminophen"),
    ("neurotin", "gabapentin"),
    ("gabapentim", "gabapentin"),
    ("cymbaltta", "duloxetine"),
    ("benlysra", "belimumab"),
    ("rituxmab", "rituximab"),
    ("remacade", "infliximab"),
    ("stelarra", "ustekinumab"),
    ("entyvyo", "vedolizumab"),
    ("ocrevuss", "ocrelizumab"),
    ("zolaft", "sertraline"),
    ("lexaproo", "escitalopram"),
    ("cumadine", "warfarin"),
    ("levothyroxyne", "levothyroxine"),
    ("tyenol", "acetaminophen"),
    ("ibuprofon", "ibuprofen"),
    ("ambienn", "zolpidem"),
    ("ciproo", "ciprofloxacin"),
    ("ciproflaxacin", "ciprofloxacin"),
    ("copaxxone", "glatiramer"),
    ("zoloff", "sertraline"),
    ("nexxium", "esomeprazole"),
    ("tramadoll", "tramadol"),
    ("norcoo", "hydrocodone and acetaminophen"),
    ("tofacitinob", "tofacitinib"),
    ("actemara", "tocilizumab"),
    ("abatasept", "abatacept"),
    ("cimsia", "certolizumab pegol"),
    ("aubagyo", "teriflunomide"),
    ("diflucann", "fluconazole"),
    ("hunira", "adalimumab"),
    ("xanaz", "alprazolam"),
    ("adivan", "lorazepam"),
    ("anbien", "zolpidem"),
]


def handwritten(store: DrugStore, part: str) -> list[Query]:
    pairs = HANDWRITTEN_TUNE if part == "tune" else HANDWRITTEN_TEST
    return [Query(t, d, "handwritten") for t, d in pairs if (not d or d in store) and not is_known(store, t)]


def lookalike_variants(store: DrugStore, part: str) -> list[Query]:
    """One-edit variants of look-alike names; `drug` is the medicine it was made from."""
    rng = random.Random(f"lookalike-{part}")
    queries = []
    for drug, others in sorted(store.lookalikes.items()):
        if _half(drug) != part:
            continue
        for alias, entry in store.names_of.get(drug, ()):
            if entry.kind not in ("generic", "brand") or len(alias) < 5 or not others:
                continue
            for _ in range(3):
                typed, _ = edit(alias, rng)
                if not is_known(store, typed):
                    queries.append(Query(typed, drug, "look-alike"))
    return queries


def sets(knowledge: Knowledge, part: str) -> dict[str, list[Query]]:
    store = knowledge.store
    return {
        "Reddit misspellings": patient_misspellings(store, part),
        "one edit": generated(store, part, 1),
        "two edits": generated(store, part, 2),
        "phonetic": phonetic(store, part),
        "handwritten": handwritten(store, part),
    }
