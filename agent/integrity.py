"""Referential integrity of a result: actor ids and names unique, and every reference names an
actor.

References are the contract's fields `actor`, `proposer` (one id) and `participants` (a list
of ids), wherever they appear outside the `actors` list, so user schemas built from the same
blocks are checked too. A result without an `actors` list has nothing to check.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

SINGLE_REFERENCES = frozenset({"actor", "proposer"})
LIST_REFERENCES = frozenset({"participants"})


@dataclass(frozen=True)
class DanglingReference:
    path: str  # e.g. "positions[2].actor"
    actor_id: str


def duplicate_actor_ids(result: dict[str, Any]) -> list[str]:
    counts = Counter(actor.get("id") for actor in _actors(result))
    return [str(actor_id) for actor_id, count in counts.items() if count > 1]


def duplicate_actor_names(result: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(name, ids) for each name that more than one actor id carries, compared with case,
    spacing, typography and diacritics folded (Hélène Marchand is Helene Marchand)."""
    from summarise_agent.grounding import normalise as fold_typography
    from summarise_agent.spelling import strip_diacritics

    def normalise(name: str) -> str:
        return fold_typography(strip_diacritics(name))

    ids_by_name: dict[str, list[str]] = {}
    for actor in _actors(result):
        name = actor.get("name")
        if isinstance(name, str) and normalise(name):
            ids = ids_by_name.setdefault(normalise(name), [])
            if str(actor.get("id")) not in ids:
                ids.append(str(actor.get("id")))
    names = {normalise(str(a.get("name"))): str(a.get("name")) for a in _actors(result)}
    return [(names[key], ids) for key, ids in ids_by_name.items() if len(ids) > 1]


def dangling_references(result: dict[str, Any]) -> list[DanglingReference]:
    if "actors" not in result:
        return []
    known = {actor.get("id") for actor in _actors(result)}
    return [ref for ref in _references(result, "") if ref.actor_id not in known]


def _actors(result: dict[str, Any]) -> list[dict[str, Any]]:
    actors = result.get("actors")
    return (
        [actor for actor in actors if isinstance(actor, dict)] if isinstance(actors, list) else []
    )


def _references(node: Any, path: str) -> list[DanglingReference]:
    found: list[DanglingReference] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += _references(item, f"{path}[{index}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else key
            if key == "actors" and not path:
                continue
            if key in SINGLE_REFERENCES and isinstance(value, str):
                found.append(DanglingReference(here, value))
            elif key in LIST_REFERENCES and isinstance(value, list):
                found += [DanglingReference(f"{here}[{i}]", v) for i, v in enumerate(value)]
            else:
                found += _references(value, here)
    return found
