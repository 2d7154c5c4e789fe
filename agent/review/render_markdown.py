"""`summarise show FILE`: one record as Markdown for people (and for a PR or an issue)."""

from __future__ import annotations

import json
import re

from summarise_agent.review.claims import Layout, actor_label, layout, quote_counts, unverified
from summarise_agent.review.records import ActionView, ActorView, EvidenceView, PositionView, RecordView

# characters that would turn model-written text into markup
_MARKUP = re.compile(r"([\\`*_\[\]<>|])")


def escape(text: str) -> str:
    """Inline text: one line, markup characters escaped."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def render_record_markdown(record: RecordView) -> str:
    shown = layout(record)
    sections = [_header(record)]
    warning = unverified(record, shown).banner()
    if warning:
        sections.append(f"> **Warning: {escape(warning)}**\n")
    if record.summary is not None:
        sections.append(f"## Summary\n\n{escape(record.summary)}\n")
    sections.append(_actors(record))
    if record.positions:
        sections.append(_positions(record, shown))
    if record.actions:
        sections.append(_actions(record, shown))
    if record.other_fields:
        body = json.dumps(record.other_fields, indent=2, ensure_ascii=False)
        sections.append(f"## Other fields\n\n```json\n{body}\n```\n")
    return "\n".join(sections)


def _header(record: RecordView) -> str:
    title = escape(record.source.name or record.path.name)
    schema = f"{record.schema.name} v{record.schema.version}"
    prompt = f"{record.prompt.name} v{record.prompt.version}"
    facts = [f"schema {schema}", f"prompt {prompt}", f"model {record.model or '?'}"]
    if record.positions or record.actions:
        facts.append(quote_counts(record))
    provenance = record.source.provenance_facts()
    origin = f"{escape(' · '.join(provenance))}\n\n" if provenance else ""
    return f"# {title}: {escape(record.schema.name)}\n\n{origin}{escape(' · '.join(facts))}\n"


def _cell(text: str | None) -> str:
    return escape(text) if text else "-"


def _actors(record: RecordView) -> str:
    if not record.actors:
        return "## Actors\n\nNone.\n"
    rows = [
        f"| `{actor.id}` | {_cell(actor.name)}{_actor_badge(actor)} | {_cell(actor.kind)} "
        f"| {_cell(actor.role)} | {_cell(actor.affiliation)} |"
        for actor in record.actors
    ]
    table = ["| Id | Name | Kind | Role | Affiliation |", "| --- | --- | --- | --- | --- |", *rows]
    return "## Actors\n\n" + "\n".join(table) + "\n"


UNVERIFIED = "**UNVERIFIED**"
UNVERIFIED_ACTOR = " **UNVERIFIED: not in the article**"


def _evidence_lines(evidence: tuple[EvidenceView, ...]) -> list[str]:
    lines: list[str] = []
    for item in evidence:
        if item.located:
            where = f"*({item.match}, characters {item.start}-{item.end})*"
        else:
            differs = f": {item.differs}" if item.differs else ""
            where = f"**NOT FOUND in the article**{escape(differs)}"
        lines += ["", f"  > {escape(item.quote)} {where}"]
    return lines


def _actor_badge(actor: ActorView) -> str:
    return UNVERIFIED_ACTOR if actor.name_match == "not_found" else ""


def _badge(evidence: tuple[EvidenceView, ...]) -> str:
    return f"{UNVERIFIED} " if any(not item.verified for item in evidence) else ""


def _position(record: RecordView, number: int, position: PositionView) -> list[str]:
    who = escape(actor_label(record, position.actor))
    return [
        f"- {_badge(position.evidence)}**{who}** {escape(position.stance)} [{number}]: "
        f"{escape(position.summary)}",
        *_evidence_lines(position.evidence),
    ]


def _positions(record: RecordView, shown: Layout) -> str:
    lines = ["## Positions"]
    for group in shown.topics:
        lines += ["", f"### {escape(group.topic)}", ""]
        for number, position in group.positions:
            lines += [*_position(record, number, position), ""]
        lines.pop()
    return "\n".join(lines) + "\n"


def _action(record: RecordView, number: int, action: ActionView) -> list[str]:
    participants = ", ".join(
        escape(actor_label(record, actor_id)) for actor_id in action.participants
    )
    conditions = "; ".join(escape(condition) for condition in action.conditions)
    return [
        f"### {_badge(action.evidence)}{escape(action.action)} [{number}]",
        "",
        f"- Proposer: **{escape(actor_label(record, action.proposer))}**",
        f"- Status: {escape(action.status.replace('_', ' '))}",
        f"- Participants: {participants or 'none'}",
        f"- Conditions: {conditions or 'none'}",
        "- Evidence:",
        *_evidence_lines(action.evidence),
    ]


def _actions(record: RecordView, shown: Layout) -> str:
    lines = ["## Proposed actions"]
    for number, action in shown.actions:
        lines += ["", *_action(record, number, action)]
    return "\n".join(lines) + "\n"
