"""What `show` lays out, shared by the Markdown and HTML renderings: claims in reading order,
positions grouped by topic, and quote counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from summarise_agent.review.matching import normalise
from summarise_agent.review.records import ActionView, PositionView, RecordView


@dataclass(frozen=True)
class TopicGroup:
    topic: str  # as first written in the record
    positions: tuple[tuple[int, PositionView], ...]  # (claim number, position)


@dataclass(frozen=True)
class Layout:
    topics: tuple[TopicGroup, ...]
    actions: tuple[tuple[int, ActionView], ...]  # (claim number, action)


def layout(record: RecordView) -> Layout:
    """Claims are numbered 1.. in the order they are shown: positions by topic, then actions.

    Topics group by their normalised text, in order of first mention, so the groups read like
    the article; within a group positions keep the record's order.
    """
    groups: dict[str, list[PositionView]] = {}
    spelling: dict[str, str] = {}
    for position in record.positions:
        key = normalise(position.topic)
        groups.setdefault(key, []).append(position)
        spelling.setdefault(key, position.topic)
    number = 0
    topics: list[TopicGroup] = []
    for key, positions in groups.items():
        numbered = []
        for position in positions:
            number += 1
            numbered.append((number, position))
        topics.append(TopicGroup(spelling[key], tuple(numbered)))
    actions = tuple((number + index, action) for index, action in enumerate(record.actions, 1))
    return Layout(tuple(topics), actions)


def quote_counts(record: RecordView) -> str:
    """`7 quotes: 5 exact, 1 fuzzy, 1 not found`, from the evidence itself."""
    counts = Counter(item.match for item in record.all_evidence())
    total = sum(counts.values())
    parts = [f"{counts[kind]} {kind.replace('_', ' ')}" for kind in ("exact", "fuzzy", "not_found")]
    return f"{total} quote(s): {', '.join(parts)}"


def actor_label(record: RecordView, actor_id: str) -> str:
    return record.actor_names().get(actor_id) or f"{actor_id} (unknown actor)"


@dataclass(frozen=True)
class Unverified:
    """What `show` warns about: claims with a quote not found, actors whose name is not found."""

    claims: frozenset[int]  # claim numbers, as laid out
    quotes: int
    actors: frozenset[str]  # actor ids

    @property
    def count(self) -> int:
        return len(self.claims) + len(self.actors)

    def banner(self) -> str:
        """One sentence for the warning banner (empty when everything is verified)."""
        if not self.count:
            return ""
        return (
            f"{self.count} unverified claim(s): {len(self.claims)} claim(s) with a quote not "
            f"found in the article ({self.quotes} quote(s)), {len(self.actors)} actor(s) whose "
            "name is not in the article. They are marked UNVERIFIED below."
        )


def unverified(record: RecordView, shown: Layout) -> Unverified:
    numbered = [(n, p.evidence) for g in shown.topics for n, p in g.positions]
    numbered += [(n, a.evidence) for n, a in shown.actions]
    claims = frozenset(n for n, evidence in numbered if any(not e.verified for e in evidence))
    quotes = sum(1 for _, evidence in numbered for e in evidence if not e.verified)
    actors = frozenset(a.id for a in record.actors if a.name_match == "not_found")
    return Unverified(claims, quotes, actors)
