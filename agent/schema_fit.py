"""Fit a merged result into its schema's bounds.

Each chunk's answer is valid for the schema, but their union can be longer than the schema
allows (a schema may bound its lists and texts: maxItems, maxLength): more quotes for one
position than it may carry, more positions or actors, a longer summary. The merged result
must still validate, so, guided by the schema's own validation errors:
- a list of records keeps the ones with the most evidence (then the earliest), in order;
- actors keep the ones most referred to (then the earliest); records and participants that
  referred to an actor left out go with it, so no reference dangles;
- a text keeps its whole sentences that fit (else is cut at the bound).
What was left out is returned as notes for the log; a schema without bounds changes nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel, ValidationError

from summarise_agent.integrity import LIST_REFERENCES, SINGLE_REFERENCES

MAX_ROUNDS = 5  # each round fixes every error it sees; trimming can only shorten


def fit_to_schema(result: dict[str, Any], model: type[BaseModel]) -> list[str]:
    """Trim `result` in place until `model` accepts it (or no bound is left to apply)."""
    notes: list[str] = []
    for _ in range(MAX_ROUNDS):
        try:
            model.model_validate(result)
            return notes
        except ValidationError as error:
            bounds = [(item["loc"], int((item.get("ctx") or {})["max_length"]))
                      for item in error.errors(include_url=False)
                      if item["type"] in ("too_long", "string_too_long")]  # fmt: skip
        if not bounds:
            return notes  # invalid for another reason: the checks downstream report it
        for location, limit in sorted(bounds, key=lambda bound: -len(bound[0])):
            notes.append(_trim(result, location, limit))
    return notes


def _trim(result: dict[str, Any], location: tuple[Any, ...], limit: int) -> str:
    *parent_path, key = location
    parent: Any = result
    for part in parent_path:
        parent = parent[part]
    value = parent[key]
    where = ".".join(str(part) for part in location)
    if isinstance(value, str):
        parent[key] = _whole_sentences(value, limit)
        return f"{where}: cut to {limit} characters, the schema's bound"
    if location == ("actors",):
        dropped = _keep_most_referred_actors(result, limit)
        return f"actors: kept {limit} of {limit + dropped}, the schema's bound (most referred to)"
    parent[key] = _keep_most_evidenced(value, limit)
    return f"{where}: kept {limit} of {len(value)}, the schema's bound (most evidence first)"


def _whole_sentences(text: str, limit: int) -> str:
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[: end + 1] if end > 0 else cut.rstrip()


def _keep_most_evidenced(items: list[Any], limit: int) -> list[Any]:
    def weight(index: int) -> tuple[int, int]:
        item = items[index]
        evidence = item.get("evidence") if isinstance(item, dict) else None
        return (-len(evidence) if isinstance(evidence, list) else 0, index)

    kept = sorted(sorted(range(len(items)), key=weight)[:limit])
    return [items[index] for index in kept]


def _keep_most_referred_actors(result: dict[str, Any], limit: int) -> int:
    actors = result["actors"]
    mentions: Counter[str] = Counter()
    for key, value in result.items():
        if key != "actors" and isinstance(value, list):
            for item in value:
                mentions.update(_references(item))
    order = sorted(range(len(actors)), key=lambda i: (-mentions[actors[i].get("id")], i))
    dropped = {actors[i].get("id") for i in order[limit:]}
    result["actors"] = [actor for actor in actors if actor.get("id") not in dropped]
    for key, value in list(result.items()):
        if key != "actors" and isinstance(value, list):
            result[key] = [_without_dropped(item, dropped) for item in value
                           if not set(_single_references(item)) & dropped]  # fmt: skip
    return len(actors) - len(result["actors"])


def _single_references(item: Any) -> list[str]:
    if not isinstance(item, dict):
        return []
    return [item[key] for key in SINGLE_REFERENCES if isinstance(item.get(key), str)]


def _references(item: Any) -> list[str]:
    found = _single_references(item)
    if isinstance(item, dict):
        for key in LIST_REFERENCES:
            if isinstance(item.get(key), list):
                found += [value for value in item[key] if isinstance(value, str)]
    return found


def _without_dropped(item: Any, dropped: set[Any]) -> Any:
    if not isinstance(item, dict):
        return item
    trimmed = dict(item)
    for key in LIST_REFERENCES:
        if isinstance(item.get(key), list):
            trimmed[key] = [value for value in item[key] if value not in dropped]
    return trimmed
