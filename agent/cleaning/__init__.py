"""Cleaning stage: bytes of an article in, the article's text (and what was cut) out.

What the model sees decides what it extracts and what it costs, and grounded quotes carry
character offsets into `CleanedDocument.text`, so cleaning is deterministic: the same bytes
always give the same text. Steps: refuse what is too large or not text; decode (BOM, declared
charset, UTF-8, detector); for HTML keep the main article (trafilatura); for Markdown drop the
markup; repair mojibake; normalise (NFC, `\\n`, spaces, one blank line between paragraphs);
remove boilerplate by the rules in `rules.toml`, recording each removal. docs/cleaning.md has
the details and the benchmark.
"""

from __future__ import annotations

from summarise_agent.cleaning.boilerplate import remove_boilerplate, word_count
from summarise_agent.cleaning.encoding import charset_of_media_type, decode_bytes
from summarise_agent.cleaning.html import extract_article, looks_like_html
from summarise_agent.cleaning.markdown import is_markdown, markdown_to_text
from summarise_agent.cleaning.model import BlockModel, packaged_model
from summarise_agent.cleaning.normalise import join_paragraphs, normalise_text, repair_mojibake
from summarise_agent.cleaning.prefilter import document_scope
from summarise_agent.cleaning.records import CleanedDocument, Removal
from summarise_agent.cleaning.rules import Rule, load_rules
from summarise_agent.cleaning.segment import split_blocks
from summarise_agent.cleaning.truncation import prose_around, truncation_warning
from summarise_agent.errors import EmptyInput, InputTooLarge, NoArticleFound

__all__ = [
    "DEFAULT_MAX_BYTES",
    "BlockModel",
    "CleanedDocument",
    "Removal",
    "Rule",
    "clean_document",
    "load_rules",
]

# A few MB: far above any news article page, far below what would hurt memory or time.
DEFAULT_MAX_BYTES = 5_000_000
# An HTML page is an article only if some paragraph of its extracted text is at least this
# long; shorter "articles" are menus and forms ("Home / About / Contact").
MIN_HTML_PARAGRAPH_WORDS = 10
_HEADLINE_MAX_WORDS = 20
_HTML_EXTRACTION_REASON = (
    "Page furniture outside the main article (navigation, menus, sidebars, footers, scripts)"
)


def clean_document(
    data: bytes,
    name: str,
    *,
    media_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    model: BlockModel | None = None,
) -> CleanedDocument:
    """Clean an article given as bytes; NAME (a file name or "stdin") starts every error.

    MEDIA_TYPE (e.g. "text/html; charset=iso-8859-1") overrides detection by name and content.
    MODEL replaces the packaged boilerplate model (the benchmark's cross-validation uses it).
    Raises InputTooLarge, EmptyInput, BinaryInput, UndecodableInput or NoArticleFound.
    """
    with document_scope():  # what the rules and the model learn of a block, once per article
        return _clean(data, name, media_type, max_bytes, model)


def _clean(
    data: bytes, name: str, media_type: str | None, max_bytes: int, model: BlockModel | None
) -> CleanedDocument:
    if len(data) > max_bytes:
        raise InputTooLarge(
            f"{name}: {len(data):,} bytes is over the {max_bytes:,}-byte limit "
            "(raise it with SUMMARISE_MAX_INPUT_BYTES)"
        )
    decoded = decode_bytes(data, name, declared=charset_of_media_type(media_type))
    text = decoded.text.lstrip("\ufeff")
    if not text.strip():
        raise EmptyInput(f"{name}: the article is empty")
    if looks_like_html(name, media_type, text):
        return _clean_html(text, name, decoded.encoding, model or packaged_model())
    if is_markdown(name, media_type):
        text, media_type = markdown_to_text(text), "text/markdown"
    else:
        media_type = "text/plain"
    return _clean_text(text, name, decoded.encoding, media_type, model or packaged_model())


def _clean_text(
    text: str, name: str, encoding: str, media_type: str, model: BlockModel
) -> CleanedDocument:
    repaired, was_repaired = _repaired(text)
    normalised = normalise_text(repaired)
    kept, removals = remove_boilerplate(split_blocks(normalised), load_rules(), model=model)
    if not kept:
        raise NoArticleFound(f"{name}: nothing is left once boilerplate is removed")
    cleaned = join_paragraphs(_in_original_paragraphs(normalised, kept))
    return CleanedDocument(
        text=cleaned,
        media_type=media_type,
        encoding=encoding,
        title=_headline_of(kept),
        removed=tuple(removals),
        repaired_mojibake=was_repaired,
        warning=truncation_warning(name, cleaned, normalised, "the input"),
    )


def _clean_html(html: str, name: str, encoding: str, model: BlockModel) -> CleanedDocument:
    article = extract_article(html, name)
    repaired, was_repaired = _repaired(article.text)
    title = normalise_text(repair_mojibake(article.title)) if article.title else None
    paragraphs = split_blocks(normalise_text(repaired), one_per_line=True)
    kept, removals = remove_boilerplate(
        paragraphs, load_rules(), title=title, model=model, from_html=True
    )
    if not any(word_count(" ".join(lines)) >= MIN_HTML_PARAGRAPH_WORDS for lines in kept):
        raise NoArticleFound(
            f"{name}: no article text found in this HTML page (only short fragments such as "
            "menus or forms)"
        )
    text = join_paragraphs(kept)
    extraction = Removal(
        rule="html-extraction",
        text=f"{len(html):,} characters of HTML reduced to {len(text):,} characters of article",
        reason=_HTML_EXTRACTION_REASON,
    )
    return CleanedDocument(
        text=text,
        media_type="text/html",
        encoding=encoding,
        title=title,
        date=article.date,
        url=article.url,
        removed=(extraction, *removals),
        repaired_mojibake=was_repaired,
        warning=truncation_warning(
            name, text, prose_around(html, text), "the article's paragraphs on the page"
        ),
    )


def _in_original_paragraphs(text: str, kept: list[list[str]]) -> list[list[str]]:
    """KEPT lines grouped back into TEXT's own blank-line paragraphs: blocks are split finer
    for judging, but the layout the author gave is what the model reads."""
    if "\n\n" not in text:  # one paragraph per line
        return kept
    wanted = [line for block in kept for line in block]
    position = 0
    grouped: list[list[str]] = []
    for paragraph in text.split("\n\n"):
        lines = []
        for line in paragraph.split("\n"):
            if position < len(wanted) and line == wanted[position]:
                lines.append(line)
                position += 1
        if lines:
            grouped.append(lines)
    return grouped


def _repaired(text: str) -> tuple[str, bool]:
    """TEXT with mojibake repaired, and whether anything beyond NFC changed."""
    import unicodedata

    repaired = repair_mojibake(text)
    return repaired, repaired != unicodedata.normalize("NFC", text)


def _headline_of(paragraphs: list[list[str]]) -> str | None:
    """The first line when it reads as a headline: a paragraph of its own, short, no full stop."""
    first = paragraphs[0]
    if len(paragraphs) < 2 or len(first) != 1:
        return None
    line = first[0]
    if word_count(line) > _HEADLINE_MAX_WORDS or line.endswith((".", ",", ";", ":")):
        return None
    return line
