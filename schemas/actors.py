"""`--schema actors`: who acts in the article."""

from __future__ import annotations

from pydantic import Field

from summarise_schemas.blocks import ACTORS_DESCRIPTION, MAX_ACTORS, Actor, ResultModel


class ActorsResult(ResultModel):
    schema_name = "actors"
    schema_version = 1
    prompt_name = "actors"

    actors: list[Actor] = Field(max_length=MAX_ACTORS, description=ACTORS_DESCRIPTION)
