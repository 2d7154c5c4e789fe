"""What an ellipsis in a quote may leave out of the article: a short stretch of one paragraph
that holds no negation and no number. Anything else changes what the article says
("Paris was ... preparing to send troops" must not verify against "Paris was not preparing").
"""

from __future__ import annotations

import re

from summarise_agent.alignment import tokenise
from summarise_agent.meaning_words import NEGATIONS, NUMBER_WORDS

MAX_GAP_WORDS = 40  # about one sentence: longer omissions splice distant statements
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_CLOSERS = "\"'\u201d\u2019)"
# a sentence ends: . ! or ? (perhaps closing a quotation), space, then a capital or a digit
_SENTENCE_END = re.compile(rf"(?P<word>\w*)[.!?][{_CLOSERS}]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "gov", "sen", "rep", "rev", "col",
     "lt", "sgt", "capt", "no", "vs", "inc", "ltd", "co", "corp", "dept", "est", "approx", "e",
     "g", "i", "u", "s", "k"]
)  # fmt: skip


def gap_problem(text: str, end: int, start: int) -> str | None:
    """Why the article text between two quoted parts may not be left out, or None."""
    if start < end:
        return "the quoted parts overlap or are out of the article's order"
    gap = text[end:start]
    if _PARAGRAPH_BREAK.search(gap):
        return "the ellipsis leaves out a paragraph break: the parts are not from one passage"
    if _splices_sentences(text, end, start):
        return (
            "the ellipsis joins the middle of one sentence to the middle of another "
            f"(article: {_shorten(gap)!r})"
        )
    words = [gap[token.start : token.end] for token in tokenise(gap)]
    if len(words) > MAX_GAP_WORDS:
        return f"the ellipsis leaves out {len(words)} words (more than {MAX_GAP_WORDS})"
    for word in words:
        kind = _meaning_word(word)
        if kind:
            return f"the ellipsis leaves out {kind} {word!r} (article: {_shorten(gap)!r})"
    return None


def _splices_sentences(text: str, end: int, start: int) -> bool:
    """Whether the omitted text crosses a sentence end without being whole sentences: the
    first part must end a sentence and the second begin one ("X said A. [...] Then B"), or one
    sentence's subject is joined to another's predicate."""
    window = text[max(0, end - 1) : start]  # from the first part's last character
    ends = [found for found in _SENTENCE_END.finditer(window)
            if found.group("word").lower() not in _ABBREVIATIONS]  # fmt: skip
    if not ends:
        return False
    first_ends_sentence = ends[0].start("word") == ends[0].end("word") and ends[0].start() <= 1
    second_starts_sentence = ends[-1].end() == len(window)
    return not (first_ends_sentence and second_starts_sentence)


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
