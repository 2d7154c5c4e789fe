"""`summarise diff`: what changed between two records, by meaning rather than by line.

Actors pair by id, then by name; positions by actor and (fuzzy) topic; actions by proposer and
(fuzzy) action phrase; evidence by quote. Pairing ignores list order, so a pure reordering is
no change. Actor ids are translated old -> new first, so a renamed id does not re-add claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summarise_agent.review.matching import (
    DEFAULT_TEXT_THRESHOLD,
    normalise,
    pair_actors,
    pair_by_score,
    text_similarity,
)
from summarise_agent.review.records import (
    ActionView,
    ActorView,
    BlockView,
    EvidenceView,
    PositionView,
    RecordView,
)


@dataclass(frozen=True)
class Change:
    kind: str  # stable name for scripts, e.g. "stance_changed"; see docs/reviewing.md
    subject: str  # what changed, for people: "Tomas Berg on a second harbour bridge"
    old: Any = None
    new: Any = None
    grounding: str | None = None  # the added or changed claim's match status, e.g. "exact"
    verified: bool | None = None  # False: some quote (or the actor's name) is not found

    @property
    def sign(self) -> str:
        if self.kind.endswith("_added"):
            return "+"
        return "-" if self.kind.endswith("_removed") else "~"

    @property
    def title(self) -> str:
        return self.kind.replace("_", " ")


@dataclass
class _Context:
    old: RecordView
    new: RecordView
    threshold: float
    actor_id_map: dict[str, str]  # old id -> new id of the same actor
    changes: list[Change]

    def add(
        self, kind: str, subject: str, old: Any = None, new: Any = None,
        grounding: tuple[str, bool] | None = None,
    ) -> None:  # fmt: skip
        status, verified = grounding if grounding else (None, None)
        self.changes.append(Change(kind, subject, old, new, status, verified))

    def actor_label(self, actor_id: str) -> str:
        """The actor's name in the new record (else the old one), else the bare id."""
        return (
            self.new.actor_names().get(actor_id) or self.old.actor_names().get(actor_id) or actor_id
        )

    def translated(self, old_actor_id: str) -> str:
        return self.actor_id_map.get(old_actor_id, old_actor_id)


def diff_records(
    old: RecordView, new: RecordView, threshold: float = DEFAULT_TEXT_THRESHOLD
) -> list[Change]:
    context = _Context(old, new, threshold, {}, [])
    _diff_run(context)
    if old.summary != new.summary:
        context.add("summary_changed", "summary", old.summary, new.summary)
    _diff_actors(context)
    _diff_positions(context)
    _diff_actions(context)
    if old.other_fields != new.other_fields:
        context.add(
            "other_fields_changed", ", ".join(sorted({*old.other_fields, *new.other_fields}))
        )
    return context.changes


def _block_label(block: BlockView) -> str:
    return f"{block.name} v{block.version} ({block.sha256[:12]})"


def _diff_run(context: _Context) -> None:
    old, new = context.old, context.new
    for kind, old_block, new_block in (
        ("schema_changed", old.schema, new.schema),
        ("prompt_changed", old.prompt, new.prompt),
    ):
        if old_block != new_block:
            context.add(kind, kind.split("_")[0], _block_label(old_block), _block_label(new_block))
    if old.model != new.model:
        context.add("model_changed", "model", old.model, new.model)
    if old.source.sha256 != new.source.sha256:
        # offsets of the two records index different texts: "evidence moved" is then expected
        context.add(
            "source_changed",
            new.source.name or old.source.name,
            old.source.sha256[:12],
            new.source.sha256[:12],
        )


def _diff_actors(context: _Context) -> None:
    pairing = pair_actors(context.old.actors, context.new.actors)
    for old_actor, new_actor in pairing.pairs:
        context.actor_id_map[old_actor.id] = new_actor.id
        _diff_actor_fields(context, old_actor, new_actor)
    for actor in pairing.removed:
        context.add("actor_removed", actor.name or actor.id, _actor_summary(actor), None)
    for actor in pairing.added:
        context.add("actor_added", actor.name or actor.id, None, _actor_summary(actor),
                    actor_grounding(actor))  # fmt: skip


def _actor_summary(actor: ActorView) -> str:
    details = ", ".join(part for part in (actor.kind, actor.role, actor.affiliation) if part)
    return f"{actor.id} ({details})" if details else actor.id


def _diff_actor_fields(context: _Context, old: ActorView, new: ActorView) -> None:
    label = new.name or new.id
    if old.id != new.id:
        context.add("actor_id_changed", label, old.id, new.id)
    if old.name != new.name:
        context.add("actor_renamed", label, old.name, new.name, actor_grounding(new))
    for field in ("kind", "role", "affiliation"):
        old_value, new_value = getattr(old, field), getattr(new, field)
        if old_value != new_value:
            context.add("actor_changed", f"{label}: {field}", old_value, new_value)


def _diff_positions(context: _Context) -> None:
    def score(old: PositionView, new: PositionView) -> float:
        if context.translated(old.actor) != new.actor:
            return 0.0
        return text_similarity(old.topic, new.topic)

    pairing = pair_by_score(context.old.positions, context.new.positions, score, context.threshold)
    for old, new in pairing.pairs:
        subject = f"{context.actor_label(new.actor)} on {new.topic}"
        grounding = evidence_grounding(new.evidence)
        if normalise(old.topic) != normalise(new.topic):
            context.add("topic_reworded", subject, old.topic, new.topic, grounding)
        if old.stance != new.stance:
            context.add("stance_changed", subject, old.stance, new.stance, grounding)
        if old.summary != new.summary:
            context.add("position_summary_changed", subject, old.summary, new.summary, grounding)
        _diff_evidence(context, subject, old.evidence, new.evidence)
    for position in pairing.removed:
        subject = f"{context.actor_label(context.translated(position.actor))} on {position.topic}"
        context.add("position_removed", subject, position.stance, None)
    for position in pairing.added:
        context.add(
            "position_added",
            f"{context.actor_label(position.actor)} on {position.topic}",
            None,
            position.stance,
            evidence_grounding(position.evidence),
        )


def _diff_actions(context: _Context) -> None:
    def score(old: ActionView, new: ActionView) -> float:
        if context.translated(old.proposer) != new.proposer:
            return 0.0
        return text_similarity(old.action, new.action)

    pairing = pair_by_score(context.old.actions, context.new.actions, score, context.threshold)
    for old, new in pairing.pairs:
        subject = f"{context.actor_label(new.proposer)}: {new.action}"
        grounding = evidence_grounding(new.evidence)
        if normalise(old.action) != normalise(new.action):
            context.add("action_reworded", subject, old.action, new.action, grounding)
        if old.status != new.status:
            context.add("action_status_changed", subject, old.status, new.status, grounding)
        old_participants = sorted(context.translated(actor_id) for actor_id in old.participants)
        if old_participants != sorted(new.participants):
            context.add("participants_changed", subject, old_participants, sorted(new.participants))
        if sorted(map(normalise, old.conditions)) != sorted(map(normalise, new.conditions)):
            context.add("conditions_changed", subject, list(old.conditions), list(new.conditions))
        _diff_evidence(context, subject, old.evidence, new.evidence)
    for action in pairing.removed:
        subject = f"{context.actor_label(context.translated(action.proposer))}: {action.action}"
        context.add("action_removed", subject, action.status, None)
    for action in pairing.added:
        context.add(
            "action_added",
            f"{context.actor_label(action.proposer)}: {action.action}",
            None,
            action.status,
            evidence_grounding(action.evidence),
        )


def _span(evidence: EvidenceView) -> str:
    return f"{evidence.start}..{evidence.end}" if evidence.located else "not found"


def _diff_evidence(
    context: _Context, subject: str, old: Sequence[EvidenceView], new: Sequence[EvidenceView]
) -> None:
    """Evidence pairs by its quote (normalised); offsets and match kind are compared per pair."""
    same_quote = lambda a, b: 100.0 if normalise(a.quote) == normalise(b.quote) else 0.0  # noqa: E731
    pairing = pair_by_score(old, new, same_quote, 100.0)
    for old_item, new_item in pairing.pairs:
        label = f"{subject}: {new_item.quote!r}"
        if (
            (old_item.start, old_item.end) != (new_item.start, new_item.end)
            and old_item.located
            and new_item.located
        ):
            grounding = evidence_grounding([new_item])
            context.add("evidence_moved", label, _span(old_item), _span(new_item), grounding)
        if old_item.match != new_item.match:
            context.add("evidence_match_changed", label, old_item.match, new_item.match,
                        evidence_grounding([new_item]))  # fmt: skip
    for item in pairing.removed:
        context.add("evidence_removed", subject, item.quote, None)
    for item in pairing.added:
        context.add("evidence_added", subject, None, item.quote, evidence_grounding([item]))


def evidence_grounding(evidence: Sequence[EvidenceView]) -> tuple[str, bool]:
    """`exact`, or `2 exact, 1 not_found`: how a claim's quotes match; and whether all hold."""
    counts = {kind: sum(1 for item in evidence if item.match == kind)
              for kind in ("exact", "fuzzy", "not_found")}  # fmt: skip
    present = [kind for kind, count in counts.items() if count]
    if not present:
        return "no evidence", False
    status = present[0] if len(present) == 1 else ", ".join(
        f"{counts[kind]} {kind}" for kind in present
    )  # fmt: skip
    return status, counts["not_found"] == 0


def actor_grounding(actor: ActorView) -> tuple[str, bool] | None:
    if actor.name_match is None:
        return None  # a v1 file: actors were not grounded
    return f"name {actor.name_match}", actor.name_match != "not_found"
