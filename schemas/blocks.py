"""Building blocks of the v1 output contract (../shared/design/output-contract.md).

Field names and meanings are the public interface: a change is a new schema version.
Every field is required and nullable where the contract allows null, because OpenAI's strict
structured outputs accept no optional fields. Constraints the strict mode cannot express
(patterns, minimum lengths) are still enforced here, by Pydantic, and re-asked on failure.

Every list and free-text field is bounded (maxItems, maxLength): grammar engines (llama.cpp,
vLLM, Ollama) enforce the bounds while sampling, so a small model cannot loop in a list until
its context is full; the bounds are far above what a news article needs.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

ActorKind = Literal["person", "country", "organisation", "group", "other"]
Stance = Literal["supports", "opposes", "conditional", "neutral", "unclear"]
ActionStatus = Literal["announced", "proposed", "under_consideration", "conditional", "rejected"]

MAX_ACTORS = 30
MAX_POSITIONS = 40
MAX_ACTIONS = 30
MAX_EVIDENCE = 3  # quotes per position or action
MAX_QUOTE_CHARS = 400  # one sentence or less
MAX_NAME_CHARS = 120  # names, roles, topics, short phrases
MAX_SENTENCE_CHARS = 400
MAX_SUMMARY_CHARS = 1_200
MAX_LIST_ITEMS = 10  # participants, conditions

ShortText = Annotated[str, Field(max_length=MAX_NAME_CHARS)]
ActorId = Annotated[
    str,
    Field(
        max_length=60,
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        description="Short slug: lower-case words joined by '-', e.g. 'emmanuel-macron'.",
    ),
]


class ContractModel(BaseModel):
    """Unknown keys are errors: the model must answer exactly the schema."""

    model_config = ConfigDict(extra="forbid")


class Evidence(ContractModel):
    quote: str = Field(
        min_length=1,
        max_length=MAX_QUOTE_CHARS,
        description="An excerpt copied verbatim from the article, one sentence or less.",
    )


class Actor(ContractModel):
    id: ActorId
    name: str = Field(
        min_length=1, max_length=MAX_NAME_CHARS, description="The fullest name the article gives."
    )
    kind: ActorKind
    role: ShortText | None = Field(description="Title or function in this article, or null.")
    affiliation: ShortText | None = Field(
        description="The country or organisation the actor acts for, or null."
    )


class Position(ContractModel):
    actor: ActorId = Field(description="The id of an actor in `actors`.")
    topic: str = Field(min_length=1, max_length=MAX_NAME_CHARS, description="A short noun phrase.")
    stance: Stance
    summary: str = Field(
        min_length=1,
        max_length=MAX_SENTENCE_CHARS,
        description="One neutral sentence stating the position.",
    )
    evidence: list[Evidence] = Field(min_length=1, max_length=MAX_EVIDENCE)


class ProposedAction(ContractModel):
    proposer: ActorId = Field(description="The id of an actor in `actors`.")
    action: str = Field(
        min_length=1,
        max_length=MAX_SENTENCE_CHARS,
        description="What would be done, as a short phrase.",
    )
    participants: list[ActorId] = Field(
        max_length=MAX_LIST_ITEMS,
        description="Ids of actors who would take part or be directly affected (may be empty).",
    )
    status: ActionStatus
    conditions: list[ShortText] = Field(
        max_length=MAX_LIST_ITEMS,
        description="Short phrases naming conditions or limits stated in the article.",
    )
    evidence: list[Evidence] = Field(min_length=1, max_length=MAX_EVIDENCE)


class ResultModel(ContractModel):
    """Base of every schema `--schema` can select, built-in or a user's own.

    `schema_name` and `schema_version` go into the output's `schema` block; `prompt_name`
    names the prompt family under prompts/ (user schemas default to the generic prompt).
    """

    schema_name: ClassVar[str]
    schema_version: ClassVar[int] = 1
    prompt_name: ClassVar[str] = "generic"


SUMMARY_DESCRIPTION = "Two to four neutral sentences on the whole article."
ACTORS_DESCRIPTION = "Every actor, in order of first mention in the article."
