"""fit_to_schema: a merged result longer than its schema allows is trimmed until it validates."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from summarise_agent.integrity import dangling_references
from summarise_agent.schema_fit import fit_to_schema
from summarise_schemas.blocks import Actor, Evidence, ResultModel
from summarise_schemas.positions import PositionsResult


class Bounded(ResultModel):
    schema_name = "bounded"
    summary: str = Field(max_length=40)
    actors: list[Actor] = Field(max_length=2)
    positions: list[dict[str, Any]] = Field(max_length=3)


class BoundedPosition(ResultModel):
    schema_name = "bounded-evidence"
    evidence: list[Evidence] = Field(max_length=2)


class ResultWithEvidence(ResultModel):
    schema_name = "unbounded-evidence"
    evidence: list[Evidence]


def actor(actor_id: str) -> dict[str, Any]:
    return {
        "id": actor_id,
        "name": actor_id.title(),
        "kind": "person",
        "role": None,
        "affiliation": None,
    }


def position(actor_id: str, quotes: int, participants: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"actor": actor_id, "participants": list(participants),
            "evidence": [{"quote": f"{actor_id} {n}"} for n in range(quotes)]}  # fmt: skip


def test_over_long_lists_and_texts_are_trimmed_until_valid() -> None:
    result = {
        "summary": "First part. Second part is here. Third part is much longer than that.",
        "actors": [actor("a"), actor("b"), actor("c")],
        "positions": [position("c", 1), position("a", 1, ("c", "b")), position("b", 2),
                      position("a", 3), position("b", 1)],
    }  # fmt: skip
    notes = fit_to_schema(result, Bounded)
    Bounded.model_validate(result)
    assert result["summary"] == "First part. Second part is here."
    assert [a["id"] for a in result["actors"]] == ["a", "b"]  # c is referred to least
    assert result["positions"] == [position("a", 1, ("b",)), position("b", 2), position("a", 3)]
    assert not dangling_references(result)
    assert len(notes) == 3 and any("actors: kept 2 of 3" in note for note in notes)


def test_evidence_keeps_the_first_quotes_and_an_unbounded_schema_changes_nothing() -> None:
    result = {"evidence": [{"quote": f"q{n}"} for n in range(5)]}
    fit_to_schema(result, BoundedPosition)
    assert result == {"evidence": [{"quote": "q0"}, {"quote": "q1"}]}
    unbounded = {"evidence": [{"quote": f"q{n}"} for n in range(5)]}
    assert fit_to_schema(unbounded, ResultWithEvidence) == [] and len(unbounded["evidence"]) == 5


def test_a_built_in_schema_result_validates_after_fitting() -> None:
    long = {"summary": "A sentence. " * 500, "actors": [actor(f"p{n}") for n in range(80)],
            "positions": [{"actor": f"p{n}", "topic": "t", "stance": "supports", "summary": "s",
                           "evidence": [{"quote": f"q{n} {k}"} for k in range(8)]}
                          for n in range(80)]}  # fmt: skip
    fit_to_schema(long, PositionsResult)
    PositionsResult.model_validate(long)  # whatever bounds the built-in schema has
