"""How well do resolution settings do on real-world misspellings and look-alikes?

Each labelled query says which drug it means, or "ask" when a safe resolver must not pick one. For each
scorer and cut-off we count right answers, questions asked (safe but slower for the reader) and WRONG
answers (the one thing that must stay at zero). The baseline is exact lookup only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz

from bot.knowledge import names as names_module
from bot.knowledge.knowledge import Knowledge
from bot.paths import DEFAULT_STORE

ASK = "ask"
LABELLED: list[tuple[str, str]] = [
    ("azathiprine", "azathioprine"),
    ("azathioprin", "azathioprine"),
    ("azothiaprine", "azathioprine"),
    ("methotrexat", "methotrexate"),
    ("methotrexete", "methotrexate"),
    ("metotrexate", "methotrexate"),
    ("hydroxychloroquin", "hydroxychloroquine"),
    ("hydroxycloroquine", "hydroxychloroquine"),
    ("hydroxichloroquine", "hydroxychloroquine"),
    ("plaquinil", "hydroxychloroquine"),
    ("plaquenel", "hydroxychloroquine"),
    ("mycophenolate mofitil", "mycophenolate mofetil"),
    ("cellsept", "mycophenolate mofetil"),
    ("cyclophosphamid", "cyclophosphamide"),
    ("cyclophosamide", "cyclophosphamide"),
    ("sulfasalazene", "sulfasalazine"),
    ("sulphasalazine", "sulfasalazine"),
    ("alopurinol", "allopurinol"),
    ("allopurinal", "allopurinol"),
    ("febuxostatt", "febuxostat"),
    ("warfarine", "warfarin"),
    ("coumadine", "warfarin"),
    ("dexamethazone", "dexamethasone"),
    ("dexamethsone", "dexamethasone"),
    ("mesalamin", "mesalamine"),
    ("mercaptopurin", "mercaptopurine"),
    ("captoprill", "captopril"),
    ("trimethoprin", "trimethoprim"),
    ("olsalazin", "olsalazine"),
    # Look-alikes and too-close-to-call: a safe resolver asks.
    ("prednisoe", ASK),
    ("prednisolon", ASK),
    ("cycloserin", ASK),
    ("azacitadine", ASK),
    ("hydroxyzin", "hydroxyzine"),
    ("hydralazin", "hydralazine"),
]


def run(knowledge: Knowledge, scorer: Callable[..., float], cutoff: float) -> tuple[int, int, int, list[str]]:
    names_module.SCORER = scorer
    names_module.CUTOFF = cutoff
    right = asked = 0
    wrong: list[str] = []
    for query, expected in LABELLED:
        resolution = knowledge.names.resolve(query)
        if resolution.status == "match":
            if resolution.drug == expected:
                right += 1
            else:
                wrong.append(f"{query}->{resolution.drug}")
        elif expected == ASK:
            right += 1
        else:
            asked += 1
    return right, asked, len(wrong), wrong


def main() -> None:
    knowledge = Knowledge.open(Path(os.environ.get("DRUG_STORE_PATH") or DEFAULT_STORE))
    original = (names_module.SCORER, names_module.CUTOFF)
    exact_right = sum(
        1 for q, e in LABELLED if (r := knowledge.names.resolve(q)).reason == "exact" and r.drug == e
    ) + sum(1 for _, e in LABELLED if e == ASK)
    print(f"resolution tuning on {len(LABELLED)} labelled queries (right / asked / WRONG)")
    print(f"  baseline exact-only              {exact_right:3d}")
    for scorer_name, scorer in (("ratio", fuzz.ratio), ("WRatio", fuzz.WRatio), ("QRatio", fuzz.QRatio)):
        for cutoff in (80.0, 84.0, 88.0, 92.0):
            right, asked, wrong, examples = run(knowledge, scorer, cutoff)
            mark = "  <- in use" if (scorer, cutoff) == original else ""
            print(
                f"  {scorer_name:7s} cut-off {cutoff:4.0f}           {right:3d} / {asked:3d} / {wrong:3d} {examples[:3]}{mark}"
            )
    names_module.SCORER, names_module.CUTOFF = original


if __name__ == "__main__":
    main()
