"""A typed, read-only view of one output record, for `diff` and `show`.

The view is lenient: it needs the contract's overall shape (an object with a `result` object
whose lists hold objects) and fills anything else that is missing with empty values, because
people diff and look at files that `validate` would reject. Wrong shapes are InputErrors (exit 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise_agent.errors import InputError
from summarise_agent.review.files import load_output_json

# result keys the view understands; any other key is shown as-is ("other fields")
KNOWN_RESULT_KEYS = ("summary", "actors", "positions", "proposed_actions")


@dataclass(frozen=True)
class EvidenceView:
    quote: str
    start: int | None
    end: int | None
    match: str
    differs: str | None = None  # v2: what differs from the article (null when exact)

    @property
    def verified(self) -> bool:
        return self.match in ("exact", "fuzzy")

    @property
    def located(self) -> bool:
        """Whether the offsets can be used to place the quote in the article."""
        return self.start is not None and self.end is not None and self.match != "not_found"


@dataclass(frozen=True)
class ActorView:
    id: str
    name: str
    kind: str
    role: str | None
    affiliation: str | None
    name_match: str | None = None  # v2: full, part or not_found; None in v1 files


@dataclass(frozen=True)
class PositionView:
    actor: str
    topic: str
    stance: str
    summary: str
    evidence: tuple[EvidenceView, ...]


@dataclass(frozen=True)
class ActionView:
    proposer: str
    action: str
    participants: tuple[str, ...]
    status: str
    conditions: tuple[str, ...]
    evidence: tuple[EvidenceView, ...]


@dataclass(frozen=True)
class BlockView:
    """The `schema` or `prompt` block: which schema or prompt version made the record."""

    name: str
    version: int | None
    sha256: str


@dataclass(frozen=True)
class SourceView:
    name: str
    sha256: str
    characters: int | None
    path: str | None = None  # v2 provenance; None in v1 files and when unknown
    title: str | None = None
    url: str | None = None
    published: str | None = None

    def provenance_facts(self) -> list[str]:
        """The title, date, URL and path a v2 record carries, for a page's header line."""
        facts = [self.title, f"published {self.published}" if self.published else None,
                 self.url, f"article {self.path}" if self.path else None]  # fmt: skip
        return [fact for fact in facts if fact]


@dataclass(frozen=True)
class RecordView:
    path: Path
    schema: BlockView
    prompt: BlockView
    model: str
    source: SourceView
    summary: str | None
    actors: tuple[ActorView, ...]
    positions: tuple[PositionView, ...]
    actions: tuple[ActionView, ...]
    other_fields: dict[str, Any]  # result keys of a user's own schema, kept as parsed
    checks: dict[str, Any]

    def actor_names(self) -> dict[str, str]:
        return {actor.id: actor.name for actor in self.actors}

    def all_evidence(self) -> list[EvidenceView]:
        claims: list[PositionView | ActionView] = [*self.positions, *self.actions]
        return [item for claim in claims for item in claim.evidence]


def load_record(path: Path) -> RecordView:
    return record_from_json(load_output_json(path), path)


def record_from_json(data: Any, path: Path) -> RecordView:
    if not isinstance(data, dict) or not isinstance(data.get("result"), dict):
        raise InputError(
            f"{path}: not a summarise output (no `result` object); check it with summarise validate"
        )
    result: dict[str, Any] = data["result"]
    summary = result.get("summary")
    return RecordView(
        path=path,
        schema=_block(data.get("schema")),
        prompt=_block(data.get("prompt")),
        model=_text(data.get("model")),
        source=_source(data.get("source")),
        summary=summary if isinstance(summary, str) else None,
        actors=tuple(_actor(item) for item in _objects(result, "actors", path)),
        positions=tuple(_position(item, path) for item in _objects(result, "positions", path)),
        actions=tuple(_action(item, path) for item in _objects(result, "proposed_actions", path)),
        other_fields={k: v for k, v in result.items() if k not in KNOWN_RESULT_KEYS},
        checks=data["checks"] if isinstance(data.get("checks"), dict) else {},
    )


def _objects(container: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    value = container.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InputError(
            f"{path}: `{key}` must be a list of objects; check it with summarise validate"
        )
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _integer(value: Any) -> int | None:
    # bool is an int in Python, never an offset or a version
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def _block(value: Any) -> BlockView:
    block = value if isinstance(value, dict) else {}
    return BlockView(
        _text(block.get("name")), _integer(block.get("version")), _text(block.get("sha256"))
    )


def _source(value: Any) -> SourceView:
    block = value if isinstance(value, dict) else {}
    return SourceView(
        _text(block.get("name")), _text(block.get("sha256")), _integer(block.get("characters")),
        *(_optional_text(block.get(key)) for key in ("path", "title", "url", "published")),
    )  # fmt: skip


def _actor(item: dict[str, Any]) -> ActorView:
    return ActorView(
        id=_text(item.get("id")),
        name=_text(item.get("name")),
        kind=_text(item.get("kind")),
        role=_optional_text(item.get("role")),
        affiliation=_optional_text(item.get("affiliation")),
        name_match=_optional_text(item.get("name_match")),
    )


def _evidence(item: dict[str, Any], path: Path) -> tuple[EvidenceView, ...]:
    return tuple(
        EvidenceView(
            quote=_text(entry.get("quote")),
            start=_integer(entry.get("start")),
            end=_integer(entry.get("end")),
            match=_text(entry.get("match")) or "not_found",
            differs=_optional_text(entry.get("differs")),
        )
        for entry in _objects(item, "evidence", path)
    )


def _position(item: dict[str, Any], path: Path) -> PositionView:
    return PositionView(
        actor=_text(item.get("actor")),
        topic=_text(item.get("topic")),
        stance=_text(item.get("stance")),
        summary=_text(item.get("summary")),
        evidence=_evidence(item, path),
    )


def _action(item: dict[str, Any], path: Path) -> ActionView:
    return ActionView(
        proposer=_text(item.get("proposer")),
        action=_text(item.get("action")),
        participants=_texts(item.get("participants")),
        status=_text(item.get("status")),
        conditions=_texts(item.get("conditions")),
        evidence=_evidence(item, path),
    )
