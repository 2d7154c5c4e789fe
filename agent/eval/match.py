"""Pairing a gold record with a predicted one, one to one, and counting what agrees.

Actors pair by name (eval/names.py); a position pairs only with a position of the paired actor
whose topic is similar enough, an action only with an action of the paired proposer whose
action phrase is similar enough. Pairing is greedy, best score first, ties broken by list
order (summarise_agent.review.matching.pair_by_score, shared with `diff`), so results are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from summarise_agent.eval.names import ACTOR_MATCH_THRESHOLD, NamedActor, actor_similarity, fold
from summarise_agent.eval.scores import PartCounts
from summarise_agent.review.matching import pair_by_score
from summarise_agent.review.records import ActionView, ActorView, PositionView, RecordView

TOPIC_THRESHOLD = 60.0  # share of the shorter topic's words found in the other, 0-100
ACTION_THRESHOLD = 60.0  # the same, for action phrases
_STOP_WORDS = (
    "a an the of on to for in and or with by from at as its it their his her our your this that "
    "be is are was were any all new"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
MIN_STEM = 4  # shorter words must be equal: "tax" is not "taxi"
STEM_SHARE = 0.75  # of the shorter word that must be a common prefix: "price" ~ "prices"


def phrase_words(text: str) -> frozenset[str]:
    """A topic's or action's words as compared: folded, stop words dropped (unless that
    empties it)."""
    words = fold(text).split()
    return frozenset(word for word in words if word not in STOP_WORDS) or frozenset(words)


def same_word(left: str, right: str) -> bool:
    """Equal, or the same word inflected: a common prefix of at least 3/4 of the shorter word
    ("vaccinate" ~ "vaccination", "rate" ~ "rates"), which must have 4 letters or more."""
    if left == right:
        return True
    shorter = min(len(left), len(right))
    pairs = zip(left, right, strict=False)  # up to the shorter word
    common = next((index for index, (a, b) in enumerate(pairs) if a != b), shorter)
    return shorter >= MIN_STEM and common >= max(MIN_STEM, math.ceil(STEM_SHARE * shorter))


def phrase_similarity(gold: str, predicted: str) -> float:
    """0-100: the share of the shorter phrase's words that the other phrase has (a phrase
    contained in the other scores 100, "nuclear power" and "nuclear weapons" 50), plus a
    tie-breaker under 1 from rapidfuzz's token_sort_ratio, so that among candidates found
    equally the closer wording pairs first."""
    from rapidfuzz import fuzz

    left, right = phrase_words(gold), phrase_words(predicted)
    if not left or not right:
        return 0.0
    shorter, longer = (left, right) if len(left) <= len(right) else (right, left)
    found = sum(1 for word in shorter if any(same_word(word, other) for other in longer))
    closeness = fuzz.token_sort_ratio(" ".join(sorted(left)), " ".join(sorted(right)))
    return 100.0 * found / len(shorter) + float(closeness) / 1000


def pair_actors(
    gold: Sequence[ActorView], predicted: Sequence[ActorView], aliases: Mapping[str, list[str]]
) -> dict[str, str]:
    """Gold actor id -> predicted actor id, for the actors that pair."""
    gold_named = [NamedActor.of(a.id, a.name, a.kind, aliases.get(a.id, ())) for a in gold]
    predicted_named = [NamedActor.of(a.id, a.name, a.kind) for a in predicted]
    pairing = pair_by_score(gold_named, predicted_named, actor_similarity, ACTOR_MATCH_THRESHOLD)
    return {gold_actor.id: predicted_actor.id for gold_actor, predicted_actor in pairing.pairs}


def count_actors(gold: RecordView, predicted: RecordView, actor_map: dict[str, str]) -> PartCounts:
    return PartCounts(
        gold=len(gold.actors), predicted=len(predicted.actors), matched=len(actor_map)
    )


def count_positions(
    gold: Sequence[PositionView], predicted: Sequence[PositionView], actor_map: dict[str, str]
) -> PartCounts:
    def score(gold_item: PositionView, predicted_item: PositionView) -> float:
        if not predicted_item.actor or actor_map.get(gold_item.actor) != predicted_item.actor:
            return 0.0
        return phrase_similarity(gold_item.topic, predicted_item.topic)

    pairs = pair_by_score(gold, predicted, score, TOPIC_THRESHOLD).pairs
    return PartCounts(
        gold=len(gold), predicted=len(predicted), matched=len(pairs),
        attribute_correct=sum(1 for g, p in pairs if g.stance == p.stance),
    )  # fmt: skip


def count_actions(
    gold: Sequence[ActionView], predicted: Sequence[ActionView], actor_map: dict[str, str]
) -> PartCounts:
    def score(gold_item: ActionView, predicted_item: ActionView) -> float:
        proposer = predicted_item.proposer
        if not proposer or actor_map.get(gold_item.proposer) != proposer:
            return 0.0
        return phrase_similarity(gold_item.action, predicted_item.action)

    pairs = pair_by_score(gold, predicted, score, ACTION_THRESHOLD).pairs
    counts = PartCounts(
        gold=len(gold), predicted=len(predicted), matched=len(pairs),
        attribute_correct=sum(1 for g, p in pairs if g.status == p.status),
    )  # fmt: skip
    for gold_item, predicted_item in pairs:
        # a gold participant counts as found when its paired actor is among the predicted ones
        expected = {actor_map.get(actor_id) for actor_id in set(gold_item.participants)}
        found = set(predicted_item.participants)
        counts.participants_gold += len(set(gold_item.participants))
        counts.participants_predicted += len(found)
        counts.participants_matched += len(found & (expected - {None}))
    return counts


def count_parts(
    gold: RecordView, predicted: RecordView, parts: Sequence[str], aliases: Mapping[str, list[str]]
) -> dict[str, PartCounts]:
    actor_map = pair_actors(gold.actors, predicted.actors, aliases)
    counters: dict[str, Any] = {
        "actors": lambda: count_actors(gold, predicted, actor_map),
        "positions": lambda: count_positions(gold.positions, predicted.positions, actor_map),
        "actions": lambda: count_actions(gold.actions, predicted.actions, actor_map),
    }
    return {part: counters[part]() for part in parts}
