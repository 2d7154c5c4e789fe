"""`summarise show FILE --html`: one self-contained page (no external assets, no network; a
Content-Security-Policy forbids any) with the article, its quotes highlighted, and the claims."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from importlib import resources
from string import Template

from summarise_agent.review.claims import Layout, actor_label, layout, quote_counts, unverified
from summarise_agent.review.html_article import PlacedQuote, render_article
from summarise_agent.review.records import ActionView, ActorView, EvidenceView, PositionView, RecordView

NO_SOURCE_NOTICE = (
    "The article text is not shown: pass --source ARTICLE to show the article with every "
    "quote highlighted. The claims and their quotes are listed here."
)


@dataclass(frozen=True)
class NumberedEvidence:
    evidence_id: str  # "q7", unique in the page
    claim_number: int
    item: EvidenceView
    placed: bool  # highlighted in the article (located, and an article is shown)


def _template(name: str) -> str:
    return (resources.files("summarise_agent.review") / "templates" / name).read_text(encoding="utf-8")


def _number_evidence(shown: Layout, text_length: int | None) -> dict[int, list[NumberedEvidence]]:
    claims: list[tuple[int, tuple[EvidenceView, ...]]] = [
        (number, position.evidence)
        for group in shown.topics
        for number, position in group.positions
    ]
    claims += [(number, action.evidence) for number, action in shown.actions]
    numbered: dict[int, list[NumberedEvidence]] = {}
    counter = 0
    for claim_number, evidence in claims:
        for item in evidence:
            counter += 1
            placed = (
                text_length is not None
                and item.located
                and 0 <= (item.start or 0) < (item.end or 0) <= text_length
            )
            numbered.setdefault(claim_number, []).append(
                NumberedEvidence(f"q{counter}", claim_number, item, placed)
            )
    return numbered


def render_record_html(
    record: RecordView, article_text: str | None, index_link: str | None = None
) -> str:
    """The page; INDEX_LINK (relative URL of a folder's index page) adds a link back to it."""
    shown = layout(record)
    evidence = _number_evidence(shown, None if article_text is None else len(article_text))
    if article_text is None:
        article = f'<p class="notice">{escape(NO_SOURCE_NOTICE)}</p>'
    else:
        placed = [
            PlacedQuote(entry.evidence_id, f"c{entry.claim_number}", entry.claim_number,
                        entry.item.start or 0, entry.item.end or 0, entry.item.match == "fuzzy")
            for entries in evidence.values() for entry in entries if entry.placed
        ]  # fmt: skip
        article = render_article(article_text, placed)
    title = record.source.name or record.path.name
    facts = [
        f"schema {record.schema.name} v{record.schema.version}",
        f"prompt {record.prompt.name} v{record.prompt.version}",
        f"model {record.model or '?'}",
        quote_counts(record),
    ]
    page = Template(_template("page.html")).substitute(
        title=escape(f"{title}: {record.schema.name} (summarise)"),
        heading=escape(f"{title}: {record.schema.name}"),
        nav=(
            f'<p class="nav"><a href="{escape(index_link, quote=True)}">&larr; all records</a></p>'
            if index_link
            else ""
        ),
        facts=escape(" · ".join([*record.source.provenance_facts(), *facts])),
        article=article,
        warning=_warning(record, shown),
        claims=_claims_panel(record, shown, evidence),
        style=_template("page.css").rstrip("\n"),
        script=_template("page.js").rstrip("\n"),
    )
    return page


def _warning(record: RecordView, shown: Layout) -> str:
    banner = unverified(record, shown).banner()
    return f'<p class="warning" role="alert">{escape(banner)}</p>' if banner else ""


def _claims_panel(
    record: RecordView, shown: Layout, evidence: dict[int, list[NumberedEvidence]]
) -> str:
    parts: list[str] = []
    if record.summary is not None:
        parts.append(f"<h2>Summary</h2>\n<p>{escape(record.summary)}</p>")
    parts.append(_actors_table(record))
    if shown.topics:
        parts.append("<h2>Positions</h2>")
        for group in shown.topics:
            parts.append(f"<h3>{escape(group.topic)}</h3>")
            parts.extend(_position(record, n, p, evidence.get(n, [])) for n, p in group.positions)
    if shown.actions:
        parts.append("<h2>Proposed actions</h2>")
        parts.extend(_action(record, n, a, evidence.get(n, [])) for n, a in shown.actions)
    if record.other_fields:
        body = json.dumps(record.other_fields, indent=2, ensure_ascii=False)
        parts.append(f"<h2>Other fields</h2>\n<pre>{escape(body)}</pre>")
    return "\n".join(parts)


def _actors_table(record: RecordView) -> str:
    if not record.actors:
        return "<h2>Actors</h2>\n<p>None.</p>"
    rows = "\n".join(
        "<tr>"
        + "".join(f"<td>{escape(value or '-')}</td>" for value in _actor_cells(actor))
        + "</tr>"
        for actor in record.actors
    )
    head = "<tr><th>Name</th><th>Id</th><th>Kind</th><th>Role</th><th>Affiliation</th></tr>"
    return f"<h2>Actors</h2>\n<table>\n<thead>{head}</thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _actor_cells(actor: ActorView) -> tuple[str | None, ...]:
    name = (
        f"{actor.name} (UNVERIFIED: not in the article)"
        if actor.name_match == "not_found"
        else actor.name
    )
    return (name, actor.id, actor.kind, actor.role, actor.affiliation)


def _evidence_list(entries: list[NumberedEvidence]) -> str:
    items = []
    for entry in entries:
        quote = f"<q>{escape(entry.item.quote)}</q>"
        if entry.item.match == "not_found":
            note = '<span class="badge">not found in the article</span>'
            if entry.item.differs:
                note += f' <span class="match">{escape(entry.item.differs)}</span>'

            items.append(f'<li class="not-found">{quote} {note}</li>')
            continue
        label = f"{entry.item.match}, characters {entry.item.start}-{entry.item.end}"
        if entry.placed:
            quote = f'<a href="#{entry.evidence_id}">{quote}</a>'
        items.append(f'<li>{quote} <span class="match">{escape(label)}</span></li>')
    return '<ul class="evidence">\n' + "\n".join(items) + "\n</ul>"


def _claim(number: int, heading: str, body: str, entries: list[NumberedEvidence]) -> str:
    if any(not entry.item.verified for entry in entries):
        classes, badge = "claim unverified", ' <span class="badge">unverified</span>'
    else:
        classes, badge = "claim", ""
    return (
        f'<article class="{classes}" id="c{number}" tabindex="0">\n'
        f'<div><span class="claim-number">[{number}]</span> {heading}{badge}</div>\n'
        f"{body}{_evidence_list(entries)}\n</article>"
    )


def _position(
    record: RecordView, number: int, position: PositionView, entries: list[NumberedEvidence]
) -> str:
    heading = (
        f"<strong>{escape(actor_label(record, position.actor))}</strong> "
        f'<span class="stance">{escape(position.stance)}</span>'
    )
    return _claim(number, heading, f"<p>{escape(position.summary)}</p>\n", entries)


def _action(
    record: RecordView, number: int, action: ActionView, entries: list[NumberedEvidence]
) -> str:
    participants = ", ".join(actor_label(record, actor_id) for actor_id in action.participants)
    conditions = "; ".join(action.conditions)
    heading = (
        f"<strong>{escape(action.action)}</strong> "
        f'<span class="status">{escape(action.status.replace("_", " "))}</span>'
    )
    body = (
        f"<p>Proposer: {escape(actor_label(record, action.proposer))}<br>\n"
        f"Participants: {escape(participants or 'none')}<br>\n"
        f"Conditions: {escape(conditions or 'none')}</p>\n"
    )
    return _claim(number, heading, body, entries)
