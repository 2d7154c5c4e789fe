"""Token alignment for grounding's `fuzzy` match: which passage of the article a quote copies,
and whether every difference between them is meaning-neutral.

Words are compared by key (agent/spelling.py: case, diacritics, apostrophes and British or
American spelling folded); punctuation is not a token, so it never differs. Candidate passages
are found from the quote's rarest word that the article holds, then aligned token by token with
difflib.SequenceMatcher. Each differing stretch is classified: neutral when it only adds or
drops an article or honorific, or splits or joins a hyphenated word (`ground-troops` / `ground
troops`); anything else (a negation, a number, a name, any other word, a word moved) is a
change of meaning. There is no similarity threshold: one changed word is enough to refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from agent.meaning_words import NEGATIONS, NUMBER_WORDS
from agent.spelling import spelling_key

# dropped or added, these change no claim: articles and honorifics
NEUTRAL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "sir",
        "dame",
        "lord",
        "lady",
        "prof",
        "professor",
        "rev",
        "mme",
        "mlle",
        "messrs",
    ]
)
_HYPHENS = "-\u2010\u2011"
_APOSTROPHES = "'\u2019\u2018\u02bc"
_LETTERS = r"[^\W\d_]+(?:[" + _APOSTROPHES + r"][^\W\d_]+)*"
TOKEN = re.compile(
    r"(?P<sign>(?<![\w.,])[-\u2212\u2013](?=\d))"  # a minus sign: -5 is not 5
    r"|(?P<number>\d+(?:[.,]\d+)*)"  # 1,000 and 1.5 stay whole: separators matter
    r"|(?P<word>" + _LETTERS + r"(?:[" + _HYPHENS + r"]" + _LETTERS + r")*)"
    r"|(?P<symbol>[$€£¥₹%°§])"  # currency and percent signs carry meaning
)
ANCHORS = 3  # the quote's rarest words whose occurrences suggest passages to align
MAX_ANCHOR_OCCURRENCES = 100  # occurrences tried per anchor word


@dataclass(frozen=True)
class Token:
    key: str  # comparison key
    start: int  # offsets in the text it came from, end exclusive
    end: int
    hyphenated: bool


def tokenise(text: str) -> list[Token]:
    tokens = []
    for found in TOKEN.finditer(text):
        raw = found.group()
        if found.lastgroup == "word":
            parts = re.split(f"[{_HYPHENS}]", raw)
            key = "".join(spelling_key(_drop_apostrophes(part)) for part in parts)
            tokens.append(Token(key, found.start(), found.end(), len(parts) > 1))
        else:
            tokens.append(Token(raw.replace("\u2212", "-").replace("\u2013", "-"),
                                found.start(), found.end(), False))  # fmt: skip
    return tokens


def _drop_apostrophes(word: str) -> str:
    for apostrophe in _APOSTROPHES:
        word = word.replace(apostrophe, "")
    return word


@dataclass(frozen=True)
class Difference:
    quote: tuple[int, int]  # token index ranges [i1, i2) in the quote, [j1, j2) in the article
    article: tuple[int, int]
    neutral: bool


@dataclass(frozen=True)
class Alignment:
    first: int  # article token range [first, last) the quote covers
    last: int
    differences: tuple[Difference, ...]
    matched: int  # quote tokens equal to article tokens
    equal: tuple[tuple[int, int], ...] = ()  # (quote token, article token) pairs with equal keys

    @property
    def neutral(self) -> bool:
        return all(difference.neutral for difference in self.differences)


class TokenIndex:
    """The article's tokens and, for each key, where it occurs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenise(text)
        self.keys = [token.key for token in self.tokens]
        self.positions: dict[str, list[int]] = {}
        for index, token in enumerate(self.tokens):
            self.positions.setdefault(token.key, []).append(index)
            if token.hyphenated:  # `troops` finds `ground-troops` too
                parts = re.split(f"[{_HYPHENS}]", text[token.start : token.end])
                for part in parts:
                    self.positions.setdefault(spelling_key(_drop_apostrophes(part)), []).append(
                        index
                    )

    def candidates(self, quote: list[Token]) -> list[Alignment]:
        """Alignments of the quote against the passages around its rarest word's occurrences,
        in article order (empty when no word of the quote is in the article)."""
        anchors = [(index, token.key) for index, token in enumerate(quote)
                   if token.key not in NEUTRAL_WORDS and token.key in self.positions]  # fmt: skip
        if not anchors:
            return []
        anchors.sort(key=lambda anchor: len(self.positions[anchor[1]]))
        slack = 2 + len(quote) // 4
        windows: set[tuple[int, int]] = set()
        for at, key in anchors[:ANCHORS]:
            for position in self.positions[key][:MAX_ANCHOR_OCCURRENCES]:
                low = max(0, position - at - slack)
                windows.add((low, min(len(self.tokens), position + len(quote) - at + slack)))
        return [align(quote, self.tokens[low:high], low) for low, high in sorted(windows)]


def align(quote: list[Token], window: list[Token], offset: int) -> Alignment:
    """The quote against one window of article tokens (window[0] is article token `offset`)."""
    quote_keys = [token.key for token in quote]
    window_keys = [token.key for token in window]
    opcodes = SequenceMatcher(None, quote_keys, window_keys, autojunk=False).get_opcodes()
    equal = [index for index, code in enumerate(opcodes) if code[0] == "equal"]
    if not equal:
        return Alignment(offset, offset, (Difference((0, len(quote)), (0, 0), False),), 0)
    first_equal, last_equal = equal[0], equal[-1]
    differences = []
    first, last = opcodes[first_equal][3], opcodes[last_equal][4]
    for index, (code, i1, i2, j1, j2) in enumerate(opcodes):
        if code == "equal":
            continue
        if index < first_equal or index > last_equal:
            if i1 == i2:
                continue  # article words before or after the passage the quote covers
            cover = _edge_cover(quote[i1:i2], window[j1:j2], leading=index < first_equal)
            if cover is not None and cover[0] < cover[1]:
                first, last = min(first, j1 + cover[0]), max(last, j1 + cover[1])
            # the article side shown is what the quote's words cover, or the passage's edge
            k1, k2 = (
                (j1 + cover[0], j1 + cover[1])
                if cover
                else ((j2, j2) if index < first_equal else (j1, j1))
            )
            differences.append(Difference((i1, i2), (k1 + offset, k2 + offset), cover is not None))
            continue
        neutral = _neutral(quote[i1:i2], window[j1:j2])
        differences.append(Difference((i1, i2), (j1 + offset, j2 + offset), neutral))
    pairs = tuple((i1 + k, j1 + k + offset) for code, i1, i2, j1, _ in opcodes
                  if code == "equal" for k in range(i2 - i1))  # fmt: skip
    return Alignment(first + offset, last + offset, tuple(differences), len(pairs), pairs)


def _content(tokens: list[Token]) -> list[str]:
    return [token.key for token in tokens if token.key not in NEUTRAL_WORDS]


def _neutral(quote: list[Token], article: list[Token]) -> bool:
    """Inside the passage: articles or honorifics added or dropped, or one hyphenated word
    written as two (or the reverse). Swapping one article for another is not neutral."""
    quote_words, article_words = _content(quote), _content(article)
    if not quote_words and not article_words:
        return not (quote and article)
    return _same_compound(quote, article)


def _same_compound(quote: list[Token], article: list[Token]) -> bool:
    """One word written hyphenated, open or closed (`ground-troops`, `ground troops`,
    `footbridge` / `foot bridge`). Without a hyphen, each part must be a plain word of three
    letters or more and neither a negation nor a number (`not able` is not `notable`)."""
    quote_words, article_words = _content(quote), _content(article)
    if not quote_words or "".join(quote_words) != "".join(article_words):
        return False
    if any(token.hyphenated for token in (*quote, *article)):
        return True
    return all(
        len(word) >= 3 and word.isalpha() and word not in NEGATIONS and word not in NUMBER_WORDS
        for word in (*quote_words, *article_words)
    )


def _edge_cover(quote: list[Token], article: list[Token], leading: bool) -> tuple[int, int] | None:
    """Quote words before (or after) the passage: neutral when they are only articles or
    honorifics, or the rest of a hyphenated word the article writes next to the passage.
    Returns the article tokens [k1, k2) they cover (maybe none), or None when not neutral."""
    if not _content(quote):
        return (len(article), len(article)) if leading else (0, 0)
    for cut in range(len(article)):
        piece = article[cut:] if leading else article[: len(article) - cut]
        if _same_compound(quote, piece):
            return (cut, len(article)) if leading else (0, len(article) - cut)
    return None
