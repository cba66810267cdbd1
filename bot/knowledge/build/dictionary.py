"""The broad name dictionary: brand and synonym -> generic for about 20,000 drugs.

It comes from the PyPI package `drug-named-entity-recognition` (MIT; its names come from the DrugBank CC0
vocabulary, NLM MeSH, MedlinePlus and the NHS medicines list). The package keeps its dictionary in a
bz2-compressed pickle beside its code; we read that file directly rather than importing the package,
whose import also reads and writes a cache in the home folder. It is only read at build time.
"""

from __future__ import annotations

import bz2
import importlib.metadata
import importlib.util
import pickle
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "drug_named_entity_recognition"
DICTIONARY_FILE = "drug_ner_dictionary.pkl.bz2"


@dataclass(frozen=True)
class NameDictionary:
    variant_to_canonicals: dict[str, list[str]]
    canonical_names: dict[str, str]
    brands: frozenset[str]
    version: str

    @property
    def source(self) -> str:
        return f"{PACKAGE.replace('_', '-')} {self.version}"


def dictionary_path() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"the package {PACKAGE} is not installed (pip install drug-named-entity-recognition)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / DICTIONARY_FILE


def load_dictionary() -> NameDictionary:
    # The file is the installed package's own data (pinned in pyproject.toml), not user input.
    with bz2.open(dictionary_path(), "rb") as handle:
        raw = pickle.load(handle)
    variants: dict[str, list[str]] = {
        str(v): [str(c) for c in cs] for v, cs in raw["drug_variant_to_canonical"].items()
    }
    names = {str(c): str(data.get("name") or c) for c, data in raw["drug_canonical_to_data"].items()}
    brands = frozenset(
        str(v) for v, data in raw.get("drug_variant_to_variant_data", {}).items() if data.get("is_brand")
    )
    return NameDictionary(variants, names, brands, importlib.metadata.version(PACKAGE.replace("_", "-")))
