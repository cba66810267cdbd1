"""Building answers from domain results. Every face (Discord, console, CLI text) uses these."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from discord.utils import escape_markdown, escape_mentions

from bot.answers.model import Answer, Field, Option, clip
from bot.knowledge.interactions import RuleGroup, describe_rule, grouped_interactions_of, subject_label
from bot.knowledge.models import (
    CLASS_PREFIX,
    CheckReport,
    Drug,
    FoundInteraction,
    InteractionRule,
    Mention,
    Resolution,
    ScanReport,
    Severity,
)
from bot.knowledge.names import NameIndex
from bot.knowledge.normalise import normalise
from bot.knowledge.store import DrugStore
from bot.knowledge.wording import DISCLAIMER, dictionary_only_sentence, gap_notes

SECTIONS = ("overview", "side-effects", "interactions", "cautions", "sources")
SECTION_TITLES = {
    "overview": "Overview",
    "side-effects": "Side effects",
    "interactions": "Interactions",
    "cautions": "Cautions",
    "sources": "Sources",
}
KEY_INTERACTIONS = 5


def echo(text: str) -> str:
    """User text made safe to show back: no markdown effects, no mentions."""
    return escape_mentions(escape_markdown(" ".join(text.split())[:100]))


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
        reviewed = sorted(applies_to, key=lambda d: (not store.is_curated(d), store.name(d).casefold()))
        lines.append("Applies to: " + ", ".join(store.name(d) for d in reviewed))
    if rule.is_class_rule:
        lines.append(f"_From the {describe_rule(store, rule)}._")
    if rule.sources:
        lines.append(f"Source: {rule.sources[0].cite()}")
    return "\n".join(lines)


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
    """The drug card for a resolved name, one section at a time; choices when it did not resolve.

    Every section holds all that is on record for it: nothing is cut to fit. Discord shows a long
    section over pages (`paginate`); the console and the CLI print it whole.
    """
    if resolution.status != "match" or resolution.drug is None:
        return choose_answer(resolution, index)
    store = index.store
    said = interpretation(resolution, index)
    kind = store.kind_of(resolution.drug)
    if kind == "class":
        return class_card(index, resolution.drug, said)
    if kind == "combination":
        return combination_card(index, resolution.drug, said)
    drug = store.drug(resolution.drug)
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
            fields.append(Field("Key interactions", key_interactions(store, groups)))
        if drug.boxed_warning or drug.cautions:
            fields.append(Field("Before and while taking it", bullets(cautions(drug))))
    elif section == "side-effects":
        fields.append(Field("Common side effects", bullets(drug.common_side_effects) or "None listed."))
        fields.append(
            Field("Get medical help promptly for", bullets(drug.serious_side_effects) or "None listed.")
        )
    elif section == "interactions":
        groups = grouped_interactions_of(store, drug.id)
        fields += [group_field(store, g) for g in groups]
        description = "\n\n".join(p for p in (intro, interactions_summary(drug, groups)) if p)
    elif section == "cautions":
        fields.append(Field("Before and while taking it", bullets(cautions(drug)) or "None listed."))
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
    )


BOXED = "⚠️ Boxed warning: "


def cautions(drug: Drug) -> list[str]:
    """A drug's cautions, its label's boxed warnings first."""
    return [BOXED + item for item in drug.boxed_warning] + list(drug.cautions)


def key_interactions(
    store: DrugStore, groups: list[RuleGroup], more: str = "see the Interactions section"
) -> str:
    """The worst few rules of a card's overview, and how many more there are and where to see them."""
    lines = [f"{g.rule.severity.label}: {group_label(store, g)}" for g in groups[:KEY_INTERACTIONS]]
    rest = groups[KEY_INTERACTIONS:]
    if rest:
        worst = rest[0].rule.severity.word
        lines.append(f"…and {len(rest)} more (the worst of them {worst}): {more}.")
    return "\n".join(lines)


def interactions_summary(drug: Drug, groups: list[RuleGroup]) -> str:
    if not groups:
        return (
            f"No interactions on record for {drug.name}. That does not mean it is safe with everything: "
            "ask your pharmacist."
        )
    count = len({p for g in groups for p in g.partners})
    by_severity = Counter(g.rule.severity for g in groups)
    tally = ", ".join(f"{n} {s.word}" for s, n in sorted(by_severity.items(), reverse=True))
    return (
        f"{count} medicine(s) with an interaction on record, in {len(groups)} rule(s) ({tally}), worst first; "
        "all are listed here. A medicine not listed has no record: that does not mean the combination "
        "is safe. Use /interactions to check your own list."
    )


def group_label(store: DrugStore, group: RuleGroup) -> str:
    """ "allopurinol", or "live vaccines (7)" when a class rule covers several drugs."""
    if len(group.partners) == 1:
        return store.name(group.partners[0])
    return f"{store.side_name(group.other_side)} ({len(group.partners)})"


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
        sentence += " " + interactions_summary(drug, groups)
        fields += [group_field(store, g) for g in groups]
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
    )


def class_card(index: NameIndex, class_ref: str, said: str) -> Answer:
    """A class word's card ("NSAIDs"): what the class is, every member (reviewed first), its rules."""
    store = index.store
    cls = store.classes[class_ref.removeprefix(CLASS_PREFIX)]
    members = sorted(
        store.drugs_of(class_ref), key=lambda d: (not store.is_curated(d), store.name(d).casefold())
    )
    reviewed = sum(1 for d in members if store.is_curated(d))
    side = f"class:{cls.id}"
    rules = sorted(store.rules_by_side.get(side, ()), key=lambda r: (-r.severity, store.side_name(r.a)))
    description = "\n\n".join(
        p
        for p in (
            said,
            cls.description,
            f"{len(members)} medicine(s) on record in this group ({reviewed} with a reviewed entry). "
            f"Its {len(rules)} interaction rule(s) are below, worst first; a member's own card may hold more. "
            "Use /interactions to check your own list.",
        )
        if p
    )
    fields = [Field("Members", ", ".join(index.shown_as(d) for d in members) or "None on record.")]
    for rule in rules:
        other = rule.b if rule.a == side else rule.a
        fields.append(Field(f"{rule.severity.label}: with {store.side_name(other)}", rule_text(store, rule)))
    return Answer(
        title=cls.name[:1].upper() + cls.name[1:],
        description=description,
        fields=tuple(fields),
        footer=DISCLAIMER,
        drug=class_ref,
        section="overview",
    )


def combination_card(index: NameIndex, combo_id: str, said: str) -> Answer:
    """A combination product's card: what it contains, and each ingredient's key interactions."""
    store = index.store
    ingredients = store.drugs_of(combo_id)
    contains = " and ".join(f"**{index.shown_as(d)}**" for d in ingredients)
    description = "\n\n".join(
        p
        for p in (
            said,
            f"{store.name(combo_id)} is a combination product: it contains {contains}. "
            "Everything that applies to each of them applies to it, including double doses with other "
            "products that contain the same medicine.",
        )
        if p
    )
    fields = []
    for drug_id in ingredients:
        groups = grouped_interactions_of(store, drug_id)
        more = f"see /drug {store.name(drug_id)}"
        if not store.is_curated(drug_id):
            body = dictionary_only_sentence(store.name(drug_id), store.name(drug_id))
            body += "\n" + (
                key_interactions(store, groups, more) if groups else "No interactions are on record for it."
            )
        else:
            body = (
                key_interactions(store, groups, more)
                if groups
                else f"No interactions on record for {store.name(drug_id)}."
            )
        fields.append(
            Field(
                f"{index.shown_as(drug_id)}: key interactions",
                body,
            )
        )
    sources = store.combination_sources(combo_id)
    source = f"Source: {sources[0].cite()}\n" if sources else ""
    return Answer(
        title=store.name(combo_id)[:1].upper() + store.name(combo_id)[1:],
        description=description,
        fields=tuple(fields),
        footer=source + DISCLAIMER,
        drug=combo_id,
        section="overview",
    )


def check_answer(index: NameIndex, report: CheckReport) -> Answer:
    """The answer to /interactions: every pair worst first, double-ups, names not understood, and one
    line for the pairs with nothing on record.

    It is not cut to fit: Discord shows a long check over several messages (`paginate`).
    """
    store = index.store
    labels = [subject_label(store, s) for s in report.subjects]
    parts = [e for r in report.resolutions if (e := interpretation(r, index))]
    for subject in report.subjects:
        if subject.how == "either":
            parts.append(
                f"*{echo(subject.resolution.query)}* could mean {' or '.join(map(index.shown_as, subject.drugs))}: "
                "each was checked, and the worst is shown."
            )
    fields = interaction_fields(store, report, labels)
    for duplicate in report.duplicates:
        fields.append(
            Field(
                "⚠️ Possible double-up",
                f"{', '.join(escape_markdown(n) for n in duplicate.names)}: {duplicate.reason}. Ask your pharmacist whether both are meant.",
            )
        )
    for a, b, note in report.usual:
        fields.append(Field(f"ℹ️ Taken together on purpose: {a} + {b}", note))
    notes = gap_notes(report)
    if len(notes) == 1:
        fields.append(Field("No record", notes[0]))
    elif report.no_record or report.not_reviewed:
        lines = []
        if report.no_record:
            lines.append(
                f"No interaction on record for the other {len(report.no_record)} pair(s). That does not mean "
                "they are safe: ask your pharmacist."
            )
        if report.not_reviewed:
            names = ", ".join(f"{a} + {b}" for a, b in report.not_reviewed)
            lines.append(
                f"Not checked, because one medicine has no reviewed entry here: {names}. Ask your pharmacist."
            )
        fields.append(Field("Nothing on record for the other pairs", "\n".join(lines)))
    for unresolved in report.unresolved:
        suggestions = ", ".join(c.shown_as for c in unresolved.candidates[:3])
        hint = f" Did you mean {suggestions}?" if suggestions else ""
        fields.append(
            Field(
                f"❓ {echo(unresolved.query)}",
                f"I couldn't tell what *{echo(unresolved.query)}* is, so it was not checked.{hint}",
            )
        )
    if len(report.subjects) < 2 and not report.duplicates:
        parts.append("Name at least two different medicines to check them together.")
    worst = max((f.severity for f in report.interactions), default=None)
    summary = (
        f"Checked {len(labels)} name(s): {', '.join(labels)}."
        if labels
        else "No medicine names were recognised."
    )
    if report.interactions:
        summary += f" {len({(f.between, f.rule.key) for f in report.interactions})} interaction(s) found, worst first."
    return Answer(
        title="Interaction check",
        description="\n".join([summary, *parts]),
        fields=tuple(fields),
        footer=DISCLAIMER,
        severity=worst,
    )


def interaction_fields(store: DrugStore, report: CheckReport, labels: list[str]) -> list[Field]:
    """One field per pair of names and rule, worst first: "🔴 Major: warfarin + NSAIDs", the rule, and
    which drugs it covers when a name stood for several."""
    grouped: dict[tuple[tuple[int, int], tuple[str, str]], list[FoundInteraction]] = {}
    for hit in report.interactions:
        grouped.setdefault((hit.between, hit.rule.key), []).append(hit)
    fields = []
    for (between, _), found in grouped.items():
        first = found[0]
        names = [labels[i] for i in between] if labels else [store.name(d) for d in first.drugs]
        label = f"{first.severity.label}: {names[0]} + {names[1]}"
        body = [rule_text(store, first.rule)]
        for rule in first.equally_severe[1:]:
            body.append(
                f"**Also {rule.severity.word}:** {rule.what_happens} _({describe_rule(store, rule)})_"
            )
        subjects = [report.subjects[i] for i in between] if report.subjects else []
        if any(s.how != "drug" for s in subjects):
            pairs = ", ".join(f"{store.name(f.drugs[0])} + {store.name(f.drugs[1])}" for f in found)
            body.append(f"Applies to: {pairs}")
        fields.append(Field(label, "\n".join(body)))
    return fields


def scan_answer(index: NameIndex, scan: ScanReport, threshold: Severity = Severity.MODERATE) -> Answer | None:
    """The chat warning for a message, or None when nothing in it reaches the threshold."""
    if scan.check is None:
        return None
    serious = [f for f in scan.check.interactions if f.severity >= threshold]
    if not serious:
        return None
    store = index.store
    labels = [subject_label(store, s) for s in scan.check.subjects]
    fields = interaction_fields(store, replace(scan.check, interactions=tuple(serious)), labels)
    named = ", ".join(dict.fromkeys(mentioned(store, m) for m in scan.mentions))
    return Answer(
        title="Possible interaction in this message",
        description=f"Medicines mentioned: {named}.",
        fields=tuple(fields),
        footer=DISCLAIMER,
        severity=max(f.severity for f in serious),
    )


NOTE_TITLE = "📝 This server's note"


def with_note(answer: Answer, note: str) -> Answer:
    """A card with the server's community note first among its fields, marked as the server's words."""
    value = f"{note}\n_Written by this server's moderators, not medical content from the bot._"
    return replace(answer, fields=(Field(NOTE_TITLE, value), *answer.fields))


PINS_TITLE = "📌 Pinned in this server"


def with_pins(answer: Answer, lines: Sequence[str], more: int) -> Answer:
    """A card with links to this server's pinned answers about the medicine, first among its fields."""
    tail = [f"…and {more} more: /pins list shows them all."] if more else []
    return replace(answer, fields=(Field(PINS_TITLE, "\n".join([*lines, *tail])), *answer.fields))


def chat_reply(index: NameIndex, scan: ScanReport, threshold: Severity) -> Answer | None:
    """The short, kind reply under a chat message: what was understood, the worst interaction in words
    and symbol with one line of what to do, and how many more the Details button shows. None when
    nothing reaches the server's threshold."""
    full = scan_answer(index, scan, threshold)
    if full is None or scan.check is None:
        return None
    store = index.store
    serious = [f for f in scan.check.interactions if f.severity >= threshold]
    worst = serious[0]
    others = len({(f.between, f.rule.key) for f in serious}) - 1
    lines = [
        full.description,
        f"{worst.severity.label}: "
        f"{' + '.join(subject_label(store, scan.check.subjects[i]) for i in worst.between)}. "
        f"{worst.rule.what_to_do}",
    ]
    if others > 0:
        lines.append(f"{others} more interaction(s) at {threshold.word} or above: press Details to see all.")
    else:
        lines.append("Press Details for the full check, shown only to you.")
    return Answer(
        title="A possible interaction in this message",
        description="\n".join(lines),
        footer=DISCLAIMER,
        severity=worst.severity,
    )


def message_check_answer(index: NameIndex, scan: ScanReport) -> Answer:
    """ "Check drugs in message": every medicine found, every interaction worst first, or what it means
    that none is on record."""
    store = index.store
    found = ", ".join(dict.fromkeys(mentioned(store, m) for m in scan.mentions))
    if scan.check is not None:
        check = check_answer(index, scan.check)
        return replace(
            check,
            title="Medicines in this message",
            description=f"Found: {found}.\n{check.description}",
        )
    description = (
        f"Found: {found}. Name two or more medicines to check them together."
        if found
        else "No medicine names were found in this message."
    )
    return Answer(title="Medicines in this message", description=description, footer=DISCLAIMER)


def mentioned(store: DrugStore, mention: Mention) -> str:
    """How a mention is shown: the medicine's name, with what was written when that differs; every
    medicine it could mean when it could mean several ("pred → prednisone or prednisolone")."""
    drugs = mention.candidates or (mention.drug,)
    names = " or ".join(store.name(d) for d in drugs)
    if len(drugs) == 1 and normalise(mention.text) in (normalise(names), normalise(mention.drug)):
        return names
    return f"{echo(mention.text)} → {names}"


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
