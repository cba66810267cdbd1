"""What a name means: class words, combination products, patients' ways of writing, and ambiguity that
never silences a check (issue: a name turned into something else made checks say "nothing to warn")."""

from __future__ import annotations

import pytest

from bot.answers.compose import check_answer, drug_answer
from bot.answers.text import render
from bot.knowledge.domain import Knowledge
from bot.knowledge.models import Severity


def worst(knowledge: Knowledge, *names: str) -> Severity | None:
    report = knowledge.check(list(names))
    return max((f.severity for f in report.interactions), default=None)


@pytest.mark.parametrize(
    ("names", "at_least"),
    [
        (("warfarin", "NSAIDs"), Severity.MAJOR),
        (("imuran", "ACE inhibitors"), Severity.MODERATE),
        (("imuran", "live vaccines"), Severity.MAJOR),
        (("imuran", "aminosalicylates"), Severity.MODERATE),
        (("tylenol 3", "xanax"), Severity.MAJOR),
        (("ultracet", "sertraline"), Severity.MAJOR),
        (("co-codamol", "xanax"), Severity.MAJOR),
        (("pred", "ibuprofen"), Severity.MODERATE),
        (("mycophenolate", "omeprazole"), Severity.MODERATE),
        (("mtx 15mg weekly", "bactrim"), Severity.MAJOR),
        (("aspirin 81", "warfarin"), Severity.MODERATE),
    ],
)
def test_class_words_combinations_and_ambiguous_names_are_checked(
    knowledge: Knowledge, names: tuple[str, ...], at_least: Severity
) -> None:
    found = worst(knowledge, *names)
    assert found is not None and found >= at_least, names


@pytest.mark.parametrize(
    ("name", "kind", "means"),
    [
        ("NSAIDs", "class", "class:nsaids"),
        ("steroids", "class", "class:corticosteroids"),
        ("benzos", "class", "class:benzodiazepines"),
        ("ppi", "class", "class:proton-pump-inhibitors"),
        ("beta blockers", "class", "class:beta-blockers"),
        ("water pill", "class", "class:loop-thiazide-diuretics"),
        ("live vaccines", "class", "class:live-vaccines"),
    ],
)
def test_class_words_resolve_to_the_stores_classes(
    knowledge: Knowledge, name: str, kind: str, means: str
) -> None:
    resolution = knowledge.names.resolve(name)
    assert (resolution.status, resolution.kind, resolution.drug) == ("match", kind, means)


def test_a_class_word_with_two_meanings_asks(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("blood thinners")
    assert resolution.status == "ambiguous"
    assert {c.drug for c in resolution.candidates} == {"class:anticoagulants", "class:antiplatelets"}


@pytest.mark.parametrize(
    ("name", "ingredients"),
    [
        ("percocet", {"oxycodone", "acetaminophen"}),
        ("vicodin", {"hydrocodone", "acetaminophen"}),
        ("norco", {"hydrocodone", "acetaminophen"}),
        ("tylenol 3", {"acetaminophen", "codeine"}),
        ("tylenol #3", {"acetaminophen", "codeine"}),
        ("claritin d", {"loratadine", "pseudoephedrine"}),
        ("zyrtec-d", {"cetirizine", "pseudoephedrine"}),
        ("advil pm", {"ibuprofen", "diphenhydramine"}),
        ("arthrotec", {"diclofenac", "misoprostol"}),
    ],
)
def test_combination_products_are_their_ingredients(
    knowledge: Knowledge, name: str, ingredients: set[str]
) -> None:
    resolution = knowledge.names.resolve(name)
    assert resolution.status == "match" and resolution.kind == "combination", name
    assert resolution.drug is not None
    assert set(knowledge.store.drugs_of(resolution.drug)) == ingredients


def test_a_combination_and_its_ingredient_are_a_double_dose(knowledge: Knowledge) -> None:
    report = knowledge.check(["percocet", "tylenol"])
    assert any("acetaminophen" in d.reason for d in report.duplicates)


def test_a_fuzzy_match_never_drops_a_word_that_changes_the_product(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("tylenool 4")
    assert resolution.drug != "acetaminophen"


def test_a_class_card_lists_members_and_rules(knowledge: Knowledge) -> None:
    card = render(drug_answer(knowledge.names, knowledge.names.resolve("NSAIDs")))
    assert "ibuprofen" in card and "anticoagulants" in card and "General information" in card


def test_a_combination_card_names_its_ingredients(knowledge: Knowledge) -> None:
    card = render(drug_answer(knowledge.names, knowledge.names.resolve("percocet")))
    assert "oxy" in card.casefold() and "acetaminophen" in card


@pytest.mark.parametrize(
    "text",
    [
        "can I take NSAIDs with warfarin?",
        "I'm on pred and took ibuprofen",
        "a glass of wine on methotrexate?",
    ],
)
def test_chat_finds_what_names_mean(knowledge: Knowledge, text: str) -> None:
    scan = knowledge.mentions.scan(text)
    assert scan.check is not None and scan.check.interactions, text


def test_a_name_that_is_not_understood_is_named_and_nothing_is_called_safe(knowledge: Knowledge) -> None:
    report = knowledge.check(["imuran", "allopurinol", "qqqzzzxx"])
    text = render(check_answer(knowledge.names, report))
    assert "I couldn't tell what qqqzzzxx is" in text


def test_long_checks_say_no_record_once(knowledge: Knowledge) -> None:
    names = [
        "tacrolimus",
        "prednisone",
        "mycophenolate mofetil",
        "valganciclovir",
        "omeprazole",
        "amlodipine",
        "metoprolol",
        "insulin",
        "vitamin d",
        "calcium",
    ]
    report = knowledge.check(names)
    text = render(check_answer(knowledge.names, report))
    assert report.no_record
    assert f"No interaction on record for the other {len(report.no_record)} pair(s)" in text
    assert text.count("No interaction on record between") == 0


def test_up_to_twenty_names_and_slashes(knowledge: Knowledge) -> None:
    assert knowledge.split("imuran/allopurinol") == ["imuran", "allopurinol"]
    assert knowledge.split("tylenol with codeine and xanax") == ["tylenol with codeine", "xanax"]


def test_a_standard_pairing_says_so_with_its_source(knowledge: Knowledge) -> None:
    report = knowledge.check(["methotrexate", "folic acid"])
    assert not report.no_record and report.usual
    assert "on purpose" in render(check_answer(knowledge.names, report))


def test_a_pair_with_a_name_only_drug_is_not_reviewed_rather_than_no_record(knowledge: Knowledge) -> None:
    report = knowledge.check(["levothyroxine", "abacavir"])
    if report.interactions:
        pytest.skip("a rule now covers this pair")
    assert report.not_reviewed and not report.no_record


@pytest.mark.parametrize(
    ("name", "means"),
    [
        ("imdur", "isosorbide mononitrate"),
        ("soma", "carisoprodol"),
        ("dramamine", "dimenhydrinate"),
        ("covid booster", "covid-19 vaccines"),
        ("nitro", "nitroglycerin"),
        ("gtn spray", "nitroglycerin"),
    ],
)
def test_names_patients_use_for_name_only_medicines(knowledge: Knowledge, name: str, means: str) -> None:
    resolution = knowledge.names.resolve(name)
    assert (resolution.status, resolution.drug) == ("match", means)


@pytest.mark.parametrize("name", ["soman", "methoxychlor", "anti-inflammatory agents, non-steroidal"])
def test_pesticides_warfare_agents_and_headings_are_never_medicines(knowledge: Knowledge, name: str) -> None:
    resolution = knowledge.names.resolve(name)
    assert resolution.drug != name
    for query in (name, name[:-1], "soma", "metho"):
        assert name not in {c.drug for c in knowledge.names.resolve(query).candidates}


def test_did_you_mean_offers_reviewed_medicines_first(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("metho")
    assert resolution.candidates[0].drug == "methotrexate"


@pytest.mark.parametrize(
    ("names", "severity"),
    [
        (("alka seltzer", "warfarin"), Severity.MAJOR),
        (("sildenafil", "imdur"), Severity.CONTRAINDICATED),
        (("methotrexate", "soriatane"), Severity.CONTRAINDICATED),
        (("siponimod", "verapamil"), Severity.MAJOR),
        (("simvastatin", "ketoconazole"), Severity.CONTRAINDICATED),
        (("tacrolimus", "ketoconazole"), Severity.MAJOR),
        (("colchicine", "ketoconazole"), Severity.MAJOR),
        (("cyclosporine", "ritonavir"), Severity.MAJOR),
        (("sildenafil", "nitrostat"), Severity.CONTRAINDICATED),
        (("methotrexate", "penicillin vk"), Severity.MODERATE),
        (("bosentan", "glyburide"), Severity.CONTRAINDICATED),
        (("simvastatin", "gemfibrozil"), Severity.CONTRAINDICATED),
        (("hydroxychloroquine", "azithromycin"), Severity.MAJOR),
        (("tramadol", "sertraline"), Severity.MAJOR),
        (("azathioprine", "ribavirin"), Severity.MAJOR),
    ],
)
def test_the_pairs_a_review_found_missing_or_too_mild(
    knowledge: Knowledge, names: tuple[str, str], severity: Severity
) -> None:
    assert worst(knowledge, *names) == severity, names


def test_fludrocortisone_is_not_a_steroid_double_up_with_hydrocortisone(knowledge: Knowledge) -> None:
    report = knowledge.check(["fludrocortisone", "hydrocortisone"])
    assert not report.duplicates and report.usual
    assert worst(knowledge, "fludrocortisone", "mmr vaccine") == Severity.MINOR


@pytest.mark.parametrize(
    ("name", "contains"),
    [
        ("mucinex d", "pseudoephedrine"),
        ("robitussin dm", "dextromethorphan"),
        ("lortab", "hydrocodone"),
        ("endocet", "oxycodone"),
        ("nyquil", "dextromethorphan"),
        ("dayquil", "acetaminophen"),
        ("tylenol pm", "diphenhydramine"),
        ("panadeine", "codeine"),
        ("nurofen plus", "codeine"),
        ("co-codamol", "codeine"),
        ("excedrin", "aspirin"),
        ("ultracet", "tramadol"),
    ],
)
def test_everyday_combination_products_name_their_ingredients(
    knowledge: Knowledge, name: str, contains: str
) -> None:
    resolution = knowledge.names.resolve(name)
    assert resolution.kind == "combination" and resolution.drug is not None, name
    assert contains in knowledge.store.drugs_of(resolution.drug)


@pytest.mark.parametrize("name", ["excedrin", "arthrotec", "aleve pm", "alka seltzer"])
def test_products_with_aspirin_or_an_nsaid_are_checked_against_warfarin(
    knowledge: Knowledge, name: str
) -> None:
    assert worst(knowledge, name, "warfarin") == Severity.MAJOR


def test_combination_products_are_found_in_chat(knowledge: Knowledge) -> None:
    scan = knowledge.mentions.scan("took a lortab and nyquil last night, I'm also on xanax")
    assert len(scan.mentions) == 3
    assert scan.check is not None and max(f.severity for f in scan.check.interactions) == Severity.MAJOR


@pytest.mark.parametrize(
    ("name", "reaches"),
    [
        ("nitrostat", "nitrates"),
        ("nitroglycerin sublingual", "nitrates"),
        ("isosorbide", "nitrates"),
        ("imdur", "nitrates"),
        ("nitro", "nitrates"),
        ("gtn spray", "nitrates"),
        ("penicillin vk", "penicillins"),
        ("penicillin", "penicillins"),
        ("ketoconazole", "strong-cyp3a4-inhibitors"),
        ("ritonavir", "strong-cyp3a4-inhibitors"),
        ("sotalol", "qt-prolonging"),
        ("dofetilide", "qt-prolonging"),
        ("methadone", "qt-prolonging"),
        ("haloperidol", "qt-prolonging"),
        ("moxifloxacin", "qt-prolonging"),
        ("dextromethorphan", "serotonergic"),
    ],
)
def test_every_member_of_a_class_reviewed_or_not(knowledge: Knowledge, name: str, reaches: str) -> None:
    resolution = knowledge.names.resolve(name)
    assert resolution.drug is not None and reaches in knowledge.store.classes_of[resolution.drug], name


def test_a_pharmacological_heading_maps_to_its_class(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("anti-inflammatory agents, non-steroidal")
    assert (resolution.status, resolution.drug) == ("match", "class:nsaids")


def test_a_misspelled_brand_near_another_products_brand_asks(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("ultracett")  # Ultracet (tramadol + acetaminophen) or Ultracef?
    assert resolution.status == "ambiguous"
    assert {c.drug for c in resolution.candidates} >= {"cefadroxil"}
