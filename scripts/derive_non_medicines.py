"""Derive data/derived/non-medicines.tsv: dictionary names that are not medicines people take.

The name dictionary (drug-named-entity-recognition, built from DrugBank, MeSH, MedlinePlus and NHS lists)
also holds pharmacological headings ("anti-inflammatory agents, non-steroidal"), pesticides (methoxychlor),
warfare agents (soman), reagents and pollutants. A name on this list is never resolved or suggested as a
medicine. It is derived from public data and can be rerun on current files:

- NLM MeSH pharmacological actions (2023): a substance whose actions include a non-medical one (pesticide,
  warfare agent, reagent...) is listed, and a heading that is itself an action name is listed as a heading;
- US FDA Drugs@FDA Products.txt: any active ingredient of an FDA-approved product is a medicine and is
  never listed (warfarin's MeSH actions include "Rodenticides").

    python scripts/derive_non_medicines.py [MESH_TSV] [PRODUCTS_TXT]
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge.build.derived import write_table  # noqa: E402
from bot.knowledge.build.dictionary import load_dictionary  # noqa: E402
from bot.knowledge.normalise import normalise, strip_salts  # noqa: E402

DATASETS = ROOT.parent / "shared" / "datasets"
DEFAULT_MESH = DATASETS / "mesh-pharmacological-actions" / "mesh_pharmacological_actions_2023.tsv"
DEFAULT_PRODUCTS = DATASETS / "drugsatfda" / "Products.txt"
OUTPUT = ROOT / "data" / "derived" / "non-medicines.tsv"

# An action that says a substance is used outside medicine: one is enough to list it.
NON_MEDICAL = {
    "Insecticides",
    "Herbicides",
    "Fungicides, Industrial",
    "Pesticides",
    "Rodenticides",
    "Acaricides",
    "Molluscacides",
    "Insect Repellents",
    "Chemosterilants",
    "Chemical Warfare Agents",
    "Plant Growth Regulators",
    "Explosive Agents",
    "Environmental Pollutants",
    "Air Pollutants",
    "Water Pollutants, Chemical",
    "Solvents",
    "Detergents",
    "Fluorescent Dyes",
    "Indicators and Reagents",
    "Cross-Linking Reagents",
    "Sulfhydryl Reagents",
    "Fixatives",
    "Uncoupling Agents",
}
# Actions that describe harm, not use: listed only when a substance has no other kind of action.
HARMFUL = {
    "Carcinogens",
    "Carcinogens, Environmental",
    "Mutagens",
    "Teratogens",
    "Poisons",
    "Neurotoxins",
    "Cytotoxins",
}


def fda_ingredients(products: Path) -> set[str]:
    found: set[str] = set()
    with products.open(encoding="latin-1", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            for ingredient in (row.get("ActiveIngredient") or "").split(";"):
                norm = normalise(ingredient)
                found |= {norm, strip_salts(norm)}
    return found


def derive(mesh: Path, products: Path) -> list[tuple[str, str]]:
    actions: dict[str, set[str]] = defaultdict(set)
    headings: set[str] = set()
    with mesh.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            actions[normalise(row["DescriptorName"])].add(row["PharmActionName"])
            headings.add(normalise(row["PharmActionName"]))
    medicines = fda_ingredients(products)
    listed: dict[str, str] = {}
    for canonical in load_dictionary().canonical_names:
        norm = normalise(canonical)
        if norm in medicines or strip_salts(norm) in medicines:
            continue
        mine = actions.get(norm, set())
        if norm in headings:
            listed[canonical] = "pharmacological heading"
        elif mine & NON_MEDICAL:
            listed[canonical] = "; ".join(sorted(mine & NON_MEDICAL))
        elif mine and mine <= HARMFUL:
            listed[canonical] = "; ".join(sorted(mine))
    return sorted(listed.items())


def main() -> int:
    mesh = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MESH
    products = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_PRODUCTS
    for path in (mesh, products):
        if not path.is_file():
            print(f"no file at {path}", file=sys.stderr)
            return 1
    written = write_table(
        OUTPUT,
        "Dictionary names that are not medicines (NLM MeSH 2023 pharmacological actions, converted;\n"
        "Drugs@FDA ingredients kept). Derived by scripts/derive_non_medicines.py; not endorsed by NLM.",
        ["name", "why"],
        derive(mesh, products),
    )
    print(f"wrote {written} names to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
