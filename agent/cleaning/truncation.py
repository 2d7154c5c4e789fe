"""Notice a probable truncation: cleaned text that is a small share of what the page shows.

HTML extraction can silently keep only part of an article (a page whose body is split over
several containers); the boilerplate remover can, rarely, take too much of pasted text. Neither
is an error, but the user must know before paying for a summary of half an article.
"""

from __future__ import annotations

import re

# Prose paragraphs of a page: <p> elements of at least this many words. Menus, captions and
# buttons are shorter; the article's own paragraphs make up most of what is left.
_PROSE_MIN_WORDS = 25
_LEVELS = 3
_MIN_SHARE = 0.5
_MIN_CHARS = 1_500  # below this there is too little text to judge


def truncation_warning(name: str, kept: str, shown: str, what: str) -> str | None:
    """A one-line warning when KEPT is under half of SHOWN (both counted in letters and
    digits), or None. WHAT names SHOWN in the message."""
    kept_chars, shown_chars = _chars(kept), _chars(shown)
    if shown_chars < _MIN_CHARS or kept_chars >= _MIN_SHARE * shown_chars:
        return None
    return (
        f"{name}: the cleaned text keeps {kept_chars:,} of the {shown_chars:,} characters of "
        f"{what} ({kept_chars / shown_chars:.0%}); the article may be cut short "
        "(check with `summarise clean --show-removed`)"
    )


def prose_around(page: str, kept: str) -> str:
    """The long <p> paragraphs of the page in the same containers as the paragraphs kept
    (the ancestor `_LEVELS` up: pages split an article over sibling blocks): the article's
    own run of paragraphs, not the comments or teasers elsewhere on the page."""
    import lxml.html  # type: ignore[import-untyped]

    try:
        root = lxml.html.fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return ""
    kept_key = _key(kept)
    prose = []
    for element in root.iter("p"):
        text = " ".join(element.text_content().split())
        if len(text.split()) >= _PROSE_MIN_WORDS:
            ancestors = list(element.iterancestors())
            container = ancestors[_LEVELS - 1] if len(ancestors) >= _LEVELS else None
            prose.append((container, text, _key(text)[:80] in kept_key))
    containers = {id(c) for c, _, is_kept in prose if is_kept and c is not None}
    return "\n".join(text for c, text, _ in prose if id(c) in containers)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def _chars(text: str) -> int:
    """Letters and digits in TEXT (what str.isalnum counts), counted by the regex engine."""
    return len(_NOT_LETTER_OR_DIGIT.sub("", text))
