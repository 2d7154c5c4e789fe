"""Features of a document's blocks for the boilerplate model, in plain Python.

The same function feeds training (agent/cleaning/train.py) and inference (model.py), so a model
scores exactly what it was trained on. Features are chosen to carry across sites: how a block
addresses the reader, imperatives, navigation shape (runs of short title-like lines), money,
dates and stamps, length, punctuation, capitals, similarity to its
neighbours; plus words and word pairs hashed with zlib.crc32 (stable across runs and Python
versions, unlike hash()).
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from collections.abc import Sequence
from typing import NamedTuple

from summarise_agent.cleaning.prefilter import gated
from summarise_agent.cleaning.shape import SHAPE_NAMES, lower, shape_features, tokens_of

HASH_BUCKETS = 1 << 14
_SECOND_PERSON = gated(r"\b(you|your|yours|yourself)\b")
_FIRST_PLURAL = gated(r"\b(we|us|our|ours|we[\x27\u2019](re|ve|ll|d))\b")
_IMPERATIVE = (
    r"subscribe|sign[ -]?up|sign[ -]?in|log[ -]?in|register|support|donate|contribute|follow|"
    r"share|click|tap|read (more|next)|download|join|learn more|enable|disable|whitelist|"
    r"become a|upgrade|unlock|get (the|our|unlimited|access|full)|try|watch|listen|see (all|more)|"
    r"view (all|more|the)|continue reading|comment|leave a|reply|send|contact|email us|print|"
    r"save|buy|shop|order|like us|visit|check out|go to|remind me|book|reserve|explore|discover|"
    r"find out|claim|get started|start (your|my|a)|sign me up|install|open (the|in)|tell us"
)
_IMPERATIVE_START = gated(rf"^\W*({_IMPERATIVE})\b")
_IMPERATIVE_ANY = gated(rf"\b({_IMPERATIVE})\b")
_MONEY = gated(r"[$£€¥₹]\s?\d|\d\s?(usd|eur|gbp)\b|\b(per|a|/)\s?(month|year|week)\b")
_MONTH = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?"
)
# Dates and times. A leading `\b\d` is written `\d(?<!\w\d)` (the same matches): a pattern
# that starts with a character class is scanned for it quickly; one that starts with `\b`
# is tried at every character of every block.
_DATE_NAMED = gated(rf"\b({_MONTH})\.? \d{{1,2}}\b|\b\d{{1,2}} ({_MONTH})\b")
_DATE_NUMERIC = re.compile(r"\d(?<!\w\d)(?:\d{3}-\d\d-\d\d|\d?[/.]\d{1,2}[/.]\d{2,4})\b")
_TIME = re.compile(
    r"\d(?<!\w\d)\d?(?:[:.]\d\d\s?([ap]\.?m\.?|gmt|utc|et|bst|cet)?\b|\s?[ap]\.?m\b)"
)
_STAMP = gated(r"\b(updated|published|posted|modified|last updated|min(ute)?s? read)\b")
# Words with which a publisher talks about itself and its business with the reader: the core
# of appeals, promos, paywalls and sign-up forms on every site (not phrases of one site).
_PUBLISHER = gated(
    r"\b(journalism|journalists?|newsroom|reporters?|readers?|subscri\w*|membership|members?|"
    r"donat\w*|contribut\w*|supporters?|gifts?|advertis\w*|ads|sponsor\w*|paywall|premium|"
    r"newsletters?|inbox|independent|unlimited|access|account|app)\b"
)
# Stricter: only what a publisher says of itself (no "members", "access", "independent", which
# news stories use too).
_PUBLISHER_SELF = gated(
    r"\b(journalism|journalists|newsroom|our reporting|our reporters|readers|subscri\w*|"
    r"donat\w*|contribut(e|ion|ions)|membership|paywall|newsletters?|advertis\w*|ad blocker)\b"
)
_LEAD_IN = re.compile(r"[,:]$")
_FORM = gated(
    r"\b(e-?mail address|password|sign(ed)? in|log(ged)? in|privacy|terms|cookies?|consent|"
    r"settings|preferences|opt(-| )?in|unsubscribe|cancel( anytime)?)\b"
)
_PLEASE = gated(r"\b(please|thank(s| you))\b")
_COPYRIGHT = gated(r"©|\(c\)|\bcopyright\b|all rights reserved")
_LINKISH = gated(r"https?://|www\.|\.com\b|@\w|\b[\w.+-]+@[\w-]+\.\w")
_SENTENCE_MARK = re.compile(r"[.!?](?=\s|$)")  # a class first: scanned for quickly
_CJK_SENTENCE_MARKS = "\u3002\uff01\uff1f"
SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u201d\u2019)\]\u300d\u300f]*$")
_QUOTE = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]")
_PUNCT = re.compile(r"[^\w\s]")
_NAV_MAX_WORDS = 8

DENSE_NAMES: tuple[str, ...] = (
    "bias",
    "log_words",
    "short",
    "very_short",
    "sentence_end",
    "ends_colon",
    "ends_question_or_bang",
    "starts_lower",
    "caps_ratio",
    "title_ratio",
    "all_caps",
    "digit_ratio",
    "punct_ratio",
    "quotes",
    "second_person",
    "first_plural",
    "imperative_start",
    "imperative_any",
    "money",
    "date",
    "time",
    "stamp",
    "copyright",
    "linkish",
    "sentences",
    "nav_window",
    "prev_short",
    "next_short",
    "prev_sim",
    "next_sim",
    "prev_reader",
    "next_reader",
    "prev_log_words",
    "next_log_words",
    "prose_window",
    "publisher",
    "form",
    "please",
    "money_ask",
    "from_html",
    "html_short",
    *SHAPE_NAMES,
)
DENSE = {name: index for index, name in enumerate(DENSE_NAMES)}
FEATURE_COUNT = len(DENSE_NAMES) + HASH_BUCKETS

SparseVector = dict[int, float]


def block_features(blocks: Sequence[str], *, from_html: bool = False) -> list[SparseVector]:
    """One sparse feature vector per block of a document (blocks in document order).

    FROM_HTML: the blocks are trafilatura's extraction of a page, where far less boilerplate
    is left than in pasted text; the model learns its own bias for them.
    """
    infos = [_BlockInfo(text) for text in blocks]
    shapes = shape_features([info.text for info in infos], [info.words for info in infos])
    vectors: list[SparseVector] = []
    for index, info in enumerate(infos):
        vector = _own_features(info)
        vector.update((DENSE[name], value) for name, value in shapes[index].items())
        _context_features(vector, infos, index)
        _hashed_words(vector, info.tokens)
        if from_html:
            vector[DENSE["from_html"]] = 1.0
            vector[DENSE["html_short"]] = float(info.short)
        vectors.append(vector)
    return vectors


class _BlockInfo:
    """What the features need to know about one block, computed once."""

    __slots__ = ("counts", "low", "reader", "short", "text", "tokens", "word_set", "words")

    def __init__(self, text: str) -> None:
        self.text = text.strip()
        self.low = lower(self.text)
        self.tokens = [token.casefold() for token in tokens_of(self.text)]
        self.words = len(self.tokens)
        self.short = self.words <= _NAV_MAX_WORDS and not SENTENCE_END.search(self.text)
        self.reader = bool(_SECOND_PERSON.search(self.low) or _IMPERATIVE_START.search(self.low))
        self.counts = character_counts(self.text)
        self.word_set = frozenset(self.tokens)


class CharacterCounts(NamedTuple):
    letters: int  # str.isalpha
    upper_letters: int  # str.isupper, among the letters
    digits: int  # str.isdigit
    punctuation: int  # neither a word character nor white space (regex [^\w\s])


_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_ASCII_DIGITS = b"0123456789"
# What `\w` and `\s` match among ASCII characters (str patterns: \x1c-\x1f are spaces too).
_ASCII_WORD_OR_SPACE = _ASCII_LETTERS + _ASCII_DIGITS + b"_ \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def character_counts(text: str) -> CharacterCounts:
    """TEXT's letters, capitals, digits and punctuation; for ASCII text (most blocks) counted
    by bytes.translate, which is many times faster than testing each character in Python."""
    if not text.isascii():
        letters = "".join(filter(str.isalpha, text))
        return CharacterCounts(len(letters), sum(map(str.isupper, letters)),
                               sum(map(str.isdigit, text)), len(_PUNCT.findall(text)))  # fmt: skip
    data = text.encode("ascii")
    size = len(data)
    return CharacterCounts(
        size - len(data.translate(None, _ASCII_LETTERS)),
        size - len(data.translate(None, _ASCII_LETTERS[:26])),
        size - len(data.translate(None, _ASCII_DIGITS)),
        len(data.translate(None, _ASCII_WORD_OR_SPACE)),
    )


def _own_features(info: _BlockInfo) -> SparseVector:
    text, low, words = info.text, info.low, max(info.words, 1)
    counts = info.counts
    raw_words = text.split()
    capitalised = sum(1 for w in raw_words if w[0].isupper())
    money = bool(_MONEY.search(low))
    second_person = len(_SECOND_PERSON.findall(low))
    first_plural = len(_FIRST_PLURAL.findall(low))
    sentences = len(_SENTENCE_MARK.findall(text)) + sum(map(text.count, _CJK_SENTENCE_MARKS))
    values = {
        "bias": 1.0,
        "log_words": math.log1p(info.words),
        "short": float(info.words <= _NAV_MAX_WORDS),
        "very_short": float(info.words <= 3),
        "sentence_end": float(bool(SENTENCE_END.search(text))),
        "ends_colon": float(text.endswith(":")),
        "ends_question_or_bang": float(text.endswith(("?", "!"))),
        "starts_lower": float(text[:1].islower()),
        "caps_ratio": counts.upper_letters / max(counts.letters, 1),
        "title_ratio": capitalised / max(len(raw_words), 1),
        "all_caps": float(counts.letters > 3 and counts.upper_letters == counts.letters),
        "digit_ratio": counts.digits / max(len(text), 1),
        "punct_ratio": counts.punctuation / max(len(text), 1),
        "quotes": float(bool(_QUOTE.search(text))),
        "second_person": min(second_person / words * 5, 1.0),
        "first_plural": min(first_plural / words * 5, 1.0),
        "imperative_start": float(bool(_IMPERATIVE_START.search(low))),
        "imperative_any": min(len(_IMPERATIVE_ANY.findall(low)) / words * 5, 1.0),
        "money": float(money),
        "date": float(bool(_DATE_NAMED.search(low) or _DATE_NUMERIC.search(low))),
        "time": float(bool(_TIME.search(low))),
        "stamp": float(bool(_STAMP.search(low))),
        "copyright": float(bool(_COPYRIGHT.search(low))),
        "linkish": float(bool(_LINKISH.search(low))),
        "publisher": min(len(_PUBLISHER.findall(low)) / words * 5, 1.0),
        "form": float(bool(_FORM.search(low))),
        "please": float(bool(_PLEASE.search(low))),
        "money_ask": float(money and bool(second_person or first_plural)),
        "sentences": math.log1p(sentences),
    }
    return {DENSE[name]: value for name, value in values.items() if value}


def _context_features(vector: SparseVector, infos: list[_BlockInfo], index: int) -> None:
    window = infos[max(index - 3, 0) : index + 4]
    neighbours = len(window) - 1
    if neighbours:
        others = [info for position, info in enumerate(window) if position != min(index, 3)]
        vector[DENSE["nav_window"]] = sum(info.short for info in others) / neighbours
        vector[DENSE["prose_window"]] = sum(info.words >= 25 for info in others) / neighbours
    here = infos[index]
    for name, position in (("prev", index - 1), ("next", index + 1)):
        if not 0 <= position < len(infos):
            continue
        other = infos[position]
        vector[DENSE[f"{name}_short"]] = float(other.short)
        vector[DENSE[f"{name}_reader"]] = float(other.reader)
        vector[DENSE[f"{name}_log_words"]] = math.log1p(other.words)
        union = here.word_set | other.word_set
        if union:
            vector[DENSE[f"{name}_sim"]] = len(here.word_set & other.word_set) / len(union)


def _hashed_words(vector: SparseVector, tokens: list[str]) -> None:
    """Words and word pairs (present or not), hashed into HASH_BUCKETS."""
    if not tokens:
        vector[bucket("<empty>")] = 1.0
        return
    # bucket(), in bulk (map over builtins): this runs for every word of every block.
    grams = [*tokens, *map(" ".join, itertools.pairwise(tokens))]
    offset = len(DENSE_NAMES)
    vector.update(dict.fromkeys(
        [offset + code % HASH_BUCKETS for code in map(zlib.crc32, map(str.encode, grams))], 1.0
    ))  # fmt: skip


def continues_an_appeal(text: str) -> bool:
    """Whether TEXT reads as part of a publisher's appeal to its readers: it talks about the
    publisher's journalism or business while addressing the reader (we/our, you/your, please)
    or asking for money, outside quotation marks; or it is a short lead-in line ("Dear
    readers,", "A message from the editors:")."""
    low = lower(text)
    if len(text.split()) <= 10 and _LEAD_IN.search(text):
        return True
    if _QUOTE.search(text):  # a source quoted in the article, not the publisher
        return False
    return bool(_PUBLISHER_SELF.search(low)) and bool(
        _FIRST_PLURAL.search(low)
        or _SECOND_PERSON.search(low)
        or _PLEASE.search(low)
        or _MONEY.search(low)  # the ask: "$5 a month keeps a reporter at council meetings"
    )


def speaks_to_reader(text: str) -> bool:
    """Whether TEXT talks to the reader in the publisher's voice (you, we, please, an
    imperative) outside quotation marks: a quoted "we" is a source speaking, not the site."""
    if _QUOTE.search(text):
        return False
    return addresses_reader(text) or bool(_FIRST_PLURAL.search(lower(text)))


def addresses_reader(text: str) -> bool:
    """Whether TEXT addresses the reader directly (you, please, an imperative); "we" alone
    does not: an organisation's own post about its work says "we" too."""
    low = lower(text)
    return bool(_SECOND_PERSON.search(low) or _PLEASE.search(low) or _IMPERATIVE_START.search(low))


def bucket(gram: str) -> int:
    return len(DENSE_NAMES) + zlib.crc32(gram.encode("utf-8")) % HASH_BUCKETS
