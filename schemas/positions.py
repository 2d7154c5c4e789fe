"""`--schema positions`: each actor's stance on the topics of the article."""

from __future__ import annotations

from pydantic import Field

from schemas.blocks import (
    ACTORS_DESCRIPTION,
    SUMMARY_DESCRIPTION,
    Actor,
    Position,
    ResultModel,
)


class PositionsResult(ResultModel):
    schema_name = "positions"
    schema_version = 1
    prompt_name = "positions"

    summary: str = Field(min_length=1, description=SUMMARY_DESCRIPTION)
    actors: list[Actor] = Field(description=ACTORS_DESCRIPTION)
    positions: list[Position] = Field(description="Positions in order of first mention.")
