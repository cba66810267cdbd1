"""Property: whatever the input, what the bot would send fits Discord's limits."""

from __future__ import annotations

import itertools
import json
from typing import Literal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answers.compose import SECTIONS, drug_answer
from bot.answers.embed import to_embed
from bot.answers.model import Answer, Field, Option, paginate
from bot.answers.records import drug_record
from bot.exts.checks.cog import check_pages
from bot.exts.drugs.buttons import answer_view
from bot.knowledge.domain import MAX_NAMES, Knowledge
from bot.knowledge.models import Severity
from bot.tree import UserFacingError
from tests.discord.limits import check_choices, check_embed, check_view

PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
junk = st.text(st.characters(codec="utf-8", exclude_categories=SURROGATES), max_size=300)


def names_in(knowledge: Knowledge) -> st.SearchStrategy[str]:
    aliases = sorted(itertools.islice(knowledge.store.aliases, 0, None, 7))
    curated = [knowledge.store.name(d) for d in knowledge.store.curated_ids()]
    known = st.sampled_from(aliases + curated)
    mangled = st.builds(lambda n, i: n[:i] + n[i + 1 :], known, st.integers(0, 20))
    return st.one_of(known, mangled, junk)


def render(answer: Answer, *, sections: bool) -> None:
    check_embed(to_embed(answer))
    check_view(answer_view(answer, sections=sections))


@PROPERTY
@given(data=st.data(), section=st.sampled_from((*SECTIONS, "nonsense")))
def test_drug_cards_fit_for_any_name(knowledge: Knowledge, data: st.DataObject, section: str) -> None:
    name = data.draw(names_in(knowledge))
    resolution = knowledge.names.resolve(name)
    answer = drug_answer(knowledge.names, resolution, section)
    for page in paginate(answer):
        render(page, sections=answer.drug is not None and knowledge.store.is_curated(answer.drug))
    json.dumps(drug_record(knowledge.store, resolution))  # the JSON face answers every name too


@PROPERTY
@given(data=st.data())
def test_every_reviewed_card_section_fits(knowledge: Knowledge, data: st.DataObject) -> None:
    drug_id = data.draw(st.sampled_from(knowledge.store.curated_ids()))
    for section in SECTIONS:
        answer = drug_answer(knowledge.names, knowledge.names.resolve(drug_id), section)
        for page in paginate(answer):
            render(page, sections=True)


@PROPERTY
@given(
    data=st.data(), count=st.integers(0, MAX_NAMES + 2), joiner=st.sampled_from([", ", " and ", "; ", " + "])
)
def test_interaction_checks_fit_for_any_list(
    knowledge: Knowledge, data: st.DataObject, count: int, joiner: str
) -> None:
    names = data.draw(st.lists(names_in(knowledge), min_size=count, max_size=count))
    try:
        pages = check_pages(knowledge, joiner.join(names))
    except UserFacingError:
        return
    assert len(pages) >= 1
    for page in pages:
        render(page, sections=False)


@PROPERTY
@given(text=junk)
def test_autocomplete_fits_for_any_input(knowledge: Knowledge, text: str) -> None:
    choices = knowledge.names.autocomplete(text)
    check_choices([{"name": c.label, "value": c.value} for c in choices])


field = st.builds(Field, st.text(max_size=400), st.text(max_size=1500))
option = st.builds(Option, st.text(min_size=0, max_size=120), st.text(min_size=1, max_size=250))


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(max_size=400),
    description=st.text(max_size=6000),
    fields=st.lists(field, max_size=80),
    footer=st.text(max_size=2500),
    options=st.lists(option, max_size=40),
    severity=st.none() | st.sampled_from(Severity),
    drug=st.none() | st.text(min_size=1, max_size=250),
)
def test_any_answer_renders_and_splits_within_limits(
    title: str,
    description: str,
    fields: list[Field],
    footer: str,
    options: list[Option],
    severity: Severity | None,
    drug: str | None,
) -> None:
    answer = Answer(
        title, description, tuple(fields), footer, options=tuple(options), severity=severity, drug=drug
    )
    render(answer, sections=True)
    pages = paginate(answer)
    for page in pages:
        render(page, sections=True)

    # Paging never drops a character: the pages' text, in order, is the answer's text (only the white
    # space where it was broken, and the "…" standing in for an empty value, may differ).
    def bare(text: str) -> str:
        return "".join(text.split()).replace("…", "")

    original = bare(description + "".join(f.value for f in fields))
    shown = bare("".join(p.description + "".join(f.value for f in p.fields) for p in pages))
    assert shown == original
