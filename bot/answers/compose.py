"""Building answers from domain results. Every face (Discord, console, CLI text) uses these."""

from __future__ import annotations

import json

from discord.utils import escape_markdown, escape_mentions

from bot.answers.model import FIELD_VALUE_LIMIT, Answer, Field, Option, clip
from bot.knowledge.interactions import RuleGroup, describe_rule, grouped_interactions_of
from bot.knowledge.models import (
    CheckReport,
    Drug,
    FoundInteraction,
    InteractionRule,
    Resolution,
    ScanReport,
    Severity,
)
from bot.knowledge.names import NameIndex
from bot.knowledge.normalise import normalise
from bot.knowledge.store import DrugStore
from bot.knowledge.wording import DISCLAIMER, dictionary_only_sentence, no_record_sentence

SECTIONS = ("overview", "side-effects", "interactions", "cautions", "sources")
SECTION_TITLES = {
    "overview": "Overview",
    "side-effects": "Side effects",
    "interactions": "Interactions",
    "cautions": "Cautions",
    "sources": "Sources",
}
KEY_INTERACTIONS = 5
INTERACTION_FIELDS_PER_PAGE = 10  # keeps a card with long rules inside one embed


def echo(text: str) -> str:
    """User text made safe to show back: no markdown effects, no mentions."""
    return escape_mentions(escape_markdown(" ".join(text.split())[:100]))


def chunked_fields(name: str, lines: list[str]) -> list[Field]:
    """Lines spread over as many fields as they need, each value inside Discord's field limit."""
    fields: list[Field] = []
    current: list[str] = []
    for line in lines:
        if current and len("\n".join([*current, line])) > FIELD_VALUE_LIMIT:
            fields.append(Field(name if not fields else f"{name} (continued)", "\n".join(current)))
            current = []
        current.append(line)
    if current:
        fields.append(Field(name if not fields else f"{name} (continued)", "\n".join(current)))
    return fields


def bullets(items: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def _footer(drug: Drug | None = None) -> str:
    if drug is not None and drug.sources:
        return (
            clip(f"Source: {drug.sources[0].cite()} · reviewed {drug.last_reviewed}", 300) + f"\n{DISCLAIMER}"
        )
    return DISCLAIMER


def interpretation(resolution: Resolution, index: NameIndex) -> str:
    """ "You typed *immuran* → **azathioprine** (brand: Imuran)", or "" when the name was typed as is."""
    if resolution.drug is None:
        return ""
    name = index.shown_as(resolution.drug)
    if normalise(resolution.query) in (
        normalise(resolution.drug),
        normalise(index.store.name(resolution.drug)),
    ):
        return ""
    brand = ""
    if resolution.matched_name and resolution.matched_kind == "brand":
        brand = f" (brand: {escape_markdown(resolution.matched_name)})"
    return f"You typed *{echo(resolution.query)}* → **{name}**{brand}"


def rule_text(store: DrugStore, rule: InteractionRule, applies_to: tuple[str, ...] = ()) -> str:
    """What happens, what to do, which drugs, which rule and its source: the body of one interaction."""
    lines = [rule.what_happens, f"**What to do:** {rule.what_to_do}"]
    if len(applies_to) > 1:
        lines.append("Applies to: " + ", ".join(store.name(d) for d in applies_to))
    if rule.is_class_rule:
        lines.append(f"_From the {describe_rule(store, rule)}._")
    if rule.sources:
        lines.append(f"Source: {rule.sources[0].cite()}")
    return "\n".join(lines)


def interaction_line(store: DrugStore, found: FoundInteraction) -> Field:
    """One pair of a check: "🔴 Major: allopurinol + azathioprine" and the rule."""
    a, b = found.drugs
    return Field(f"{found.severity.label}: {store.name(a)} + {store.name(b)}", rule_text(store, found.rule))


def choose_answer(resolution: Resolution, index: NameIndex) -> Answer:
    """For a name that is ambiguous, a look-alike, unknown or too short: offer choices, never guess."""
    typed = echo(resolution.query)
    options = tuple(Option(c.shown_as, c.drug) for c in resolution.candidates)
    if resolution.status == "ambiguous":
        names = " or ".join(f"**{c.shown_as}**" for c in resolution.candidates)
        why = (
            "These names look alike and are easy to mix up."
            if resolution.reason == "look-alike"
            else "That name fits more than one medicine."
        )
        return Answer(
            title="Which medicine did you mean?",
            description=f"You typed *{typed}*. {why} Did you mean {names}? Pick one to see it.",
            options=options,
            medical=False,
        )
    if options:
        description = f"No medicine called *{typed}* was found. Did you mean one of these?"
        if resolution.reason == "too short":
            description = (
                f"*{typed}* is too short to guess from: type at least 4 letters, or pick one of these."
            )
    else:
        description = f"No medicine called *{typed}* was found. Check the spelling, or try the generic name."
    return Answer(title="Medicine not found", description=description, options=options, medical=False)


def drug_answer(index: NameIndex, resolution: Resolution, section: str = "overview") -> Answer:
    """The drug card for a resolved name, one section at a time; choices when it did not resolve."""
    if resolution.status != "match" or resolution.drug is None:
        return choose_answer(resolution, index)
    store = index.store
    drug = store.drug(resolution.drug)
    said = interpretation(resolution, index)
    if not drug.curated:
        return _dictionary_card(index, drug, resolution, said)
    section = section if section in SECTIONS else "overview"
    title = index.shown_as(drug.id)
    if drug.brands:
        title += f" ({', '.join(drug.brands[:4])})"
    lookalike = ""
    if resolution.lookalikes:
        others = ", ".join(c.shown_as for c in resolution.lookalikes[:3])
        lookalike = f"\n⚠️ Not to be confused with {others}."
    intro = "\n".join(p for p in (said, lookalike.strip()) if p)
    fields: list[Field] = []
    description = intro
    if section == "overview":
        description = "\n\n".join(p for p in (intro, drug.summary) if p)
        if drug.uses:
            fields.append(Field("Used for", bullets(drug.uses)))
        if drug.how_it_works:
            fields.append(Field("How it works", drug.how_it_works))
        if drug.common_side_effects:
            fields.append(Field("Common side effects", bullets(drug.common_side_effects)))
        if drug.serious_side_effects:
            fields.append(Field("Get medical help promptly for", bullets(drug.serious_side_effects)))
        groups = grouped_interactions_of(store, drug.id)
        if groups:
            shown = [f"{g.rule.severity.label}: {group_label(store, g)}" for g in groups[:KEY_INTERACTIONS]]
            more = len(groups) - KEY_INTERACTIONS
            tail = f"\n…and {more} more (see Interactions)." if more > 0 else ""
            fields.append(Field("Key interactions", "\n".join(shown) + tail))
        if drug.cautions:
            fields.append(Field("Before and while taking it", bullets(drug.cautions[:4])))
    elif section == "side-effects":
        fields.append(Field("Common side effects", bullets(drug.common_side_effects) or "None listed."))
        fields.append(
            Field("Get medical help promptly for", bullets(drug.serious_side_effects) or "None listed.")
        )
    elif section == "interactions":
        groups = grouped_interactions_of(store, drug.id)
        fields += [group_field(store, g) for g in groups[:INTERACTION_FIELDS_PER_PAGE]]
        if len(groups) > INTERACTION_FIELDS_PER_PAGE:
            rest = [
                f"{g.rule.severity.label}: {group_label(store, g)}"
                for g in groups[INTERACTION_FIELDS_PER_PAGE:]
            ]
            fields += chunked_fields("Also on record", rest)
        count = sum(len(g.partners) for g in groups)
        summary = (
            f"{count} medicine(s) with an interaction on record, worst first. A medicine not listed here has no "
            "record: that does not mean the combination is safe. Use /interactions to check your own list."
            if groups
            else f"No interactions on record for {drug.name}. That does not mean it is safe with everything: "
            "ask your pharmacist."
        )
        description = "\n\n".join(p for p in (intro, summary) if p)
    elif section == "cautions":
        fields.append(Field("Before and while taking it", bullets(drug.cautions) or "None listed."))
    elif section == "sources":
        lines = [f"• {s.cite()}" + (f" <{s.url}>" if s.url else "") for s in drug.sources]
        fields.append(Field("Sources", "\n".join(lines)))
        fields.append(Field("Last reviewed", drug.last_reviewed))
    return Answer(
        title=title,
        description=description,
        fields=tuple(fields),
        footer=_footer(drug),
        drug=drug.id,
        section=section,
    ).fitted()


MAX_NAMED_PARTNERS = 4


def group_label(store: DrugStore, group: RuleGroup) -> str:
    """ "allopurinol", or "live vaccines (MMR vaccine, BCG vaccine, …)" when a class rule names several."""
    names = [store.name(p) for p in group.partners]
    if len(names) == 1:
        return names[0]
    listed = ", ".join(names[:MAX_NAMED_PARTNERS]) + (", …" if len(names) > MAX_NAMED_PARTNERS else "")
    return f"{store.side_name(group.other_side)}: {listed}"


def group_field(store: DrugStore, group: RuleGroup) -> Field:
    """One rule on a drug's card, with every drug it covers for that drug."""
    label = f"{group.rule.severity.label}: {group_label(store, group)}"
    return Field(label, rule_text(store, group.rule, group.partners))


def _dictionary_card(index: NameIndex, drug: Drug, resolution: Resolution, said: str) -> Answer:
    store = index.store
    typed = escape_markdown(resolution.matched_name or resolution.query)
    sentence = dictionary_only_sentence(typed, f"**{drug.name}**")
    fields: list[Field] = []
    groups = grouped_interactions_of(store, drug.id)
    if groups:
        fields += [group_field(store, g) for g in groups[:INTERACTION_FIELDS_PER_PAGE]]
    else:
        sentence += " No interactions are on record for it either; that does not mean it is safe with other medicines."
    if drug.brands:
        fields.insert(0, Field("Other names", ", ".join(drug.brands)))
    return Answer(
        title=index.shown_as(drug.id),
        description="\n\n".join(p for p in (said, sentence) if p),
        fields=tuple(fields),
        footer=f"Name from the {store.meta.get('dictionary_source', 'name dictionary')} dictionary.\n{DISCLAIMER}",
        drug=drug.id,
        section="overview",
    ).fitted()


def check_answer(index: NameIndex, report: CheckReport) -> Answer:
    """The answer to /interactions: every pair worst first, duplicates, unresolved names, no-record notes.

    It is not cut to one embed: with ten medicines it can hold more than 25 fields, and Discord shows
    it over several messages (bot.answers.embed.split_answer).
    """
    store = index.store
    matched = [r for r in report.resolutions if r.status == "match" and r.drug]
    names = list(dict.fromkeys(store.name(r.drug) for r in matched if r.drug))
    parts = []
    echoed = [interpretation(r, index) for r in matched]
    parts += [e for e in echoed if e]
    fields = [interaction_line(store, f) for f in report.interactions]
    for duplicate in report.duplicates:
        fields.append(
            Field(
                "⚠️ Possible double-up",
                f"{', '.join(escape_markdown(n) for n in duplicate.names)}: {duplicate.reason}. Ask your pharmacist whether both are meant.",
            )
        )
    if report.no_record:
        notes = [no_record_sentence(store.name(a), store.name(b)) for a, b in report.no_record]
        fields += chunked_fields("No record", notes)
    for unresolved in report.unresolved:
        suggestions = ", ".join(c.shown_as for c in unresolved.candidates[:3])
        hint = f" Did you mean {suggestions}?" if suggestions else ""
        reason = "which one?" if unresolved.status == "ambiguous" else "not found"
        fields.append(Field(f"❓ {echo(unresolved.query)}: {reason}", f"This name was not checked.{hint}"))
    if len(names) < 2 and not report.duplicates:
        parts.append("Name at least two different medicines to check them together.")
    worst = max((f.severity for f in report.interactions), default=None)
    summary = (
        f"Checked {len(names)} medicine(s): {', '.join(names)}."
        if names
        else "No medicine names were recognised."
    )
    if report.interactions:
        summary += f" {len(report.interactions)} interaction(s) found, worst first."
    return Answer(
        title="Interaction check",
        description="\n".join([summary, *parts]),
        fields=tuple(fields),
        footer=DISCLAIMER,
        severity=worst,
    )


def scan_answer(index: NameIndex, scan: ScanReport, threshold: Severity = Severity.MODERATE) -> Answer | None:
    """The chat warning for a message, or None when nothing in it reaches the threshold."""
    if scan.check is None:
        return None
    serious = [f for f in scan.check.interactions if f.severity >= threshold]
    if not serious:
        return None
    store = index.store
    fields = [interaction_line(store, f) for f in serious]
    named = ", ".join(dict.fromkeys(mentioned(store, m.text, m.drug) for m in scan.mentions))
    return Answer(
        title="Possible interaction in this message",
        description=f"Medicines mentioned: {named}.",
        fields=tuple(fields),
        footer=DISCLAIMER,
        severity=max(f.severity for f in serious),
    )


def mentioned(store: DrugStore, text: str, drug_id: str) -> str:
    """How a mention is shown: the medicine's name, with what was written when that differs."""
    name = store.name(drug_id)
    return name if normalise(text) in (normalise(name), normalise(drug_id)) else f"{echo(text)} → {name}"


def about_answer(store: DrugStore) -> Answer:
    counts = store.counts
    meta = store.meta
    lines = [
        f"Data version **{meta.get('data_version', '?')}**, built {meta.get('built_at', '?')}.",
        f"{counts.get('curated_drugs', 0)} reviewed medicines and {counts.get('non_drug_interactants', 0)} other "
        f"interactants (foods, vaccines, supplements); {counts.get('pair_rules', 0)} pair rules and "
        f"{counts.get('class_rules', 0)} class rules; {counts.get('aliases', 0):,} names in all, and "
        f"{counts.get('dictionary_drugs', 0):,} more drugs known by name only.",
    ]
    audit = json.loads(meta["audit"]) if "audit" in meta else None
    if audit:
        critical, significant = audit["Critical"], audit["Significant"]
        lines.append(
            "Checked against the VA NDF-RT interaction list (2014): "
            f"{critical['as_expected']} of {critical['pairs']} Critical pairs answered as major or worse, "
            f"{significant['as_expected']} of {significant['pairs']} Significant pairs as moderate or worse "
            f"({critical['by_exception'] + significant['by_exception']} of them by a recorded, sourced exception)."
        )
    fields = (
        Field(
            "Sources",
            "Reviewed entries are written from US FDA prescribing information (DailyMed), NIH/NLM MedlinePlus, "
            "CDC and NHS pages, each cited with a review date. Names: "
            f"{meta.get('dictionary_source', 'drug-named-entity-recognition')} (MIT; DrugBank CC0 vocabulary, NLM MeSH, "
            "MedlinePlus names, NHS medicines list). Common English words: wordfreq (its data is CC BY-SA 4.0).",
        ),
        Field(
            "Privacy",
            "Message text is never stored. The bot only counts which medicines are looked up in each server "
            "(no members, no messages), in memory, to offer them first in /drug; the counts are gone on restart.",
        ),
    )
    return Answer("About this bot", "\n".join(lines), fields, footer=DISCLAIMER).fitted()
