"""`--schema positions`: each actor's stance on the topics of the article."""

from __future__ import annotations

from pydantic import Field

from summarise_schemas.blocks import (
    ACTORS_DESCRIPTION,
    MAX_ACTORS,
    MAX_POSITIONS,
    MAX_SUMMARY_CHARS,
    SUMMARY_DESCRIPTION,
    Actor,
    Position,
    ResultModel,
)


class PositionsResult(ResultModel):
    schema_name = "positions"
    schema_version = 1
    prompt_name = "positions"

    summary: str = Field(
        min_length=1, max_length=MAX_SUMMARY_CHARS, description=SUMMARY_DESCRIPTION
    )
    actors: list[Actor] = Field(max_length=MAX_ACTORS, description=ACTORS_DESCRIPTION)
    positions: list[Position] = Field(
        max_length=MAX_POSITIONS, description="Positions in order of first mention."
    )
