"""Merge the answers of an article's chunks into one result, as one request would have given.

- `actors`: unified across chunks (agent/actor_merge.py), in order of first mention (the chunk,
  then the chunk's own order), with new stable ids; every reference (`actor`, `proposer`,
  `participants`) is remapped to them.
- other lists of records (`positions`, `proposed_actions`, a user schema's lists): one record
  per actor and topic. Two records are duplicates when they name the same actor (`actor` or
  `proposer`) and share a quote, or when their labels (`topic`, `action`, ...) match and their
  `stance`/`status` are equal. Labels match when every word of the shorter is in the other
  (stop words aside, inflections allowed: the evaluation's phrase_similarity at 100, so
  "fishing quotas" is "quotas for fishing" but "nuclear power" is not "nuclear weapons"). The
  first keeps its fields and gains the other's evidence, participants and conditions (each
  once). `order_by_evidence` then sorts them by their first quote's offset in the article.
- lists of strings: each distinct string once; strings (`summary`): the chunks' distinct
  texts joined in article order; other values: the first chunk's that is not null.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarise_agent.actor_merge import Mention, group_mentions, merged_actor, name_forms, slug, unique_id
from summarise_agent.eval.match import phrase_similarity
from summarise_agent.grounding import normalise
from summarise_agent.integrity import LIST_REFERENCES, SINGLE_REFERENCES

LABEL_FIELDS = ("topic", "action", "name", "title", "label")
MATCHING_FIELDS = ("stance", "status")  # must be equal for a label match to merge
LABEL_SIMILARITY = 100.0  # phrase_similarity: all the shorter label's words in the other
UNION_FIELDS = ("evidence", "participants", "conditions")


@dataclass(frozen=True)
class MergedResult:
    result: dict[str, Any]


def merge_results(answers: list[dict[str, Any]]) -> MergedResult:
    """One result from the chunks' answers, given in chunk order."""
    id_maps, actors = _merge_actors(answers)
    merged: dict[str, Any] = {}
    for key in answers[0]:
        values = [answer.get(key) for answer in answers]
        if key == "actors":
            merged[key] = actors
        elif all(isinstance(value, list) for value in values):
            merged[key] = _merge_lists(values, id_maps)
        elif all(isinstance(value, str) for value in values):
            merged[key] = " ".join(_distinct([str(value) for value in values]))
        else:
            merged[key] = next((value for value in values if value is not None), None)
    return MergedResult(merged)


def _merge_actors(
    answers: list[dict[str, Any]],
) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Per chunk, old id -> new id; and the unified actors."""
    mentions = [
        Mention(chunk, position, actor, name_forms(actor))
        for chunk, answer in enumerate(answers)
        for position, actor in enumerate(answer.get("actors") or [])
        if isinstance(actor, dict)
    ]
    id_maps: list[dict[str, str]] = [{} for _ in answers]
    actors: list[dict[str, Any]] = []
    taken: set[str] = set()
    for group in group_mentions(mentions):
        actor = merged_actor([mentions[index] for index in group])
        new_id = unique_id(slug(str(actor.get("name") or "")) or str(actor["id"]), taken)
        actors.append({**actor, "id": new_id})
        for index in group:
            id_maps[mentions[index].chunk].setdefault(str(mentions[index].actor["id"]), new_id)
    return id_maps, actors


class _Kept:
    """A merged record, with the normalised forms it is compared by (computed once: a long
    article's hundreds of records would otherwise normalise the same quotes again and again)."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.seen = {key: {_identity(value) for value in record.get(key) or []}
                     for key in UNION_FIELDS if isinstance(record.get(key), list)}  # fmt: skip
        self.label = _label(record)

    def same_as(self, other: _Kept) -> bool:
        kept, new = self.record, other.record
        if self.seen.get("evidence", set()) & other.seen.get("evidence", set()):
            return True
        if any(kept.get(key) != new.get(key) for key in MATCHING_FIELDS):
            return False
        if self.label is None or other.label is None:
            return kept == new
        return phrase_similarity(self.label, other.label) >= LABEL_SIMILARITY

    def absorb(self, other: _Kept) -> None:
        """The other record's evidence, participants and conditions that this one lacks."""
        for key, seen in self.seen.items():
            if not isinstance(other.record.get(key), list):
                continue
            for value in other.record[key]:
                if _identity(value) not in seen:
                    self.record[key].append(value)
                    seen.add(_identity(value))


def _merge_lists(
    values: list[Any], id_maps: list[dict[str, str]]
) -> list[Any]:
    merged: list[Any] = []
    seen_strings: set[str] = set()
    by_actor: dict[tuple[Any, ...], list[_Kept]] = {}  # compare within one actor only
    for chunk, items in enumerate(values):
        for item in items:
            if not isinstance(item, dict):
                if _identity(item) not in seen_strings:
                    seen_strings.add(_identity(item))
                    merged.append(item)
                continue
            new = _Kept(_remap(item, id_maps[chunk]))
            same_actor = by_actor.setdefault(_actor_of(new.record), [])
            duplicate = next((kept for kept in same_actor if kept.same_as(new)), None)
            if duplicate is None:
                merged.append(new.record)
                same_actor.append(new)
            else:
                duplicate.absorb(new)
    return merged


def _actor_of(record: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(record.get(key) for key in sorted(SINGLE_REFERENCES))


def _label(record: dict[str, Any]) -> str | None:
    label = next((key for key in LABEL_FIELDS if isinstance(record.get(key), str)), None)
    return str(record[label]) if label else None


def _raw_quotes(record: dict[str, Any]) -> list[str]:
    return [
        evidence["quote"]
        for evidence in record.get("evidence") or []
        if isinstance(evidence, dict) and isinstance(evidence.get("quote"), str)
    ]


def _remap(item: dict[str, Any], id_map: dict[str, str]) -> dict[str, Any]:
    """A copy with actor references renamed (an id the chunk did not define is kept)."""
    copy = dict(item)
    for key, value in item.items():
        if key in SINGLE_REFERENCES and isinstance(value, str):
            copy[key] = id_map.get(value, value)
        elif key in LIST_REFERENCES and isinstance(value, list):
            copy[key] = [id_map.get(v, v) if isinstance(v, str) else v for v in value]
        elif isinstance(value, list):
            copy[key] = list(value)
    return copy


def _identity(value: Any) -> str:
    if isinstance(value, dict) and isinstance(value.get("quote"), str):
        return normalise(value["quote"])
    return normalise(str(value))


def _distinct(values: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for value in values:
        if value.strip() and normalise(value) not in seen:
            seen.add(normalise(value))
            kept.append(value.strip())
    return kept


def order_by_evidence(result: dict[str, Any]) -> dict[str, Any]:
    """Lists of records with evidence sorted by their first quote's offset in the article
    (grounded: `start` set); records with no quote found keep their place at the end."""
    ordered = dict(result)
    for key, value in result.items():
        if key != "actors" and isinstance(value, list):
            ordered[key] = sorted(value, key=_first_offset)  # stable: ties keep chunk order
    return ordered


def _first_offset(record: Any) -> float:
    if not isinstance(record, dict):
        return float("inf")
    starts = [
        evidence["start"]
        for evidence in record.get("evidence") or []
        if isinstance(evidence, dict) and isinstance(evidence.get("start"), int)
    ]
    return min(starts, default=float("inf"))
