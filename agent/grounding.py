"""Grounding: find every evidence quote in the cleaned article text, and say how well it matches.

Each quote gets a character interval in the cleaned text (end exclusive) and a match status:
- exact: equal to one span of the article once typography (quote marks, dashes, apostrophes,
  the ellipsis character), case and whitespace are folded; the span starts and ends on word
  boundaries ('possible' is not found inside 'impossible').
- fuzzy: differs from one passage only by meaning-neutral edits (agent/alignment.py):
  punctuation, hyphenation, diacritics, British/American spelling, an added or dropped
  article or honorific. `differs` names the first such difference.
- not_found: anything else, start and end null; `differs` says what differs (the quote's words
  beside the article's) or why an elided quote is refused.
A quote with ellipses (`...`, `…`, `[...]`, `[…]`) is verified only when each part matches, the
parts are in article order, and each omitted stretch is inside one paragraph, at most
MAX_GAP_WORDS words, and holds no negation and no number (agent/elision.py); its status is
exact when every part is exact, fuzzy otherwise.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from summarise_agent.alignment import Alignment, Token, TokenIndex, tokenise
from summarise_agent.elision import gap_problem

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u02bc": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-",
        "\u2026": "...",
        "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": "",
    }
)  # fmt: skip
# `...`, `. . .`, `…`, and either in square brackets
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:(?:\.\s*){3}|\u2026\s*)\]|\.\s?\.\s?\.|\u2026)\s*")
_HYPHENS = "-\u2010\u2011"
MAX_OCCURRENCES = 50  # exact occurrences of one elided part tried when chaining parts
_CONTEXT = 1  # words of agreeing context shown around a difference


class MatchStatus(StrEnum):
    """How an evidence quote aligns with the article (documented in docs/output.md)."""

    EXACT = "exact"
    FUZZY = "fuzzy"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class CharInterval:
    """[start, end) in the cleaned article text."""

    start: int
    end: int


@dataclass(frozen=True)
class QuoteMatch:
    interval: CharInterval | None
    match: MatchStatus
    differs: str | None = None  # null for exact; what differs otherwise

    @property
    def start(self) -> int | None:
        return self.interval.start if self.interval else None

    @property
    def end(self) -> int | None:
        return self.interval.end if self.interval else None


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


_DROPPED_SPACES = re.compile(r"^ +| {2,}")  # leading spaces; all but the first of a run


class NormalisedText:
    """The article in comparison form, with each normalised position's original offset."""

    def __init__(self, text: str) -> None:
        self.original = text
        folded = text.translate(_ONE_TO_ONE).lower()
        if len(folded) == len(text) and not _NOT_ONE_TO_ONE.search(text):
            # one character each: keep all but the spaces that follow a space (or lead), a
            # range at a time between the runs of spaces (a Python loop per character costs
            # more than the rest of grounding an article)
            kept: list[int] = []
            kept_from = 0
            for run in _DROPPED_SPACES.finditer(folded):
                dropped_from = run.start() if run.start() == 0 else run.start() + 1
                kept.extend(range(kept_from, dropped_from))
                kept_from = run.end()
            kept.extend(range(kept_from, len(folded)))
            self.offsets = kept
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
        """Whether [start, end) begins and ends between original characters ('İ' lowers to
        'i' and a combining dot: it cannot be half quoted) and between words."""
        offsets = self.offsets
        if start > 0 and (offsets[start - 1] == offsets[start] or self._joined(start)):
            return False
        return end == len(offsets) or not (offsets[end - 1] == offsets[end] or self._joined(end))

    def _joined(self, cut: int) -> bool:
        """Whether a cut before normalised position `cut` splits a word, or a hyphenated word
        ('binding' is not quoted out of 'non-binding')."""
        text = self.text
        if text[cut - 1].isalnum() and text[cut].isalnum():
            return True
        return (
            self._hyphen(cut - 1) and cut >= 2 and text[cut - 2].isalnum() and text[cut].isalnum()
        ) or (
            self._hyphen(cut)
            and cut + 1 < len(text)
            and text[cut - 1].isalnum()
            and text[cut + 1].isalnum()
        )

    def _hyphen(self, position: int) -> bool:
        return self.original[self.offsets[position]] in _HYPHENS

    def occurrences(self, part: str) -> list[int]:
        """Where `part` occurs on character and word boundaries (normalised positions)."""
        found: list[int] = []
        position = self.text.find(part)
        while position >= 0 and len(found) < MAX_OCCURRENCES:
            if self.on_boundaries(position, position + len(part)):
                found.append(position)
            position = self.text.find(part, position + 1)
        return found

    def span(self, start: int, end: int) -> CharInterval:
        """Original [start, end) of the normalised span [start, end)."""
        return CharInterval(self.offsets[start], self.offsets[end - 1] + 1)


class Article:
    """The cleaned article, indexed for exact (character) and fuzzy (token) matching."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.normalised = NormalisedText(text)

    @functools.cached_property
    def tokens(self) -> TokenIndex:
        """Built on the first quote that is not exact: most quotes never need it."""
        return TokenIndex(self.text)


@dataclass(frozen=True)
class _Candidate:
    interval: CharInterval
    exact: bool
    differs: str | None


def locate_quote(quote: str, article: Article) -> QuoteMatch:
    """Where the quote is in the article, and how well it matches (see the module docstring).
    An exact match of the whole quote comes first (an article may hold an ellipsis itself),
    then the quote split at its ellipses, then a fuzzy match of the whole quote."""
    parts = [part for part in _ELLIPSIS.split(quote) if normalise(part)]
    if not parts:
        return QuoteMatch(None, MatchStatus.NOT_FOUND, "the quote is empty")
    whole, failure = _part_candidates(quote, article, elided=False)
    if whole and whole[0].exact:
        return QuoteMatch(whole[0].interval, MatchStatus.EXACT)
    if len(parts) > 1:
        elided = _locate_elided(parts, article)
        if elided.match is MatchStatus.EXACT or not whole:
            return elided
    if whole:
        return QuoteMatch(whole[0].interval, MatchStatus.FUZZY, whole[0].differs)
    return QuoteMatch(None, MatchStatus.NOT_FOUND, failure)


def _locate_elided(parts: list[str], article: Article) -> QuoteMatch:
    per_part = [_part_candidates(part, article, elided=True) for part in parts]
    for index, (candidates, failure) in enumerate(per_part):
        if not candidates:
            return QuoteMatch(None, MatchStatus.NOT_FOUND, f"{failure} (part {index + 1} of "
                              f"{len(parts)})")  # fmt: skip
    chain = _chain([candidates for candidates, _ in per_part], article.text)
    if isinstance(chain, str):
        return QuoteMatch(None, MatchStatus.NOT_FOUND, chain)
    return QuoteMatch(CharInterval(chain[0].interval.start, chain[-1].interval.end),
                      MatchStatus.EXACT)  # fmt: skip


def _part_candidates(part: str, article: Article, elided: bool) -> tuple[list[_Candidate], str]:
    """Every place one quote part matches, exact ones first; or why it matches nowhere. The
    parts of an elided quote must each be exact: short fragments match by chance otherwise."""
    text = article.normalised
    needle = normalise(part)
    exact = [_Candidate(text.span(at, at + len(needle)), True, None)
             for at in text.occurrences(needle)]  # fmt: skip
    if elided or exact:
        # an exact match is the answer (locate_quote takes the first exact candidate): aligning
        # the quote's words against the article as well would only cost time on long articles
        return exact, "" if exact else f"{part.strip()!r} is not word for word in the article"
    quote_tokens = tokenise(part)
    if not quote_tokens:
        return exact, f"no passage of the article reads {part.strip()!r}"
    alignments = article.tokens.candidates(quote_tokens)
    tokens = article.tokens.tokens
    fuzzy = [
        _Candidate(CharInterval(tokens[found.first].start, tokens[found.last - 1].end), False,
                   describe(found, part, quote_tokens, article, neutral=True))
        for found in alignments if found.neutral and found.last > found.first
    ]  # fmt: skip
    if exact or fuzzy:
        return exact + fuzzy, ""
    if not alignments:
        return [], "no passage of the article shares a word with the quote"
    best = max(alignments, key=lambda found: (found.matched, -len(found.differences)))
    return [], describe(best, part, quote_tokens, article, neutral=False)


def _chain(parts: list[list[_Candidate]], text: str) -> list[_Candidate] | str:
    """The first placement of every part, in order, with acceptable gaps; or why none is."""
    reasons: list[tuple[int, str]] = []  # (omitted length, why): the closest placement's

    def extend(chosen: list[_Candidate]) -> list[_Candidate] | None:
        if len(chosen) == len(parts):
            return chosen
        for candidate in parts[len(chosen)]:
            if chosen:
                previous = chosen[-1].interval
                problem = gap_problem(text, previous.end, candidate.interval.start)
                if problem:
                    reasons.append((abs(candidate.interval.start - previous.end), problem))
                    continue
            found = extend([*chosen, candidate])
            if found is not None:
                return found
        return None

    found = extend([])
    if found is not None:
        return found
    return min(reasons)[1] if reasons else "the parts do not fit"


def describe(found: Alignment, quote: str, quote_tokens: list[Token], article: Article,
             neutral: bool) -> str:  # fmt: skip
    """`quote 'would not be prepared' / article 'would be prepared'`: the first difference
    (the meaning-neutral ones for a fuzzy match, the others for a refused quote)."""
    wanted = [d for d in found.differences if d.neutral == neutral]
    if not wanted and neutral:
        return _spelling_difference(found, quote, quote_tokens, article)
    if not wanted:
        return "no difference found"
    first = wanted[0]
    (i1, i2), (j1, j2) = first.quote, first.article
    quote_side = _words(quote, quote_tokens, i1 - _CONTEXT, i2 + _CONTEXT)
    article_side = _words(article.text, article.tokens.tokens, j1 - _CONTEXT, j2 + _CONTEXT)
    more = f" (and {len(wanted) - 1} more)" if len(wanted) > 1 else ""
    return f"quote {quote_side!r} / article {article_side!r}{more}"


def _spelling_difference(
    found: Alignment, quote: str, quote_tokens: list[Token], article: Article
) -> str:
    """The first word pair that compares equal but is written differently (spelling,
    diacritics, apostrophes), or that only punctuation differs."""
    tokens = article.tokens.tokens
    for quote_index, article_index in found.equal:
        ours = quote[quote_tokens[quote_index].start : quote_tokens[quote_index].end]
        theirs = article.text[tokens[article_index].start : tokens[article_index].end]
        if normalise(ours) != normalise(theirs):
            return f"quote {ours!r} / article {theirs!r}"
    return "punctuation only"


def _words(text: str, tokens: list[Token], low: int, high: int, limit: int = 80) -> str:
    """The text of tokens [low, high), clamped to the list, spacing folded, shortened."""
    low, high = max(0, low), min(len(tokens), high)
    if low >= high:
        return ""
    words = " ".join(text[tokens[low].start : tokens[high - 1].end].split())
    return words if len(words) <= limit else words[: limit - 3] + "..."
