"""HTML pages: the main article's text, title and date, via trafilatura.

trafilatura is imported here, on first use, not when `agent.cleaning` is imported: it takes a
fifth of a second to import and plain text (the common input) never needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.errors import NoArticleFound

_HTML_START = re.compile(
    r"\s*(<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(!doctype\s+html|html)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"<(html|head|body|meta|title|div|p|article|section|script|span)\b[^>]*>", re.I
)
# Markup that declares a publication date: <meta property="article:published_time">, <meta
# name="date">, itemprop="datePublished", <time datetime=...>, JSON-LD "datePublished". Without
# any, htmldate falls back to dates written in the prose ("on 12 March..."), which say when
# something happened, not when the page was published: such a guess is not recorded.
_DECLARED_DATE = re.compile(
    r"""<meta\b[^>]*\b(?:property|name|itemprop)\s*=\s*["']?[^"'>]*"""
    r"""(?:date|time|published|issued|created|modified)"""
    r"""|<time\b[^>]*\bdatetime\s*="""
    r"""|["']date(?:Published|Created|Modified)["']""",
    re.IGNORECASE,
)
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
_HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class ExtractedArticle:
    text: str  # one paragraph per line, as trafilatura writes it
    title: str | None
    date: str | None
    url: str | None = None  # the page's canonical URL (link rel=canonical, og:url)


def looks_like_html(name: str, media_type: str | None, text: str) -> bool:
    """Whether TEXT is an HTML page: by media type, by file name, else by its content."""
    declared = (media_type or "").split(";")[0].strip().lower()
    if declared in _HTML_MEDIA_TYPES:
        return True
    if declared:  # an explicit non-HTML media type is trusted
        return False
    if name.lower().endswith(_HTML_EXTENSIONS):
        return True
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    # A fragment: starts with a tag and has several structural ones (pasted page source).
    return head.lstrip().startswith("<") and len(_HTML_TAG.findall(head)) >= 3


def extract_article(html: str, name: str) -> ExtractedArticle:
    """The page's main text; NoArticleFound when trafilatura finds none."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        include_comments=False,  # readers' comments are not the article
        include_tables=True,
        with_metadata=True,
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise NoArticleFound(f"{name}: no article text found in this HTML page")
    return ExtractedArticle(
        text=text,
        title=_metadata(document, "title"),
        date=_metadata(document, "date") if _DECLARED_DATE.search(html) else None,
        url=_metadata(document, "url"),
    )


def _metadata(document: object, attribute: str) -> str | None:
    value = getattr(document, attribute, None)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
