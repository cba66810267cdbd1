"""Derive data/derived/fda-combinations.tsv from a Drugs@FDA Products.txt file.

Drugs@FDA (US FDA, public domain) lists every approved product with its active ingredients; a product
with two or more ingredients is a combination ("PERCOCET": "ACETAMINOPHEN; OXYCODONE HYDROCHLORIDE").
The drug store build reads the compact table this script writes, so that a clone without the reference
datasets still knows combination products. Rerun it on the current file from
https://www.fda.gov/drugs/drug-approvals-and-databases/drugsfda-data-files:

    python scripts/derive_fda_combinations.py [PATH/TO/Products.txt]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge.build.derived import write_table  # noqa: E402

DEFAULT_PRODUCTS = ROOT.parent / "shared" / "datasets" / "drugsatfda" / "Products.txt"
OUTPUT = ROOT / "data" / "derived" / "fda-combinations.tsv"
COMMENT = (
    "Combination products from Drugs@FDA Products.txt (US FDA, public domain; snapshot of 2022).\n"
    "Derived by scripts/derive_fda_combinations.py: product name, then its active ingredients."
)


def derive(products: Path) -> list[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    with products.open(encoding="latin-1", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            ingredients = [i.strip() for i in (row.get("ActiveIngredient") or "").split(";") if i.strip()]
            name = " ".join((row.get("DrugName") or "").split())
            if len(set(ingredients)) >= 2 and name:
                pairs.add((name.upper(), "; ".join(sorted({i.upper() for i in ingredients}))))
    return sorted(pairs)


def main() -> int:
    products = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PRODUCTS
    if not products.is_file():
        print(f"no Drugs@FDA Products.txt at {products}", file=sys.stderr)
        return 1
    written = write_table(OUTPUT, COMMENT, ["product", "ingredients"], derive(products))
    print(f"wrote {written} combination products to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
