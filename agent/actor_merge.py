"""Unify the actors of several chunk answers: one actor however each chunk named it.

Each chunk's answer names its actors independently ("Olaf Scholz" in one, "Chancellor Scholz"
or "Scholz" in another, with ids of its own). Two mentions are the same actor when:
1. their names are equal once normalised (case, accents, punctuation, leading titles such as
   "Chancellor" or "Dr", leading words of the actor's own role), or a name equals the other's
   bracketed alias ("European Union (EU)"); or their ids are equal and their kinds agree;
2. else one name's words are a subset of exactly one other actor's name with the same last
   word and a compatible kind ("Scholz" in "Olaf Scholz"), or one name is the initials of
   exactly one other ("EU", "European Union"). Two candidates ("Johnson": "Boris Johnson",
   "Lyndon Johnson") are ambiguous and merge with neither.
The merged actor takes the fullest name's fields (nulls filled from its other mentions) and
an id made from that name, so ids are stable: the same answers always give the same ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from summarise_agent.eval.names import CONNECTIVES, HONORIFICS, fold

# leading words dropped from people's names: the evaluation's honorifics, and a few more
TITLES = HONORIFICS | frozenset({"former", "acting", "interim", "speaker", "mp", "mep"})
ACRONYM_STOP_WORDS = CONNECTIVES  # not counted in initials
_BRACKETED = re.compile(r"\(([^()]*)\)")

Names = tuple[str, ...]  # a name as its normalised words


@dataclass
class Mention:
    """One actor as one chunk's answer gave it."""

    chunk: int
    position: int  # index in that chunk's actors list
    actor: dict[str, Any]
    names: list[Names] = field(default_factory=list)  # name first, then aliases

    @property
    def kind(self) -> str:
        return str(self.actor.get("kind") or "other")


def words(text: str) -> Names:
    """Lower-case words without accents or punctuation, as the evaluation folds names
    (agent/eval/names.py: a possessive 's and a leading "the" dropped, "U.N." is "un")."""
    return tuple(fold(text).split())


def name_forms(actor: dict[str, Any]) -> list[Names]:
    """The actor's name without leading titles or role words (people only: "General" is
    part of "General Motors"), then its bracketed aliases."""
    name = str(actor.get("name") or "")
    person = actor.get("kind") == "person"
    role = set(words(str(actor.get("role") or ""))) | TITLES if person else set()
    forms = [_strip_titles(words(_BRACKETED.sub(" ", name)), role)]
    forms += [_strip_titles(words(alias), role) for alias in _BRACKETED.findall(name)]
    return [form for form in forms if form]


def _strip_titles(name: Names, leading: set[str] | frozenset[str]) -> Names:
    start = 0
    while start < len(name) - 1 and name[start] in leading:
        start += 1
    return name[start:]


class _Groups:
    """Union-find over mentions; the root of a group is its earliest mention."""

    def __init__(self, count: int) -> None:
        self.parent = list(range(count))

    def root(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, first: int, second: int) -> None:
        a, b = self.root(first), self.root(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def group_mentions(mentions: list[Mention]) -> list[list[int]]:
    """Mentions of one actor grouped together; groups in order of first mention."""
    groups = _Groups(len(mentions))
    _join_equal_names(mentions, groups)
    _join_contained_names(mentions, groups)
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(mentions)):
        members[groups.root(index)].append(index)
    return [members[root] for root in sorted(members)]


def _join_equal_names(mentions: list[Mention], groups: _Groups) -> None:
    by_name: dict[Names, int] = {}
    by_id: dict[tuple[str, str], int] = {}
    for index, mention in enumerate(mentions):
        for name in mention.names:
            groups.join(by_name.setdefault(name, index), index)
        actor_id = str(mention.actor.get("id") or "")
        if actor_id:
            groups.join(by_id.setdefault((actor_id, mention.kind), index), index)


def _join_contained_names(mentions: list[Mention], groups: _Groups) -> None:
    """Short names into the one fuller name that contains them, fullest names first, so
    that nested names ("Scholz" in "Olaf Scholz" in "Olaf W. Scholz") end in one group."""
    # one mention per distinct name and kind: the others are in its group already (step 1),
    # and a long article names its actors the same way hundreds of times
    distinct: dict[tuple[tuple[Names, ...], str], int] = {}
    for index, mention in enumerate(mentions):
        distinct.setdefault((tuple(mention.names), mention.kind), index)
    by_last_word: dict[str, list[int]] = defaultdict(list)
    by_initials: dict[str, list[int]] = defaultdict(list)
    for index in sorted(distinct.values()):
        mention = mentions[index]
        for name in mention.names:
            by_last_word[name[-1]].append(index)
            initials = "".join(word[0] for word in name if word not in ACRONYM_STOP_WORDS)
            if len(name) > 1 and len(initials) > 1:
                by_initials[initials].append(index)
    order = sorted(distinct.values(), key=lambda i: (-_longest(mentions[i]), i))
    for index in order:
        mention = mentions[index]
        roots: set[int] = set()
        for name in mention.names:
            for other in by_last_word[name[-1]]:
                if _contains(mentions[other], name) and _kinds_agree(mention, mentions[other]):
                    roots.add(groups.root(other))
            if len(name) == 1:
                for other in by_initials.get(name[0], []):
                    if _kinds_agree(mention, mentions[other]):
                        roots.add(groups.root(other))
        roots.discard(groups.root(index))
        if len(roots) == 1:
            groups.join(index, roots.pop())


def _longest(mention: Mention) -> int:
    return max((len(name) for name in mention.names), default=0)


def _contains(mention: Mention, short: Names) -> bool:
    wanted = set(short)
    return any(
        len(name) > len(short) and name[-1] == short[-1] and wanted <= set(name)
        for name in mention.names
    )


def _kinds_agree(first: Mention, second: Mention) -> bool:
    return first.kind == second.kind or "other" in (first.kind, second.kind)


def merged_actor(mentions: list[Mention]) -> dict[str, Any]:
    """The fullest-named mention's fields, each null filled from the other mentions in order."""
    fullest = max(mentions, key=lambda m: (_longest(m), len(str(m.actor.get("name") or ""))))
    actor = dict(fullest.actor)
    for key, value in actor.items():
        if value is None:
            actor[key] = next((m.actor[key] for m in mentions if m.actor.get(key) is not None),
                              None)  # fmt: skip
    return actor


def slug(name: str) -> str:
    """An id in the contract's pattern (lower-case ASCII words joined by '-'), may be ''."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


def unique_id(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    taken.add(candidate)
    return candidate
