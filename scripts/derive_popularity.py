"""Derive data/derived/popularity.tsv: which medicine names are sold in the US, and how often taken.

Two public-domain US government sources:
- Medicare Part D Spending by Drug 2023 (CMS): claims per brand name and per generic name;
- Drugs@FDA Products.txt with MarketingStatus.txt (FDA): names of products on the market
  (prescription or over the counter, not discontinued), brand names and active ingredients.

The drug store build turns this table into the resolver's prior (bot/knowledge/names.py): a medicine
on the US market counts as a little likelier than a dictionary-only name, and more so the more it is
taken. Names are lower case with runs of spaces and punctuation as one space; claims are summed over
the rows naming them (0: on the market, no Part D claims). Rerun on current files:

    python scripts/derive_popularity.py [PART_D.tsv] [DRUGSATFDA_FOLDER]
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge.build.derived import write_table  # noqa: E402

SHARED = ROOT.parent / "shared" / "datasets"
DEFAULT_PART_D = SHARED / "medicare-part-d-2023" / "part_d_spending_by_drug_2023.tsv"
DEFAULT_FDA = SHARED / "drugsatfda"
OUTPUT = ROOT / "data" / "derived" / "popularity.tsv"
COMMENT = (
    "Medicine names on the US market and their Medicare Part D claims in 2023.\n"
    "Sources: CMS Medicare Part D Spending by Drug 2023 and FDA Drugs@FDA (2022), both public domain.\n"
    "Derived by scripts/derive_popularity.py: name (lower case), claims (0: marketed, no Part D claims)."
)
MARKETED = {"1", "2"}  # MarketingStatus: 1 prescription, 2 over the counter (3 discontinued, 4 none)


def plain(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


def part_d(path: Path) -> Counter[str]:
    claims: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            count = int(float(row["total_claims_2023"] or 0))
            for name in {plain(row["brand_name"]), plain(row["generic_name"])}:
                if name:
                    claims[name] += count
    return claims


def marketed(folder: Path) -> set[str]:
    status = {}
    with (folder / "MarketingStatus.txt").open(encoding="latin-1", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            status[(row["ApplNo"], row["ProductNo"])] = row["MarketingStatusID"]
    names = set()
    with (folder / "Products.txt").open(encoding="latin-1", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if status.get((row["ApplNo"], row["ProductNo"])) in MARKETED:
                names.add(plain(row["DrugName"]))
                names.update(plain(i) for i in row["ActiveIngredient"].split(";"))
    return {n for n in names if n}


def main() -> int:
    part_d_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PART_D
    fda = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_FDA
    if not part_d_path.is_file() or not (fda / "Products.txt").is_file():
        print(f"need {part_d_path} and {fda}/Products.txt", file=sys.stderr)
        return 1
    claims = part_d(part_d_path)
    for name in marketed(fda):
        claims.setdefault(name, 0)
    rows = sorted((name, str(count)) for name, count in claims.items())
    written = write_table(OUTPUT, COMMENT, ["name", "claims"], rows)
    print(f"wrote {written} names to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
