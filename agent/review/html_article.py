"""The article as HTML with every located quote highlighted, placed by its recorded offsets.

Quotes may overlap, so the text is cut at every quote boundary and each piece is marked with
all the quotes (and claims) covering it. An empty anchor at each quote's start is what claims
link to; after each quote's end, small numbered links lead back to the claims it supports.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from itertools import pairwise


@dataclass(frozen=True)
class PlacedQuote:
    evidence_id: str  # "q3": the anchor claims link to
    claim_id: str  # "c2": the claim this quote supports
    claim_number: int
    start: int
    end: int
    fuzzy: bool


def _boundaries(text: str, quotes: list[PlacedQuote]) -> list[int]:
    cuts = {0, len(text)}
    for quote in quotes:
        cuts.update((quote.start, quote.end))
    return sorted(cuts)


def _mark(piece: str, covering: list[PlacedQuote]) -> str:
    claim_ids = sorted({quote.claim_id for quote in covering}, key=lambda cid: int(cid[1:]))
    evidence_ids = " ".join(quote.evidence_id for quote in covering)
    classes = ["quote"]
    if all(quote.fuzzy for quote in covering):
        classes.append("fuzzy")  # only when no exact quote covers the piece
    if len(covering) > 1:
        classes.append("layered")
    numbers = ", ".join(cid[1:] for cid in claim_ids)
    return (
        f'<mark class="{" ".join(classes)}" data-evidence="{evidence_ids}" '
        f'data-claims="{" ".join(claim_ids)}" title="Supports claim(s) {numbers}">'
        f"{escape(piece, quote=False)}</mark>"
    )


def _references(ending: list[PlacedQuote]) -> str:
    links = []
    seen: set[str] = set()
    for quote in sorted(ending, key=lambda quote: quote.claim_number):
        if quote.claim_id not in seen:
            seen.add(quote.claim_id)
            links.append(f'<a href="#{quote.claim_id}">{quote.claim_number}</a>')
    return f'<sup class="refs">{"".join(links)}</sup>' if links else ""


def render_article(text: str, quotes: list[PlacedQuote]) -> str:
    """Quotes must lie within the text (0 <= start < end <= len(text)); the caller checks."""
    cuts = _boundaries(text, quotes)
    parts: list[str] = []
    for start, end in pairwise(cuts):
        parts.extend(_references([quote for quote in quotes if quote.end == start]))
        parts.extend(
            f'<span class="anchor" id="{quote.evidence_id}"></span>'
            for quote in quotes
            if quote.start == start
        )
        piece = text[start:end]
        covering = [quote for quote in quotes if quote.start <= start and end <= quote.end]
        parts.append(_mark(piece, covering) if covering else escape(piece, quote=False))
    parts.append(_references([quote for quote in quotes if quote.end == len(text)]))
    return f'<div class="article">{"".join(parts)}</div>'
