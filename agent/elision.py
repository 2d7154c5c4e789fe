"""What an ellipsis in a quote may leave out of the article: a short stretch of one paragraph
that holds no negation and no number. Anything else changes what the article says
("Paris was ... preparing to send troops" must not verify against "Paris was not preparing").
"""

from __future__ import annotations

import re

from agent.alignment import tokenise
from agent.meaning_words import NEGATIONS, NUMBER_WORDS

MAX_GAP_WORDS = 40  # about one sentence: longer omissions splice distant statements
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


def gap_problem(text: str, end: int, start: int) -> str | None:
    """Why the article text between two quoted parts may not be left out, or None."""
    if start < end:
        return "the quoted parts overlap or are out of the article's order"
    gap = text[end:start]
    if _PARAGRAPH_BREAK.search(gap):
        return "the ellipsis leaves out a paragraph break: the parts are not from one passage"
    words = [gap[token.start : token.end] for token in tokenise(gap)]
    if len(words) > MAX_GAP_WORDS:
        return f"the ellipsis leaves out {len(words)} words (more than {MAX_GAP_WORDS})"
    for word in words:
        kind = _meaning_word(word)
        if kind:
            return f"the ellipsis leaves out {kind} {word!r} (article: {_shorten(gap)!r})"
    return None


def _meaning_word(word: str) -> str | None:
    folded = word.lower().replace("\u2019", "'").replace("\u02bc", "'")
    parts = re.split(r"[-\u2010\u2011]", folded)
    if folded.endswith("n't") or any(part in NEGATIONS for part in parts):
        return "a negation"
    if folded[:1].isdigit() or folded[-1:].isdigit() or any(p in NUMBER_WORDS for p in parts):
        return "a number"
    if word in "$€£¥₹%":
        return "a number"
    return None


def _shorten(gap: str, limit: int = 80) -> str:
    folded = " ".join(gap.split())
    return folded if len(folded) <= limit else folded[: limit - 3] + "..."
