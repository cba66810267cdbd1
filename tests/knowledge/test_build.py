"""The data build's validation, against small data folders written by the tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.knowledge.build import build
from bot.knowledge.build.curated import DataError
from bot.knowledge.build.dictionary import NameDictionary

DICTIONARY = NameDictionary(
    variant_to_canonicals={
        "imuran": ["azathioprine"],
        "xeljanz": ["tofacitinib"],
        "tofacitinib": ["tofacitinib"],
    },
    canonical_names={"azathioprine": "Azathioprine", "tofacitinib": "Tofacitinib"},
    brands=frozenset({"imuran", "xeljanz"}),
    version="test",
)

DRUG = """
id = "{id}"
kind = "drug"
drug_class = "test class"
brands = {brands}
synonyms = []
interaction_classes = {classes}
summary = "First sentence about it. Second sentence about it."
uses = ["testing"]
how_it_works = "It works."
common_side_effects = ["nausea"]
serious_side_effects = ["fever"]
cautions = []
last_reviewed = 2026-11-21
{sources}
"""
SOURCE = '[[sources]]\ntitle = "A label"\n'
RULE = """
[[interaction]]
a = "{a}"
b = "{b}"
severity = "{severity}"
what_happens = "Something happens."
what_to_do = "Ask your pharmacist."
sources = [{{ title = "A label" }}]
"""
CLASSES = '[[class]]\nid = "group"\nname = "group"\ndescription = "a group"\n'


def write(root: Path, drugs: dict[str, str], rules: str = "", classes: str = CLASSES) -> Path:
    (root / "drugs").mkdir(parents=True)
    (root / "interactions").mkdir()
    (root / "classes").mkdir()
    for name, text in drugs.items():
        (root / "drugs" / f"{name}.toml").write_text(text)
    (root / "interactions" / "rules.toml").write_text(rules)
    (root / "classes" / "core.toml").write_text(classes)
    return root


def drug(drug_id: str, brands: str = "[]", classes: str = '["group"]', sources: str = SOURCE) -> str:
    return DRUG.format(id=drug_id, brands=brands, classes=classes, sources=sources)


def problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        build(root, None, dictionary=DICTIONARY)
    return [str(p) for p in caught.value.problems]


def test_a_valid_folder_builds_a_store_with_dictionary_names(tmp_path: Path) -> None:
    root = write(
        tmp_path / "data",
        {"alpha": drug("alpha"), "beta": drug("beta")},
        RULE.format(a="alpha", b="beta", severity="major"),
    )
    summary = build(root, tmp_path / "out.sqlite3", dictionary=DICTIONARY)
    assert summary.counts["curated_drugs"] == 2 and summary.counts["pair_rules"] == 1
    with sqlite3.connect(tmp_path / "out.sqlite3") as db:
        assert db.execute("SELECT drug_id FROM aliases WHERE alias = 'xeljanz'").fetchone() == (
            "tofacitinib",
        )
        assert (
            db.execute("SELECT value FROM meta WHERE key = 'data_version'")
            .fetchone()[0]
            .startswith("2026-11-21+")
        )


def test_unknown_drug_in_an_interaction_names_file_entry_and_line(tmp_path: Path) -> None:
    root = write(
        tmp_path / "data", {"alpha": drug("alpha")}, RULE.format(a="alpha", b="gamma", severity="major")
    )
    (found,) = problems(root)
    assert "interactions/rules.toml" in found and "alpha + gamma" in found and "unknown drug 'gamma'" in found
    assert "(line 2)" in found


def test_bad_severity(tmp_path: Path) -> None:
    root = write(
        tmp_path / "data",
        {"alpha": drug("alpha"), "beta": drug("beta")},
        RULE.format(a="alpha", b="beta", severity="severe"),
    )
    assert any("bad severity 'severe'" in p for p in problems(root))


def test_missing_source(tmp_path: Path) -> None:
    root = write(tmp_path / "data", {"alpha": drug("alpha", sources="")})
    assert any("drugs/alpha.toml" in p and "needs at least one source" in p for p in problems(root))


def test_an_alias_pointing_at_two_drugs(tmp_path: Path) -> None:
    root = write(
        tmp_path / "data",
        {"alpha": drug("alpha", brands='["Samename"]'), "beta": drug("beta", brands='["Samename"]')},
    )
    assert any("'Samename' also belongs to 'alpha'" in p for p in problems(root))


def test_duplicate_rules_unknown_classes_and_empty_classes(tmp_path: Path) -> None:
    rules = RULE.format(a="alpha", b="beta", severity="major") + RULE.format(
        a="beta", b="alpha", severity="minor"
    )
    classes = CLASSES + '[[class]]\nid = "empty"\nname = "empty"\n'
    root = write(
        tmp_path / "data",
        {"alpha": drug("alpha", classes='["group", "nope"]'), "beta": drug("beta")},
        rules,
        classes,
    )
    found = problems(root)
    assert any("already have a rule" in p for p in found)
    assert any("unknown interaction class 'nope'" in p for p in found)
    assert any("class 'empty'" in p and "has no members" in p for p in found)


def test_invalid_toml_and_overlong_summary(tmp_path: Path) -> None:
    long = drug("alpha").replace("Second sentence about it.", "Second. " + "x" * 700 + ".")
    root = write(tmp_path / "data", {"alpha": long, "beta": "id = [broken"})
    found = problems(root)
    assert any("drugs/beta.toml" in p and "not valid TOML" in p for p in found)
    assert any("summary is" in p and "at most 600" in p for p in found)


def test_a_broken_source_leaves_the_existing_store_untouched(tmp_path: Path) -> None:
    good = write(tmp_path / "good", {"alpha": drug("alpha")})
    store = tmp_path / "drugs.sqlite3"
    build(good, store, dictionary=DICTIONARY)
    before = store.read_bytes()
    bad = write(tmp_path / "bad", {"alpha": drug("alpha", sources="")})
    with pytest.raises(DataError):
        build(bad, store, dictionary=DICTIONARY)
    assert store.read_bytes() == before
    assert list(tmp_path.glob("*.tmp")) == []


def test_dose_amounts_are_rejected(tmp_path: Path) -> None:
    dosed = drug("alpha").replace("It works.", "Take 50 mg twice a day.")
    rules = RULE.format(a="alpha", b="beta", severity="major").replace(
        "Ask your pharmacist.", "Take 2.5mg less."
    )
    root = write(tmp_path / "data", {"alpha": dosed, "beta": drug("beta")}, rules)
    found = problems(root)
    assert any("drugs/alpha.toml" in p and "dose amount ('50 mg')" in p for p in found)
    assert any("'what_to_do' gives a dose amount ('2.5mg')" in p for p in found)


def test_a_name_is_indexed_with_its_form_words_and_only_safely_without(tmp_path: Path) -> None:
    root = write(tmp_path / "data", {"alpha": drug("alpha", brands='["The Pill", "Alphatab Tablets"]')})
    build(root, tmp_path / "out.sqlite3", dictionary=DICTIONARY)
    with sqlite3.connect(tmp_path / "out.sqlite3") as db:
        aliases = {a for (a,) in db.execute("SELECT alias FROM aliases WHERE drug_id = 'alpha'")}
    assert {"the pill", "alphatab tablets", "alphatab"} <= aliases
    assert "the" not in aliases  # "The Pill" without its form word would be an ordinary word


def test_the_ndfrt_audit_figures_are_recorded_in_the_store(tmp_path: Path) -> None:
    import json

    from bot.answers.compose import about_answer
    from bot.knowledge.domain import Knowledge

    root = write(
        tmp_path / "data",
        {"alpha": drug("alpha"), "beta": drug("beta"), "gamma": drug("gamma")},
        RULE.format(a="alpha", b="beta", severity="moderate"),
    )
    ndfrt = tmp_path / "ndfrt.tsv"
    ndfrt.write_text(
        "drug1\tdrug1_drugbank\tdrug2\tdrug2_drugbank\tseverity\tlabel\turi\n"
        "ALPHA\tDB1\tbeta\tDB2\tCritical\tx\ty\n"
        "alpha\tDB1\tgamma\tDB3\tSignificant\tx\ty\n"
        "alpha\tDB1\tunknownium\tDB4\tCritical\tx\ty\n"
    )
    build(root, tmp_path / "out.sqlite3", dictionary=DICTIONARY, ndfrt=ndfrt)
    knowledge = Knowledge.open(tmp_path / "out.sqlite3")
    audit = json.loads(knowledge.store.meta["audit"])
    assert audit["Critical"] == {"pairs": 1, "as_expected": 0, "by_exception": 0, "short": 1}
    assert audit["Significant"] == {"pairs": 1, "as_expected": 0, "by_exception": 0, "short": 1}
    assert "0 of 1 Critical pairs" in about_answer(knowledge.store).description


def test_a_class_member_needs_a_source(tmp_path: Path) -> None:
    classes = (
        CLASSES
        + '[[class]]\nid = "more"\nname = "more"\nextra_members = ["ibuprofen", { name = "naproxen" }]\n'
    )
    root = write(tmp_path / "data", {"alpha": drug("alpha")}, classes=classes)
    found = problems(root)
    assert any("'ibuprofen' needs a source" in p for p in found)
    assert any("'naproxen' needs a 'source'" in p for p in found)


def test_a_card_that_names_a_medicine_with_no_rule_fails_until_recorded(tmp_path: Path) -> None:
    alpha = drug("alpha").replace("cautions = []", 'cautions = ["Tell your doctor before taking beta."]')
    root = write(tmp_path / "data", {"alpha": alpha, "beta": drug("beta")})
    (found,) = [p for p in problems(root) if "cautions name" in p]
    assert "drug 'alpha'" in found and "'beta'" in found
    (root / "card-mention-exceptions.toml").write_text(
        '[[exception]]\ndrug = "alpha"\nnames = "beta"\nreason = "not an interaction"\nsource = "A label"\n'
    )
    build(root, None, dictionary=DICTIONARY)  # recorded with its reason: valid
    (root / "card-mention-exceptions.toml").unlink()
    (root / "interactions" / "rules.toml").write_text(RULE.format(a="alpha", b="beta", severity="minor"))
    build(root, None, dictionary=DICTIONARY)  # a rule closes it too
