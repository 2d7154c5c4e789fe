"""`summarise show DIR --html -o SITE`: an index page of every record in a folder, and a page
per record. The index comes first for a reviewer: the claims whose quotes were not found in
the article, then every article (those with unverified claims first) with its counts, each
linking to its own page. Self-contained like the single page: no external assets, and a
Content-Security-Policy that forbids any network access (and any script: it needs none).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape
from importlib import resources
from string import Template
from urllib.parse import quote

from summarise_agent.review.claims import actor_label, layout
from summarise_agent.review.records import ActionView, PositionView, RecordView

PAGES_DIR = "pages"


@dataclass(frozen=True)
class IndexEntry:
    file: str  # the record's path relative to DIR (posix)
    record: RecordView

    @property
    def page(self) -> str:
        """The record's page, relative to the index."""
        stem = self.file[: -len(".json")] if self.file.endswith(".json") else self.file
        return f"{PAGES_DIR}/{stem}.html"

    def counts(self) -> Counter[str]:
        counts = Counter(item.match for item in self.record.all_evidence())
        counts["claims"] = len(self.record.positions) + len(self.record.actions)
        counts["unverified"] = len(unverified_claims(self.record))
        dangling = self.record.checks.get("dangling_actor_ids")
        counts["dangling"] = dangling if isinstance(dangling, int) else 0
        return counts


def unverified_claims(record: RecordView) -> list[tuple[int, PositionView | ActionView]]:
    """(claim number as on its page, claim) for claims with a quote not found in the article."""
    shown = layout(record)
    numbered: list[tuple[int, PositionView | ActionView]] = [
        *(pair for group in shown.topics for pair in group.positions), *shown.actions,
    ]  # fmt: skip
    return [(n, claim) for n, claim in numbered
            if any(item.match == "not_found" for item in claim.evidence)]  # fmt: skip


def _template(name: str) -> str:
    return (resources.files("summarise_agent.review") / "templates" / name).read_text(encoding="utf-8")


def render_index_html(entries: list[IndexEntry], folder_name: str) -> str:
    totals: Counter[str] = Counter()
    for entry in entries:
        totals.update(entry.counts())
    quotes = totals["exact"] + totals["fuzzy"] + totals["not_found"]
    facts = (
        f"{len(entries)} article(s) · {totals['claims']} claim(s) · {quotes} quote(s): "
        f"{totals['exact']} exact, {totals['fuzzy']} fuzzy, {totals['not_found']} not found · "
        f"{totals['unverified']} unverified claim(s) · {totals['dangling']} dangling actor id(s)"
    )
    # articles with the most unverified claims first, in both sections
    ordered = sorted(entries, key=lambda entry: (-entry.counts()["unverified"], entry.file))
    body = "\n".join([_unverified_section(ordered), _articles_section(ordered)])
    return Template(_template("index.html")).substitute(
        title=escape(f"{folder_name}: {len(entries)} records (summarise)"),
        heading=escape(f"{folder_name}: {len(entries)} record(s)"),
        facts=escape(facts), body=body, style=_template("index.css").rstrip("\n"),
    )  # fmt: skip


def _link(entry: IndexEntry, anchor: str = "") -> str:
    return escape(quote(entry.page) + anchor, quote=True)


def _unverified_section(entries: list[IndexEntry]) -> str:
    rows = []
    for entry in entries:
        record = entry.record
        for number, claim in unverified_claims(record):
            if isinstance(claim, PositionView):
                who, what = actor_label(record, claim.actor), f"{claim.stance}: {claim.topic}"
            else:
                who, what = actor_label(record, claim.proposer), f"{claim.status}: {claim.action}"
            missing = [item.quote for item in claim.evidence if item.match == "not_found"]
            quotes = "<br>".join(f"<q>{escape(text)}</q>" for text in missing)
            rows.append(
                f'<tr><td><a href="{_link(entry, f"#c{number}")}">{escape(_name(entry))} '
                f'[{number}]</a><span class="file">{escape(entry.file)}</span></td>'
                f"<td>{escape(who)}</td><td>{escape(what)}</td>"
                f"<td>{quotes}</td></tr>"
            )
    heading = '<h2 id="unverified">Unverified claims (a quote not found in the article)</h2>'
    if not rows:
        return f'{heading}\n<p class="none">None: every quote was found in its article.</p>'
    head = "<tr><th>Article [claim]</th><th>Actor</th><th>Claim</th><th>Quote not found</th></tr>"
    return (f'{heading}\n<div class="scroll"><table class="unverified-list">\n<thead>{head}'
            "</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table></div>")  # fmt: skip


_COLUMNS = (
    ("claims", "Claims"), ("unverified", "Unverified"), ("exact", "Exact"), ("fuzzy", "Fuzzy"),
    ("not_found", "Not found"), ("dangling", "Dangling"),
)  # fmt: skip
_WARNINGS = ("unverified", "not_found", "dangling")  # counts shown in red when not zero


def _articles_section(entries: list[IndexEntry]) -> str:
    rows = []
    for entry in entries:
        counts, source = entry.counts(), entry.record.source
        title = f'<span class="title">{escape(source.title)}</span>' if source.title else ""
        title += f'<span class="file">{escape(entry.file)}</span>'
        cells = "".join(
            f'<td class="count{" bad" if key in _WARNINGS and counts[key] else ""}">'
            f"{counts[key]}</td>" for key, _ in _COLUMNS
        )  # fmt: skip
        css = ' class="unverified"' if counts["unverified"] else ""
        rows.append(
            f'<tr{css}><td><a href="{_link(entry)}">{escape(_name(entry))}</a>{title}</td>'
            f"<td>{escape(source.published or '-')}</td>"
            f"<td>{escape(entry.record.schema.name or '-')}</td>{cells}</tr>"
        )
    numbers = "".join(f'<th class="count">{label}</th>' for _, label in _COLUMNS)
    head = f"<tr><th>Article</th><th>Published</th><th>Schema</th>{numbers}</tr>"
    return (f'<h2 id="articles">Articles</h2>\n<div class="scroll"><table class="articles">\n'
            f"<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows)
            + "\n</tbody>\n</table></div>")  # fmt: skip


def _name(entry: IndexEntry) -> str:
    return entry.record.source.name or entry.file
