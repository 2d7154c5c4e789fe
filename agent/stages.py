"""The pipeline's CPU stages, as functions of the run and plain data, so that they can run
where the run says (`RunContext.stage`): in its own process, or in a batch run's worker
processes (agent/batch/workers.py), which receive only an article's bytes or text and return
plain values. The flow that calls them is agent/pipeline.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from summarise_agent.cleaning import CleanedDocument, clean_document
from summarise_agent.errors import OutputError
from summarise_agent.extract import AnswerCheck, check_answer
from summarise_agent.grounding_report import (
    GroundingReport,
    Unverified,
    ground_result,
    unverified_in,
)
from summarise_agent.integrity import dangling_references
from summarise_agent.output import render_json, write_output
from summarise_agent.record import Provenance, build_record

if TYPE_CHECKING:
    from summarise_agent.pipeline import RunContext

T = TypeVar("T")


class Offload(Protocol):
    """Runs a stage, `work(run, *args)`, elsewhere (a batch run's worker processes,
    agent/batch/workers.py), with that process's copy of the run; returns what it returned."""

    async def __call__(self, work: Callable[..., T], /, *args: Any) -> T: ...


def clean_stage(run: RunContext, data: bytes, name: str) -> CleanedDocument:
    return clean_document(data, name, max_bytes=run.settings.max_input_bytes)


def check_stage(run: RunContext, text: str, article: str) -> AnswerCheck:
    return check_answer(text, run.schema, article)


WriteFailure = tuple[str, bool]  # an OutputError's message and disk_level (pickling loses them)


def record_stage(
    run: RunContext, name: str, provenance: Provenance, text: str,
    answer: GroundingReport | dict[str, Any], settings: dict[str, Any],
    chunking: dict[str, Any] | None, write_to: Path | None = None,
) -> tuple[dict[str, Any], bytes, list[Unverified], WriteFailure | None]:  # fmt: skip
    """The output record for an answer (grounded here unless chunks were), its file's bytes,
    its unverified claims (paths as the file orders its lists), and, given WRITE_TO, the
    file written there (in a batch run's worker: one round trip fewer, and fsync off the
    event loop) or why it could not be."""
    grounding = answer if isinstance(answer, GroundingReport) else ground_result(answer, text)
    record = build_record(
        schema=run.schema, prompt=run.prompt, model=run.settings.model, settings=settings,
        source_name=name, provenance=provenance, text=text, grounding=grounding,
        dangling_actor_ids=len(dangling_references(grounding.result)), chunking=chunking,
    )  # fmt: skip
    data = render_json(record)
    failure = write_stage(run, write_to, data) if write_to is not None else None
    return record, data, unverified_in(record["result"]), failure


def write_stage(run: RunContext, target: Path, data: bytes) -> WriteFailure | None:
    """Write an output (atomically, never through a symlink); None, or why it failed."""
    try:
        write_output(target, data, follow_symlinks=False)
    except OutputError as error:
        return error.message, error.disk_level
    return None
