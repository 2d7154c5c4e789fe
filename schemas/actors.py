"""`--schema actors`: who acts in the article."""

from __future__ import annotations

from pydantic import Field

from schemas.blocks import ACTORS_DESCRIPTION, Actor, ResultModel


class ActorsResult(ResultModel):
    schema_name = "actors"
    schema_version = 1
    prompt_name = "actors"

    actors: list[Actor] = Field(description=ACTORS_DESCRIPTION)
