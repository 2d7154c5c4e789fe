"""Validate and repair: ask, check the answer, re-ask with its problems, within bounds.

An answer is checked in three steps: Pydantic validation against the schema (hard: an invalid
answer is never accepted), referential integrity (duplicate actor ids are hard; two actors
with one name are re-asked, then merged into one (the chunk merger's repair: they are one
actor, and a paid answer is not thrown away for it); dangling ids are re-asked, then kept and
counted), and grounding (quotes and actor names not
found get one re-ask naming what differs, then are kept and marked not_found). Transport
failures are retried elsewhere (model/retry.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import ValidationError

from summarise_agent.errors import InvalidAnswer
from summarise_agent.grounding_report import Unverified, ground_result
from summarise_agent.integrity import (
    DanglingReference,
    dangling_references,
    duplicate_actor_ids,
    duplicate_actor_names,
)
from summarise_agent.model.answer import Answer, CutOffAnswer
from summarise_agent.reask import feedback_text
from summarise_agent.schema_registry import SchemaSpec

log = logging.getLogger(__name__)
MAX_ID_CHARS = 50  # a made id, before unique_id's "-2": within the contract's 60


class AnswerModel(Protocol):
    """What extraction needs of the model layer (summarise_agent.model.client.ModelClient)."""

    async def ask(self, messages: list[dict[str, Any]], schema: SchemaSpec) -> Answer: ...

    async def reask(
        self, messages: list[dict[str, Any]], schema: SchemaSpec, previous: Answer, feedback: str
    ) -> Answer: ...


@dataclass
class ExtractionStats:
    """What one article's extraction cost: for run reports, never for the output file."""

    model_calls: int = 0  # answers received (1 + re-asks)
    http_attempts: int = 0  # HTTP requests, transport retries included
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    dialect: str = ""  # the dialect of the last answer (agent/model/dialects.py)

    def add(self, answer: Answer) -> None:
        self.model_calls += 1
        self.http_attempts += answer.http_attempts
        self.prompt_tokens += answer.usage.prompt_tokens
        self.completion_tokens += answer.usage.completion_tokens
        self.cached_tokens += answer.usage.cached_tokens
        self.dialect = answer.dialect


@dataclass(frozen=True)
class AnswerCheck:
    result: dict[str, Any] | None  # the validated answer, None when it failed validation
    errors: list[str]  # hard problems: never accepted
    dangling: list[DanglingReference] = field(default_factory=list)
    same_names: list[str] = field(default_factory=list)  # re-asked, then repaired by merging
    unverified: list[Unverified] = field(default_factory=list)  # quotes and actor names


def check_answer(text: str, schema: SchemaSpec, article: str) -> AnswerCheck:
    try:
        validated = validate_text(text, schema)
    except ValidationError as error:
        return AnswerCheck(None, describe_validation_error(error))
    result = repair_duplicates(validated.model_dump(mode="json"), schema)
    errors = [
        f"actor id {actor_id!r} is used by more than one actor: ids must be unique"
        for actor_id in duplicate_actor_ids(result)
    ]
    same_names = [
        f"actors {', '.join(map(repr, ids))} have the same name {name!r}: one actor, one id"
        for name, ids in duplicate_actor_names(result)
    ]
    grounding = ground_result(result, article)
    unverified = [item for item in grounding.unverified if item.match == "not_found"]
    return AnswerCheck(result, errors, dangling_references(result), same_names, unverified)


def validate_text(text: str, schema: SchemaSpec) -> Any:
    """The validated answer. A raw control character inside a string (a newline, measured from
    SmolLM2 under llama.cpp's grammar, which should not let one through) is read as that
    character, as json's non-strict mode does: the text says the same, only unescaped."""
    try:
        return schema.model.model_validate_json(text)
    except ValidationError as error:
        if not any("control character" in item["msg"] for item in error.errors()):
            raise
        try:
            value = json.loads(text, strict=False)
        except ValueError:
            raise error from None
        return schema.model.model_validate(value)


def repair_duplicates(result: dict[str, Any], schema: SchemaSpec) -> dict[str, Any]:
    """The answer without exact duplicate list items (the first kept: a copy says nothing
    more), and with an id of its own (made from its name) for each later actor that shares an
    id with an earlier one: references keep pointing at the first. Done before any re-ask:
    small models repeat items and ids through their re-asks (measured), and neither repair
    changes what the answer says. Said in a warning; skipped if the schema rejects the result."""
    deduplicated, dropped = _without_exact_duplicates(result)
    repaired: dict[str, Any] = deduplicated
    renamed = _give_shared_ids_their_own(repaired)
    if not dropped and not renamed:
        return result
    try:
        schema.model.model_validate(repaired)
    except ValidationError:
        return result
    log.warning("repaired the answer: %d exact duplicate item(s) dropped, %d actor(s) sharing "
                "an earlier actor's id given their own (%s)", dropped, len(renamed),
                ", ".join(renamed) or "none")  # fmt: skip
    return repaired


def _without_exact_duplicates(node: Any) -> tuple[Any, int]:
    if isinstance(node, dict):
        pairs = {key: _without_exact_duplicates(value) for key, value in node.items()}
        return {key: kept for key, (kept, _) in pairs.items()}, sum(n for _, n in pairs.values())
    if not isinstance(node, list):
        return node, 0
    seen: set[str] = set()
    kept, dropped = [], 0
    for item in node:
        identity = json.dumps(item, sort_keys=True)
        if identity in seen:
            dropped += 1
            continue
        seen.add(identity)
        inner, inner_dropped = _without_exact_duplicates(item)
        kept.append(inner)
        dropped += inner_dropped
    return kept, dropped


def _give_shared_ids_their_own(result: dict[str, Any]) -> list[str]:
    from summarise_agent.actor_merge import slug, unique_id

    actors = result.get("actors")
    if not isinstance(actors, list):
        return []
    taken = {str(actor.get("id")) for actor in actors if isinstance(actor, dict)}
    seen: set[str] = set()
    renamed = []
    for actor in actors:
        if not isinstance(actor, dict) or actor.get("id") not in seen:
            seen.add(str(actor.get("id")) if isinstance(actor, dict) else "")
            continue
        wanted = slug(str(actor.get("name") or ""))[:MAX_ID_CHARS].strip("-") or "actor"
        actor["id"] = unique_id(wanted, taken)
        renamed.append(f"{actor['name']!r} is now {actor['id']!r}")
    return renamed


def merge_same_named_actors(check: AnswerCheck, schema: SchemaSpec) -> dict[str, Any]:
    """The accepted result, with actors that still share a name after the re-asks merged into
    one (references remapped, duplicate claims joined), as chunk answers are merged."""
    assert check.result is not None
    if not check.same_names:
        return check.result
    from summarise_agent.merge import (
        merge_results,  # only small models get here: keep imports light
    )

    log.warning("%d actor name(s) given to more than one actor after the re-asks: merged",
                len(check.same_names))  # fmt: skip
    merged = merge_results([check.result]).result
    try:
        return schema.model.model_validate(merged).model_dump(mode="json")
    except ValidationError as error:
        raise InvalidAnswer(
            "the model's answer is still invalid after its re-asks: "
            + describe_validation_error(error)[0]
        ) from None


def describe_validation_error(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        location = ".".join(str(part) for part in item["loc"]) or "(the answer)"
        problems.append(f"{location}: {item['msg']}")
    return problems


@dataclass
class ReaskBudget:
    """Validation problems get up to `max_reasks` re-asks; unverified quotes and actor names
    one, and only when `max_reasks` allows any (0 means no re-ask of any kind)."""

    validation_left: int
    grounding_left: int = 1

    @classmethod
    def for_max_reasks(cls, max_reasks: int) -> ReaskBudget:
        return cls(validation_left=max_reasks, grounding_left=min(1, max_reasks))

    def problems_to_reask(self, check: AnswerCheck) -> list[str]:
        """What to name in a re-ask (empty: accept the answer); spends the budget it uses."""
        dangling = [
            f"{ref.path} is {ref.actor_id!r}, which is not the id of any actor in `actors`"
            for ref in check.dangling
        ]
        if check.errors:
            if self.validation_left <= 0:
                raise InvalidAnswer(
                    f"the model's answer is still invalid after its re-asks: {check.errors[0]}"
                    + (f" (and {len(check.errors) - 1} more)" if len(check.errors) > 1 else "")
                )
            self.validation_left -= 1
            return check.errors + check.same_names + dangling
        problems: list[str] = []
        if (check.same_names or dangling) and self.validation_left > 0:
            self.validation_left -= 1
            problems += check.same_names + dangling
        if check.unverified and self.grounding_left > 0:
            self.grounding_left -= 1
            problems += [grounding_problem(item) for item in check.unverified]
        return problems


def grounding_problem(item: Unverified) -> str:
    """A re-ask line that names what the article says instead, so the model can copy it."""
    if item.kind == "actor":
        return (
            f"{item.path}: the actor name {item.text!r} does not appear in the article; "
            "name only actors the article names, as it names them"
        )
    detail = item.differs or "it is not in the article"
    if detail.startswith("quote "):
        detail = "your " + detail.replace(" / article ", "; the article says ", 1)
    return (
        f"{item.path}.quote {item.text!r} is not verbatim from the article ({detail}); "
        "copy the article's words exactly, or leave the claim out"
    )


# check_answer(text, schema, article), awaited: a batch run checks in a worker process
AnswerChecker = Callable[[str, SchemaSpec, str], Awaitable[AnswerCheck]]


async def check_here(text: str, schema: SchemaSpec, article: str) -> AnswerCheck:
    return check_answer(text, schema, article)


async def extract(
    model: AnswerModel,
    messages: list[dict[str, Any]],
    schema: SchemaSpec,
    article: str,
    max_reasks: int,
    stats: ExtractionStats,
    checker: AnswerChecker = check_here,
) -> dict[str, Any]:
    """The accepted result (validated, before grounding offsets are added); `stats` counts."""
    budget = ReaskBudget.for_max_reasks(max_reasks)
    answer = await _counted(model.ask(messages, schema), stats)
    while True:
        stats.add(answer)
        check = await checker(answer.text, schema, article)
        problems = budget.problems_to_reask(check)
        if not problems:
            assert check.result is not None  # hard errors never reach here
            return merge_same_named_actors(check, schema)
        log.info("re-asking: %d problem(s), first: %s", len(problems), problems[0])
        answer = await _counted(
            model.reask(messages, schema, answer, feedback_text(problems)), stats
        )


async def _counted(asking: Awaitable[Answer], stats: ExtractionStats) -> Answer:
    """The answer; an answer cut off at the cap with nothing to keep still counts in `stats`
    before its error goes on (its tokens were paid for: run reports and eval costs show it)."""
    try:
        return await asking
    except CutOffAnswer as cut:
        stats.add(cut.answer)
        raise
