"""The output record of one article, exactly as the output contract lays it out (docs/output.md).

Key order here is the file's key order. Everything is a function of the cleaned text, schema,
prompt, model, settings, the input's provenance and the model's answer: nothing volatile.
Provenance (`source.path/title/url/published`) comes from the input (HTML metadata, a
manifest's fields, command-line flags), never from the model, so a warm re-run writes the same
bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:  # types only: load and validate import this module, and need none of these
    from summarise_agent.grounding_report import GroundingReport
    from summarise_agent.prompts import PromptVersion
    from summarise_agent.schema_registry import SchemaSpec

FORMAT_VERSION = 2
# result lists that follow the article's order (docs/output.md), and how each is placed
_ORDERED_BY_EVIDENCE = ("positions", "proposed_actions")
_UNPLACED = float("inf")  # items with no located evidence or mention go last, in model order


@dataclass(frozen=True)
class Provenance:
    """Where an article came from, as far as its input says; None when unknown."""

    path: str | None = None  # relative to the run's working directory (posix separators)
    title: str | None = None
    url: str | None = None  # canonical
    published: str | None = None  # ISO 8601 date or date-time, as given

    def overridden_by(self, other: Provenance) -> Provenance:
        """This provenance with every field OTHER gives replacing ours (flags beat metadata)."""
        return Provenance(
            path=other.path or self.path, title=other.title or self.title,
            url=other.url or self.url, published=other.published or self.published,
        )  # fmt: skip


def is_iso_date(value: str) -> bool:
    """An ISO 8601 date (2024-03-05) or date-time (2024-03-05T10:00:00Z, with an offset)."""
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def text_sha256(text: str) -> str:
    """The hash that names a cleaned text, in outputs and in cache keys alike."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_record(
    *,
    schema: SchemaSpec,
    prompt: PromptVersion,
    model: str,
    settings: dict[str, Any],
    source_name: str,
    provenance: Provenance,
    text: str,
    grounding: GroundingReport,
    dangling_actor_ids: int,
    chunking: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "schema": {"name": schema.name, "version": schema.version, "sha256": schema.sha256},
        "prompt": {"name": prompt.name, "version": prompt.version, "sha256": prompt.sha256},
        "model": model,
        # how the answer was asked for; chunking: how a long article was split (null: whole)
        "settings": {**settings, "chunking": chunking},
        "source": {
            "name": source_name,
            "sha256": text_sha256(text),
            "characters": len(text),
            "path": provenance.path,
            "title": provenance.title,
            "url": provenance.url,
            "published": provenance.published,
        },
        "result": in_article_order(grounding.result, text),
        "checks": {
            "quotes": grounding.quotes,
            "exact": grounding.exact,
            "fuzzy": grounding.fuzzy,
            "not_found": len(grounding.not_found),
            "dangling_actor_ids": dangling_actor_ids,
            "actors": grounding.actors,
            "actors_not_found": grounding.actors_not_found,
        },
    }


def in_article_order(result: dict[str, Any], text: str) -> dict[str, Any]:
    """The result with its lists in the article's order: positions and proposed actions by
    their first located quote, actors by their first mention (name in the text, else their
    first claim). Ties and unplaced items keep the model's order (a stable sort), so the
    order is a function of the answer and the text alone."""
    ordered = dict(result)
    for key in _ORDERED_BY_EVIDENCE:
        items = result.get(key)
        if _is_object_list(items):
            ordered[key] = sorted(items, key=_first_evidence_offset)
    actors = result.get("actors")
    if _is_object_list(actors):
        claims = [item for key in _ORDERED_BY_EVIDENCE for item in ordered.get(key) or []
                  if isinstance(item, dict)]  # fmt: skip
        folded = text.casefold()  # offsets only compared with each other: folding is fine
        ordered["actors"] = sorted(actors, key=lambda actor: _first_mention(actor, claims, folded))
    return ordered


def _is_object_list(value: Any) -> TypeGuard[list[dict[str, Any]]]:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _first_evidence_offset(item: dict[str, Any]) -> float:
    evidence = item.get("evidence")
    starts = [
        entry["start"] for entry in evidence if isinstance(entry, dict)
        and isinstance(entry.get("start"), int) and entry.get("match") != "not_found"
    ] if isinstance(evidence, list) else []  # fmt: skip
    return min(starts, default=_UNPLACED)


def _first_mention(actor: dict[str, Any], claims: list[dict[str, Any]], folded: str) -> float:
    name = actor.get("name")
    named_at = folded.find(name.casefold()) if isinstance(name, str) and name else -1
    actor_id = actor.get("id")
    claimed_at = min(
        (_first_evidence_offset(claim) for claim in claims
         if actor_id is not None and actor_id in _actor_ids(claim)),
        default=_UNPLACED,
    )  # fmt: skip
    return min(float(named_at) if named_at >= 0 else _UNPLACED, claimed_at)


def _actor_ids(claim: dict[str, Any]) -> list[Any]:
    participants = claim.get("participants")
    return [claim.get("actor"), claim.get("proposer"),
            *(participants if isinstance(participants, list) else [])]  # fmt: skip
