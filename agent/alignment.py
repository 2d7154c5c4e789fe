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

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

from summarise_agent.meaning_words import NEGATIONS, NUMBER_WORDS
from summarise_agent.spelling import spelling_key

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
_HYPHEN = re.compile(f"[{_HYPHENS}]")
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


class Token(NamedTuple):  # a tuple: an article has thousands, made for every grounding
    key: str  # comparison key
    start: int  # offsets in the text it came from, end exclusive
    end: int
    hyphenated: bool


def tokenise(text: str) -> list[Token]:
    tokens = []
    for found in TOKEN.finditer(text):
        key, hyphenated = _key_of(found.lastgroup or "", found.group())
        tokens.append(Token(key, found.start(), found.end(), hyphenated))
    return tokens


def token_keys(text: str) -> list[tuple[str, str]]:
    """Each token's key and the token as written: tokenise without the offsets, for callers
    that need none (an article's names index: findall makes no match objects)."""
    pairs = []
    for sign, number, word, symbol in TOKEN.findall(text):
        kind, raw = (
            ("word", word) if word else ("number", number) if number else ("", sign or symbol)
        )
        pairs.append((_key_of(kind, raw)[0], raw))
    return pairs


def _key_of(kind: str, raw: str) -> tuple[str, bool]:
    """A token's key by its TOKEN group, and whether it is a hyphenated word."""
    if kind == "word":
        return word_key(raw)
    if kind == "number":
        return _number_key(raw), False
    return raw.replace("\u2212", "-").replace("\u2013", "-"), False  # a sign or a symbol


@functools.lru_cache(maxsize=1 << 16)  # a word's key depends on the word alone; words recur
def word_key(word: str) -> tuple[str, bool]:
    """The key of a word token (hyphenated parts joined), and whether it was hyphenated."""
    parts = _HYPHEN.split(word)
    return "".join(spelling_key(_drop_apostrophes(part)) for part in parts), len(parts) > 1


_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _number_key(number: str) -> str:
    """800,000 and 800000 are one number; 1,5 and 15 are not (only groups of three digits
    after a comma are thousands)."""
    return number.replace(",", "") if _THOUSANDS.fullmatch(number) else number


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
    """The quote against one window of article tokens (window[0] is article token `offset`).

    Articles and honorifics are set aside on both sides, so adding or dropping one is never a
    difference; the quote's own trailing ones must still be the article's next words (a quote
    ending 'has been a' is not 'has been oppression')."""
    quote_content = [i for i, token in enumerate(quote) if token.key not in NEUTRAL_WORDS]
    window_content = [j for j, token in enumerate(window) if token.key not in NEUTRAL_WORDS]
    matcher = SequenceMatcher(
        None, [quote[i].key for i in quote_content], [window[j].key for j in window_content],
        autojunk=False,
    )  # fmt: skip
    opcodes = matcher.get_opcodes()
    equal = [index for index, code in enumerate(opcodes) if code[0] == "equal"]
    if not quote_content or not equal:
        return Alignment(offset, offset, (Difference((0, len(quote)), (offset, offset), False),), 0)
    quote_at = _positions(quote_content, len(quote))
    window_at = _positions(window_content, len(window))
    first = window_content[opcodes[equal[0]][3]]
    last = window_content[opcodes[equal[-1]][4] - 1] + 1
    differences = []
    for index, (code, a1, a2, b1, b2) in enumerate(opcodes):
        if code == "equal" or ((index < equal[0] or index > equal[-1]) and a1 == a2):
            continue  # the same words, or article words before or after the passage
        ours = [quote[quote_content[k]] for k in range(a1, a2)]
        theirs = [window[window_content[k]] for k in range(b1, b2)]
        article_range = (window_at(b1), window_at(b2 - 1, end=True) if b2 > b1 else window_at(b1))
        if index < equal[0] or index > equal[-1]:
            cover = _edge_cover(ours, theirs, leading=index < equal[0])
            if cover is not None and cover[0] < cover[1]:
                covered = (window_content[b1 + cover[0]], window_content[b1 + cover[1] - 1] + 1)
                first, last = min(first, covered[0]), max(last, covered[1])
                article_range = covered
            elif cover is None:  # shown at the passage's edge
                article_range = (first, first) if index < equal[0] else (last, last)
            neutral = cover is not None
        else:
            neutral = _same_compound(ours, theirs)
        quote_range = (quote_at(a1), quote_at(a2 - 1, end=True) if a2 > a1 else quote_at(a1))
        differences.append(Difference(quote_range, _shift(article_range, offset), neutral))
    first = _extend_back(quote[: quote_content[0]], window, first)
    tail = quote[quote_content[-1] + 1 :]
    if [t.key for t in tail] == [t.key for t in window[last : last + len(tail)]]:
        last += len(tail)
    else:
        edge = (quote_content[-1] + 1, len(quote))
        differences.append(Difference(edge, (last + offset, last + offset), False))
    pairs = tuple((quote_content[a1 + k], window_content[b1 + k] + offset)
                  for code, a1, a2, b1, _ in opcodes if code == "equal"
                  for k in range(a2 - a1))  # fmt: skip
    return Alignment(first + offset, last + offset, tuple(differences), len(pairs), pairs)


def _positions(content: list[int], length: int) -> Callable[..., int]:
    """Maps an index among the content tokens to a token index (`end`: just after it)."""

    def at(index: int, end: bool = False) -> int:
        if index >= len(content):
            return length
        return content[index] + 1 if end else content[index]

    return at


def _shift(span: tuple[int, int], offset: int) -> tuple[int, int]:
    return span[0] + offset, span[1] + offset


def _extend_back(head: list[Token], window: list[Token], first: int) -> int:
    """Cover the article's articles or honorifics the quote's leading ones match."""
    for token in reversed(head):
        if first == 0 or window[first - 1].key != token.key:
            break
        first -= 1
    return first


def _content(tokens: list[Token]) -> list[str]:
    return [token.key for token in tokens if token.key not in NEUTRAL_WORDS]


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
    for cut in range(len(article)):
        piece = article[cut:] if leading else article[: len(article) - cut]
        if _same_compound(quote, piece):
            return (cut, len(article)) if leading else (0, len(article) - cut)
    return None
