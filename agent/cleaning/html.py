"""HTML pages: the main article's text, title and date, via trafilatura.

trafilatura is imported here, on first use, not when `summarise_agent.cleaning` is imported: it takes a
fifth of a second to import and plain text (the common input) never needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarise_agent.errors import InputTooLarge, NoArticleFound

_HTML_START = re.compile(
    r"\s*(<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(!doctype\s+html|html)\b", re.I | re.S
)
_HTML_TAG = re.compile(
    r"<(html|head|body|meta|title|div|p|article|section|script|span)\b[^>]*>", re.I
)
# Large pages degrade before they are refused. Scripts, styles, inline SVG and comments (the
# bulk of a modern news page's bytes, never article text) are cut out first, in one linear
# regex pass; what is left is counted. jusText's fallback (better precision on ordinary pages)
# grows super-linearly, so above _FALLBACK_MAX_TAGS trafilatura runs alone (fast=True), which
# stays roughly linear (20,000 paragraphs: ~2 s). Only beyond MAX_HTML_TAGS, where even that
# takes too long, is the page refused. The benchmark's largest real article page has ~3,300.
MAX_HTML_TAGS = 50_000
_FALLBACK_MAX_TAGS = 6_000
_NEVER_TEXT_START = re.compile(r"<(script|style|noscript|svg|template)\b[^>]*>|<!--", re.I)
# Above this size the metadata search (htmldate scans the whole page) is skipped: the title
# comes from <title>, the date stays unknown.
_METADATA_MAX_CHARS = 1_500_000
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
# Hover cards and tooltips: a name's pop-up (its title, latest headlines) sits inside the
# paragraph's markup and would be glued into the sentence ("Jane DoeJane Doe Latest: ...").
_POPUPS = (
    "//*[contains(@class,'hovercard') or contains(@class,'hover-card')"
    " or contains(@class,'popover') or contains(@class,'tooltip')"
    " or contains(@role,'tooltip')]",
    "//*[contains(@class,'rollover')]//*[contains(@class,'block') or contains(@class,'card')"
    " or contains(@class,'popup')]",
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
    """The page's main text; NoArticleFound when trafilatura finds none, InputTooLarge when
    the page, without its scripts and styles, has more tags than can be extracted in a few
    seconds."""
    if html.count("<") > _FALLBACK_MAX_TAGS:
        html = _without_never_text(html)
    tags = html.count("<")
    if tags > MAX_HTML_TAGS:
        raise InputTooLarge(
            f"{name}: the HTML page has {tags:,} tags besides scripts and styles, over the "
            f"{MAX_HTML_TAGS:,} that can be cleaned in a few seconds; save the article's text "
            "and clean that instead"
        )
    import trafilatura

    with_metadata = len(html) <= _METADATA_MAX_CHARS
    document = trafilatura.bare_extraction(
        html,
        fast=tags > _FALLBACK_MAX_TAGS,
        include_comments=False,  # readers' comments are not the article
        include_tables=True,
        with_metadata=with_metadata,
        prune_xpath=list(_POPUPS),
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise NoArticleFound(f"{name}: no article text found in this HTML page")
    title = _metadata(document, "title") if with_metadata else _title_tag(html)
    return ExtractedArticle(
        text=text,
        title=title,
        date=_metadata(document, "date") if _DECLARED_DATE.search(html) else None,
        url=_metadata(document, "url"),
    )


def _without_never_text(html: str) -> str:
    """HTML without scripts, styles, <noscript>, inline SVG, templates and comments. One
    forward pass (a regex with a lazy `.*?` would rescan the page for every unclosed tag);
    an unclosed one runs to the end of the page, as a browser reads it."""
    lowered = html.lower()
    kept: list[str] = []
    position = 0
    while (found := _NEVER_TEXT_START.search(html, position)) is not None:
        kept.append(html[position : found.start()])
        kept.append(" ")
        element = found.group(1)
        closing = "-->" if element is None else f"</{element.lower()}"
        end = lowered.find(closing, found.end())
        if end < 0:
            return "".join(kept)
        end = end + 3 if element is None else lowered.find(">", end) + 1
        if end <= 0:
            return "".join(kept)
        position = end
    kept.append(html[position:])
    return "".join(kept)


def _title_tag(html: str) -> str | None:
    found = _TITLE_TAG.search(html[:200_000])
    return " ".join(found.group(1).split()) or None if found else None


def _metadata(document: object, attribute: str) -> str | None:
    value = getattr(document, attribute, None)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
