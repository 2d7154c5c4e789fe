"""Actor names as a reviewer reads them: the same actor however the article or model spells it.

A name is folded (case, diacritics, punctuation, a leading "the"), leading honorifics and titles
are dropped ("General Oren Dask" is "oren dask"), and each actor gets the names it may be called
by: its folded name, its id read as words, a gold file's optional `aliases`, a person's surname
and an organisation's acronym. Two actors are scored by the best rule that holds (see
docs/evaluation.md#actors); below ACTOR_MATCH_THRESHOLD they are different actors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

ACTOR_MATCH_THRESHOLD = 88.0
SAME_NAME, SAME_ALIAS, SAME_ID, NAME_CONTAINED, SHORT_FORM = 100.0, 98.0, 96.0, 94.0, 92.0
FUZZY_NAME_FLOOR = 90.0  # token_sort_ratio of whole names: typos ("Dask" / "Dusk"), not new names

_HONORIFIC_WORDS = (
    "mr mrs ms miss mx dr prof professor sir dame lord lady madam monsieur madame herr frau "
    "general gen colonel col major maj captain capt admiral adm lieutenant lt sergeant sgt "
    "president vice prime minister secretary chancellor premier senator sen representative rep "
    "congressman congresswoman governor gov mayor judge justice chief deputy ambassador "
    "king queen prince princess sheikh emir rev reverend father pope cardinal bishop rabbi imam "
    "ceo chairman chairwoman chair director commissioner envoy spokesman spokeswoman spokesperson "
    "foreign finance health defence defense interior"
)
HONORIFICS = frozenset(_HONORIFIC_WORDS.split())
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
CONNECTIVES = frozenset({"of", "for", "and", "the", "on", "in", "de", "du", "des", "la", "le"})
_LEADING_THE = re.compile(r"^the\s+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_JOINING = re.compile(r"[.'\u2019`]")  # "U.N." is "un", "O'Neill" is "oneill"
_SEPARATORS = re.compile(r"[^\w\s]|_")


def fold(text: str) -> str:
    """Lower case, no diacritics, punctuation folded, single spaces, no leading 'the'."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _JOINING.sub("", _POSSESSIVE.sub("", text))
    text = " ".join(_SEPARATORS.sub(" ", text).split())
    return _LEADING_THE.sub("", text)


def bare_name(name: str, kind: str = "person") -> str:
    """The folded name; a person's also without leading honorifics or titles, nor a Jr/III."""
    words = fold(name).split()
    if kind not in ("person", ""):
        return " ".join(words)
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return " ".join(words)


def acronym(name: str) -> str | None:
    """'United Nations' -> 'un', 'Organisation for Economic Co-operation' -> 'oec'."""
    initials = []
    for word in name.split():
        folded = fold(word).split()  # a hyphenated word gives one initial, its first part's
        if folded and folded[0] not in CONNECTIVES:
            initials.append(folded[0][0])
    return "".join(initials) if len(initials) >= 2 else None


@dataclass(frozen=True)
class NamedActor:
    """What matching needs of an actor: its id, kind and every name it may be called by."""

    id: str
    kind: str
    name: str  # bare name
    aliases: frozenset[str]  # bare names from the id and a gold file's `aliases`
    surname: str | None  # a person's last word, when the name has two words or more
    acronym: str | None  # initials of a multi-word name that is not a person's

    @classmethod
    def of(cls, actor_id: str, name: str, kind: str, aliases: Iterable[str] = ()) -> NamedActor:
        bare = bare_name(name, kind) or bare_name(actor_id, kind)
        words = bare.split()
        person = kind in ("person", "")
        other_names = (bare_name(alias, kind) for alias in (actor_id, *aliases))
        return cls(
            id=actor_id,
            kind=kind,
            name=bare,
            aliases=frozenset(alias for alias in other_names if alias),
            surname=words[-1] if person and len(words) >= 2 else None,
            acronym=acronym(name) if not person else None,
        )

    def names(self) -> frozenset[str]:
        return self.aliases | {self.name}


def actor_similarity(gold: NamedActor, predicted: NamedActor) -> float:
    """0-100: how surely two actors are the same one; the first rule that holds decides."""
    if not gold.name or not predicted.name:
        return 0.0
    if gold.name == predicted.name:
        return SAME_NAME
    if gold.names() & predicted.names():
        return SAME_ALIAS
    if gold.id and gold.id == predicted.id:
        return SAME_ID
    if not _kinds_compatible(gold.kind, predicted.kind):
        return 0.0
    if _contained(gold.name, predicted.name):
        return NAME_CONTAINED
    if _short_form(gold, predicted) or _short_form(predicted, gold):
        return SHORT_FORM
    from rapidfuzz import fuzz

    ratio = float(fuzz.token_sort_ratio(gold.name, predicted.name))
    return min(ratio, SHORT_FORM - 1) if ratio >= FUZZY_NAME_FLOOR else 0.0


def _kinds_compatible(left: str, right: str) -> bool:
    # a country is often given as its government ("organisation") and vice versa; a person never
    if not left or not right or left == right:
        return True
    return "person" not in (left, right)


def _contained(left: str, right: str) -> bool:
    """All words of the shorter name, two or more, are words of the longer one."""
    short, long = sorted((left.split(), right.split()), key=len)
    return len(short) >= 2 and set(short) <= set(long)


def _short_form(full: NamedActor, short: NamedActor) -> bool:
    """`short` is one word that is `full`'s surname or acronym."""
    if len(short.name.split()) != 1:
        return False
    one_word = short.names()
    return (full.surname is not None and full.surname in one_word) or (
        full.acronym is not None and full.acronym in one_word
    )
