"""`--schema actions`: what the actors propose, announce, consider or reject doing."""

from __future__ import annotations

from pydantic import Field

from schemas.blocks import (
    ACTORS_DESCRIPTION,
    SUMMARY_DESCRIPTION,
    Actor,
    ProposedAction,
    ResultModel,
)


class ActionsResult(ResultModel):
    schema_name = "actions"
    schema_version = 1
    prompt_name = "actions"

    summary: str = Field(min_length=1, description=SUMMARY_DESCRIPTION)
    actors: list[Actor] = Field(description=ACTORS_DESCRIPTION)
    proposed_actions: list[ProposedAction] = Field(
        description="Proposed actions in order of first mention."
    )
