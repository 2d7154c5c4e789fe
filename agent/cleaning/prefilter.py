"""Regex searches that skip texts lacking a literal every match needs (exact, just cheaper).

Cleaning searches dozens of word patterns (features, shapes, block rules) in every block of
every article, and Python's regex engine pays for a long alternation at every word of a text
even when nothing matches, which is most of the time. Each `GatedPattern` knows a set of
literal strings one of which any match must contain, derived from the compiled pattern's own
parse tree (as RE2's and Hyperscan's prefilters do); one Aho-Corasick pass over the lower-cased
text (pyahocorasick, in C) finds which patterns' literals occur, and only those patterns are
searched. A pattern whose literals cannot be derived (or would be too weak to help) is always
searched. Results are identical to the plain pattern's: the gate only skips searches that
cannot match (tests/cleaning/test_prefilter.py checks this on the corpus and on edge cases).

Which literals a text contains is remembered within one `document_scope()` (one article), so
the many callers that look at the same block share one pass; nothing is kept across articles.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import ahocorasick

_T = TypeVar("_T")
# The regex engine's own parser and opcodes (private modules, stable from 3.11 to 3.13; the
# tests fail loudly if they change): the literals come from the tree the engine compiles.
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")
# A single character gates only when it is rare in prose: a letter, digit, space or common
# punctuation would let nearly every text through while costing a hit per occurrence.
_COMMON_CHARACTERS = frozenset(" .,;:!?-'\"()/&*+=_#%|<>[]{}")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_SMALL_SET = 8  # a character class of at most this many literal characters gives literals


# The one character whose lower case is two characters (tests check there is no other).
MULTI_CHARACTER_LOWER = "\u0130"


def _case_traps() -> frozenset[str] | None:
    """Non-ASCII characters that case-insensitive matching equates with a character of
    another lower case (long s with "s", dotless i with "i", final sigma with sigma): a
    literal holding one is not used, and a text holding one (or dotted capital I) is
    searched without the gate."""
    try:
        extra_cases: dict[int, tuple[int, ...]] = importlib.import_module(
            "re._casefix"
        )._EXTRA_CASES
    except (ImportError, AttributeError):  # another Python: gate only ASCII texts and literals
        return None
    codes = {code for key, values in extra_cases.items() for code in (key, *values)}
    return frozenset(chr(code) for code in codes if code > 0x7F)


_TRAPS = _case_traps()


def _gate_applies(text: str, low: str) -> bool:
    if text.isascii():
        return True
    return _TRAPS is not None and MULTI_CHARACTER_LOWER not in text and _TRAPS.isdisjoint(low)


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lower-cased strings one of which every match of PATTERN contains; None if unknown."""
    found = _sequence(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    if not found or not all(_useful(literal) for literal in found):
        return None
    return frozenset(literal.lower() for literal in found)


def _useful(literal: str) -> bool:
    # Lower-casing must map the literal character by character (so a text containing it
    # contains its lower-case form): no "İ" (two characters once lower-cased), no "Σ".
    if any(len(char.lower()) != 1 or char.lower() in "σς" for char in literal):
        return False
    if not literal.isascii() and (_TRAPS is None or not _TRAPS.isdisjoint(literal.lower())):
        return False
    return len(literal) >= 2 or (literal not in _COMMON_CHARACTERS and not literal.isalnum())


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """Literals for a sequence: every item with a minimum of one must match, so any one
    item's literals will do; the most selective (longest shortest literal) is kept."""
    best: frozenset[str] | None = None
    run = ""
    for op, value in [*items, (None, None)]:
        if op is sre.LITERAL:
            run += chr(value)
            continue
        candidates = [frozenset([run]) if run else None, _item(op, value)]
        run = ""
        for found in candidates:
            if found and (best is None or _strength(found) > _strength(best)):
                best = found
    return best


def _strength(literals: frozenset[str]) -> tuple[int, int]:
    return min(map(len, literals)), -len(literals)


def _item(op: Any, value: Any) -> frozenset[str] | None:
    if op is sre.SUBPATTERN:
        return _sequence(list(value[-1]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(value))
    if op is sre.BRANCH:
        alternatives = [_sequence(list(branch)) for branch in value[1]]
        if all(alternatives):
            return frozenset().union(*alternatives)  # type: ignore[arg-type]
        return None
    if op in _REPEATS and value[0] >= 1:
        return _sequence(list(value[2]))
    if op is sre.IN and len(value) <= _SMALL_SET and all(kind is sre.LITERAL for kind, _ in value):
        return frozenset(chr(code) for _, code in value)
    return None  # anything else (a class, a lookaround, an optional part) promises nothing


class _Registry:
    """Every gated pattern's literals in one automaton, rebuilt when a pattern is added."""

    def __init__(self) -> None:
        self.literals: dict[str, int] = {}  # literal -> bit mask of the patterns needing it
        self.count = 0
        self._automaton: Any = None
        self._lock = threading.Lock()  # rules register their patterns on first use

    def add(self, literals: frozenset[str]) -> int:
        with self._lock:
            bit = 1 << self.count
            for literal in literals:
                self.literals[literal] = self.literals.get(literal, 0) | bit
            self._automaton = None
            self.count += 1
            return bit

    def present(self, text: str) -> int:
        """Bit mask of the patterns at least one of whose literals TEXT contains."""
        low = text.lower()
        if not _gate_applies(text, low):
            return -1  # every bit set: search every pattern
        automaton = self._automaton or self._build()
        mask = 0
        for _, bits in automaton.iter(low):
            mask |= bits
        return mask

    def _build(self) -> Any:
        with self._lock:
            automaton = ahocorasick.Automaton()
            for literal, bits in self.literals.items():
                automaton.add_word(literal, bits)
            automaton.make_automaton()
            self._automaton = automaton
            return automaton


_REGISTRY = _Registry()
_SCOPE: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar(
    "summarise_clean_document_scope", default=None
)


@contextlib.contextmanager
def document_scope() -> Iterator[None]:
    """Within: per-text results are remembered (one article's blocks are looked at by many
    functions); after: forgotten, so nothing is shared between articles."""
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def per_document(function: Callable[[str], _T]) -> Callable[[str], _T]:
    """FUNCTION of a text, remembered within the current document_scope (callers must not
    change what it returns)."""

    def remembered(text: str) -> _T:
        memo = _SCOPE.get()
        if memo is None:
            return function(text)
        key = (function, text)
        if key not in memo:
            memo[key] = function(text)
        return memo[key]  # type: ignore[no-any-return]

    remembered.__doc__, remembered.__name__ = function.__doc__, function.__name__
    return remembered


def _present(text: str) -> int:
    memo = _SCOPE.get()
    if memo is None:
        return _REGISTRY.present(text)
    key = (_REGISTRY.count, text)  # a pattern gated since (a rule loaded late) is looked for
    if key not in memo:
        memo[key] = _REGISTRY.present(text)
    return memo[key]  # type: ignore[no-any-return]


class GatedPattern:
    """A compiled pattern searched only in texts that contain one of its required literals."""

    __slots__ = ("bit", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        literals = required_literals(pattern)
        self.bit = 0 if literals is None else _REGISTRY.add(literals)

    def may_match(self, text: str) -> bool:
        return not self.bit or bool(_present(text) & self.bit)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_match(text) else None

    def findall(self, text: str) -> list[Any]:
        return self.pattern.findall(text) if self.may_match(text) else []


def gated(source: str, flags: int = 0) -> GatedPattern:
    return GatedPattern(re.compile(source, flags))
