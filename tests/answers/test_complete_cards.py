"""Cards never hide what is on record: every rule, caution and side effect reaches every face.

A partner missing from a card reads as "fine". So for every reviewed entry, every section, and both the
text face (console, CLI) and the Discord face (pages of embeds), everything on record must be shown.
"""

from __future__ import annotations

import pytest

from bot.answers.compose import SECTIONS, drug_answer
from bot.answers.embed import to_embed
from bot.answers.model import Answer, paginate
from bot.answers.text import plain, render
from bot.knowledge.domain import Knowledge
from bot.knowledge.interactions import grouped_interactions_of, partners_of
from tests.discord.limits import check_embed_dict


def flat(text: str) -> str:
    return " ".join(plain(text).split())


def text_face(answer: Answer) -> str:
    return flat(render(answer))


def discord_face(answer: Answer) -> str:
    pages = paginate(answer)
    shown = []
    for page in pages:
        embed = to_embed(page).to_dict()
        check_embed_dict(dict(embed))
        if len(pages) > 1:
            assert f"page {page.page + 1} of {len(pages)}" in embed.get("title", "")
        assert "Talk to your doctor or pharmacist" in embed["footer"]["text"]  # the disclaimer, every page
        parts = [embed.get("description") or ""] + [
            f["name"] + "\n" + f["value"] for f in embed.get("fields", [])
        ]
        shown.append("\n".join(parts))
    return flat("\n".join(shown))


FACES = {"text": text_face, "discord": discord_face}


@pytest.mark.parametrize("face", FACES)
def test_every_section_of_every_card_shows_everything_on_record(knowledge: Knowledge, face: str) -> None:
    store, names = knowledge.store, knowledge.names
    show = FACES[face]
    for drug_id in store.curated_ids():
        resolution = names.resolve(drug_id)
        drug = store.drug(drug_id)
        cards = {s: show(drug_answer(names, resolution, s)) for s in SECTIONS}
        for item in (*drug.common_side_effects, *drug.serious_side_effects):
            assert flat(item) in cards["side-effects"], (drug_id, item)
        for item in (*drug.boxed_warning, *drug.cautions):
            assert flat(item) in cards["cautions"], (drug_id, item)
            assert flat(item) in cards["overview"], (drug_id, item)
        for group in grouped_interactions_of(store, drug_id):
            assert flat(group.rule.what_happens) in cards["interactions"], (drug_id, group.rule.origin)
            for partner in group.partners:
                assert store.name(partner) in cards["interactions"], (drug_id, partner)
        for partner in partners_of(store, drug_id):
            assert store.name(partner) in cards["interactions"], (drug_id, partner)


def test_boxed_warnings_come_first_in_cautions(knowledge: Knowledge) -> None:
    boxed = [d for d in knowledge.store.curated_ids() if knowledge.store.drug(d).boxed_warning]
    assert boxed, "no entry carries its label's boxed warning"
    for drug_id in boxed:
        card = render(drug_answer(knowledge.names, knowledge.names.resolve(drug_id), "cautions"))
        first = card.split("Before and while taking it", 1)[1].strip().splitlines()[0]
        assert "Boxed warning" in first, drug_id


def test_the_overview_says_how_many_more_interactions_there_are(knowledge: Knowledge) -> None:
    card = text_face(drug_answer(knowledge.names, knowledge.names.resolve("imuran"), "overview"))
    groups = grouped_interactions_of(knowledge.store, "azathioprine")
    assert f"…and {len(groups) - 5} more" in card and "see the Interactions section" in card


@pytest.mark.parametrize(
    ("name", "partners"),
    [
        # The Imuran seed thread's interactions, all of which the card once dropped.
        (
            "imuran",
            ["warfarin", "ACE inhibitors", "aminosalicylates", "ribavirin", "co-trimoxazole", "allopurinol"],
        ),
        ("sudafed", ["linezolid"]),
        ("sildenafil", ["nitrates"]),
        ("sertraline", ["MAO"]),
        ("tramadol", ["MAO"]),
        ("sumatriptan", ["MAO"]),
    ],
)
def test_cards_name_the_interactions_a_review_found_missing(
    knowledge: Knowledge, name: str, partners: list[str]
) -> None:
    card = text_face(drug_answer(knowledge.names, knowledge.names.resolve(name), "interactions"))
    assert "No interactions on record" not in card
    for partner in partners:
        assert partner.casefold() in card.casefold(), partner


def test_no_record_is_never_said_of_a_partner_that_has_one(knowledge: Knowledge) -> None:
    store = knowledge.store
    for drug_id in store.curated_ids():
        card = text_face(drug_answer(knowledge.names, knowledge.names.resolve(drug_id), "interactions"))
        if partners_of(store, drug_id):
            assert "No interactions on record" not in card, drug_id
        else:
            assert "No interactions on record" in card, drug_id


def test_a_name_only_drug_card_lists_its_class_interactions(knowledge: Knowledge) -> None:
    resolution = knowledge.names.resolve("linezolid")
    assert resolution.drug and not resolution.curated
    card = text_face(drug_answer(knowledge.names, resolution))
    assert "Contraindicated" in card and "pseudoephedrine" in card
