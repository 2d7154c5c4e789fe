"""Grounding: find every evidence quote in the cleaned article text.

Each quote gets character offsets into the cleaned text (end exclusive) and a match status:
- exact: found after normalising typography (curly quotes, dashes, ellipses, whitespace, case);
  a quote with ellipses is split and its parts found in order; the span covers them all;
- fuzzy: the best partial alignment scores at least FUZZY_THRESHOLD (rapidfuzz);
- not_found: neither; start and end are null.
Offsets always point into the original cleaned text, through a map from normalised positions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz

FUZZY_THRESHOLD = 85.0  # partial_ratio out of 100: one inserted word passes, paraphrase does not
MIN_FUZZY_LENGTH = 12  # shorter quotes align by chance somewhere in any article

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u2026": "...",
        "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": "",
    }
)  # fmt: skip
_ELLIPSIS = re.compile(r"\s*(?:\[\s*\.\.\.\s*\]|\.\.\.)\s*")


class MatchStatus(StrEnum):
    EXACT = "exact"
    FUZZY = "fuzzy"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class QuoteMatch:
    start: int | None
    end: int | None
    match: MatchStatus


NOT_FOUND = QuoteMatch(None, None, MatchStatus.NOT_FOUND)


def normalise_char(char: str) -> str:
    if char.isspace():
        return " "
    return char.translate(_TYPOGRAPHY).lower()


def normalise(text: str) -> str:
    """The comparison form of a string: typography folded, case lowered, whitespace single."""
    folded = "".join(normalise_char(char) for char in unicodedata.normalize("NFC", text))
    return " ".join(folded.split())


# The fast path of NormalisedText: every character that normalises to exactly one character
# (whitespace to a space, 1:1 typography), done by str.translate instead of char by char.
_WHITESPACE = {code: " " for code in range(0x3001) if chr(code).isspace()}
_ONE_TO_ONE = {**_WHITESPACE, **{code: folded for code, folded in _TYPOGRAPHY.items()
                                 if isinstance(folded, str) and len(folded) == 1}}  # fmt: skip
_NOT_ONE_TO_ONE = re.compile("[" + "".join(
    re.escape(chr(code)) for code, folded in _TYPOGRAPHY.items()
    if not (isinstance(folded, str) and len(folded) == 1)) + "]")  # fmt: skip


class NormalisedText:
    """The article in comparison form, with each normalised position's original offset."""

    def __init__(self, text: str) -> None:
        self.original = text
        folded = text.translate(_ONE_TO_ONE).lower()
        if len(folded) == len(text) and not _NOT_ONE_TO_ONE.search(text):
            # one character each: keep all but the spaces that follow a space (or lead)
            pairs = zip((" " + folded)[:-1], folded, strict=True)
            self.offsets = [index for index, (before, char) in enumerate(pairs)
                            if char != " " or before != " "]  # fmt: skip
            self.text = re.sub(" +", " ", folded).lstrip(" ")
            return
        chars: list[str] = []
        offsets: list[int] = []
        for index, char in enumerate(text):
            for piece in normalise_char(char):
                if piece == " " and (not chars or chars[-1] == " "):
                    continue  # whitespace runs collapse to the first space
                chars.append(piece)
                offsets.append(index)
        self.text = "".join(chars)
        self.offsets = offsets

    def on_boundaries(self, start: int, end: int) -> bool:
        """Whether [start, end) begins and ends between original characters: a character
        that normalises to two ('İ' lowers to 'i' and a combining dot) cannot be half quoted."""
        starts_clean = start == 0 or self.offsets[start - 1] != self.offsets[start]
        ends_clean = end == len(self.offsets) or self.offsets[end - 1] != self.offsets[end]
        return starts_clean and ends_clean

    def find(self, part: str, position: int) -> int:
        """The first occurrence of `part` at or after `position` on character boundaries."""
        found = self.text.find(part, position)
        while found >= 0 and not self.on_boundaries(found, found + len(part)):
            found = self.text.find(part, found + 1)
        return found

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalised span [start, end)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def locate_quote(quote: str, article: NormalisedText) -> QuoteMatch:
    parts = [part for part in _ELLIPSIS.split(normalise(quote)) if part]
    if not parts:
        return NOT_FOUND
    exact = _find_in_order(parts, article)
    if exact is not None:
        return QuoteMatch(*exact, MatchStatus.EXACT)
    return _fuzzy(" ".join(parts), article)


def _find_in_order(parts: list[str], article: NormalisedText) -> tuple[int, int] | None:
    position = 0
    first_start: int | None = None
    for part in parts:
        found = article.find(part, position)
        if found < 0:
            return None
        first_start = found if first_start is None else first_start
        position = found + len(part)
    assert first_start is not None
    return article.span(first_start, position)


def _fuzzy(needle: str, article: NormalisedText) -> QuoteMatch:
    if len(needle) < MIN_FUZZY_LENGTH or not article.text:
        return NOT_FOUND
    alignment = fuzz.partial_ratio_alignment(needle, article.text, score_cutoff=FUZZY_THRESHOLD)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return NOT_FOUND
    start, end = _snap_to_words(article.text, alignment.dest_start, alignment.dest_end)
    return QuoteMatch(*article.span(start, end), MatchStatus.FUZZY)


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a partial word at either edge of a fuzzy window, and edge spaces: reviewers see
    whole words highlighted. The window is kept as it is when snapping would empty it."""
    snapped_start, snapped_end = start, end
    if start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        while snapped_start < end and text[snapped_start].isalnum():
            snapped_start += 1
    if end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        while snapped_end > snapped_start and text[snapped_end - 1].isalnum():
            snapped_end -= 1
    while snapped_start < snapped_end and not text[snapped_start].isalnum():
        if text[snapped_start] in "\"'(":
            break
        snapped_start += 1
    while snapped_end > snapped_start and text[snapped_end - 1] == " ":
        snapped_end -= 1
    return (snapped_start, snapped_end) if snapped_end > snapped_start else (start, end)


@dataclass(frozen=True)
class GroundingReport:
    result: dict[str, Any]  # the result with start/end/match added to every evidence item
    quotes: int
    exact: int
    fuzzy: int
    not_found: list[str]  # the quotes not found, in order


def ground_quotes(result: dict[str, Any], text: str) -> GroundingReport:
    """Add start/end/match to every evidence item: a dict with a 'quote' in an 'evidence' list."""
    article = NormalisedText(text)
    counts = {status: 0 for status in MatchStatus}
    missing: list[str] = []

    def visit(node: Any, key: str | None) -> Any:
        if isinstance(node, dict):
            return {name: visit(value, name) for name, value in node.items()}
        if isinstance(node, list):
            if key == "evidence":
                return [ground_item(item) if _is_evidence(item) else item for item in node]
            return [visit(item, None) for item in node]
        return node

    def ground_item(item: dict[str, Any]) -> dict[str, Any]:
        found = locate_quote(item["quote"], article)
        counts[found.match] += 1
        if found.match is MatchStatus.NOT_FOUND:
            missing.append(item["quote"])
        return {**item, "start": found.start, "end": found.end, "match": found.match.value}

    grounded = visit(result, None)
    return GroundingReport(
        result=grounded,
        quotes=sum(counts.values()),
        exact=counts[MatchStatus.EXACT],
        fuzzy=counts[MatchStatus.FUZZY],
        not_found=missing,
    )


def _is_evidence(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("quote"), str)
