"""`--schema actions`: what the actors propose, announce, consider or reject doing."""

from __future__ import annotations

from pydantic import Field

from summarise_schemas.blocks import (
    ACTORS_DESCRIPTION,
    MAX_ACTIONS,
    MAX_ACTORS,
    MAX_SUMMARY_CHARS,
    SUMMARY_DESCRIPTION,
    Actor,
    ProposedAction,
    ResultModel,
)


class ActionsResult(ResultModel):
    schema_name = "actions"
    schema_version = 1
    prompt_name = "actions"

    summary: str = Field(
        min_length=1, max_length=MAX_SUMMARY_CHARS, description=SUMMARY_DESCRIPTION
    )
    actors: list[Actor] = Field(max_length=MAX_ACTORS, description=ACTORS_DESCRIPTION)
    proposed_actions: list[ProposedAction] = Field(
        max_length=MAX_ACTIONS, description="Proposed actions in order of first mention."
    )
