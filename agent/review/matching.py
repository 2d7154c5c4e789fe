"""Pairing things of an old and a new record by meaning, whatever order they are listed in.

Pairing is greedy, best score first, with ties broken by list position so the result is
deterministic. Scores are rapidfuzz similarities (0-100) of normalised text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from summarise_agent.review.records import ActorView

Item = TypeVar("Item")

DEFAULT_TEXT_THRESHOLD = 80.0  # topics and action phrases: "the second bridge" ~ "a second bridge"
ACTOR_NAME_THRESHOLD = 90.0  # names differ less than topics; "Macron" ~ "Emmanuel Macron"
_LEADING_ARTICLE = re.compile(r"^(a|an|the)\s+")
_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Case, punctuation, spacing and a leading article do not change what a phrase means."""
    text = " ".join(_PUNCTUATION.sub(" ", text.casefold()).split())
    return _LEADING_ARTICLE.sub("", text)


def text_similarity(left: str, right: str) -> float:
    from rapidfuzz import fuzz

    left, right = normalise(left), normalise(right)
    if left == right:
        return 100.0
    return float(fuzz.token_sort_ratio(left, right))


@dataclass(frozen=True)
class Pairing(Generic[Item]):
    pairs: list[tuple[Item, Item]]  # in the new record's order
    removed: list[Item]  # old items without a partner, in the old order
    added: list[Item]  # new items without a partner, in the new order


def pair_by_score(
    old: Sequence[Item],
    new: Sequence[Item],
    score: Callable[[Item, Item], float],
    threshold: float,
) -> Pairing[Item]:
    candidates = sorted(
        (
            (-similarity, old_index, new_index)
            for old_index, old_item in enumerate(old)
            for new_index, new_item in enumerate(new)
            if (similarity := score(old_item, new_item)) >= threshold
        )
    )
    old_partner: dict[int, int] = {}
    new_partner: dict[int, int] = {}
    for _, old_index, new_index in candidates:
        if old_index not in old_partner and new_index not in new_partner:
            old_partner[old_index] = new_index
            new_partner[new_index] = old_index
    return Pairing(
        pairs=[(old[new_partner[index]], new[index]) for index in sorted(new_partner)],
        removed=[item for index, item in enumerate(old) if index not in old_partner],
        added=[item for index, item in enumerate(new) if index not in new_partner],
    )


def pair_actors(old: Sequence[ActorView], new: Sequence[ActorView]) -> Pairing[ActorView]:
    """Same id first; then the same (or a very similar) name under a new id."""
    by_id = pair_by_score(old, new, lambda a, b: 100.0 if a.id == b.id else 0.0, 100.0)
    by_name = pair_by_score(by_id.removed, by_id.added, _name_similarity, ACTOR_NAME_THRESHOLD)
    pairs = by_id.pairs + by_name.pairs
    new_order = {id(actor): index for index, actor in enumerate(new)}
    pairs.sort(key=lambda pair: new_order[id(pair[1])])
    return Pairing(pairs=pairs, removed=by_name.removed, added=by_name.added)


def _name_similarity(old: ActorView, new: ActorView) -> float:
    from rapidfuzz import fuzz

    left, right = normalise(old.name), normalise(new.name)
    if not left or not right:
        return 0.0
    if left == right:
        return 100.0
    # token_set_ratio treats "macron" as contained in "emmanuel macron"; require the same kind
    # so that a person and an organisation sharing a word are not taken for each other
    return float(fuzz.token_set_ratio(left, right)) if old.kind == new.kind else 0.0
