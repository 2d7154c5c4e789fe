"""An answer cut off at the output cap: its complete items are kept when the dialect constrains
the answer to the schema, with a warning; otherwise (or when nothing valid is left) it is the
documented truncation error (exit 6)."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest
from test_model_double import OK_TEXT, summarise_with

from conftest import ARTICLE
from summarise_agent.config import Settings
from summarise_agent.errors import TruncatedAnswer
from summarise_agent.extract import ExtractionStats
from summarise_agent.load import ArticleSource
from summarise_agent.model.double import FunctionModel
from summarise_agent.model.salvage import complete_prefix
from summarise_agent.pipeline import Endpoint, RunContext, summarise_article
from summarise_agent.schema_registry import load_schema

POSITIONS = load_schema("positions")
# cut in the middle of the third position's summary: the first two positions are complete
CUT_IN_THIRD = OK_TEXT[: OK_TEXT.index('{"actor": "european-commission"') + 60]


def test_the_complete_items_before_the_cut_are_kept_and_nothing_is_invented() -> None:
    salvage = complete_prefix(CUT_IN_THIRD, POSITIONS.model)
    assert salvage is not None
    kept, whole = json.loads(salvage.text), json.loads(OK_TEXT)
    assert kept["positions"] == whole["positions"][:2]
    assert kept["actors"] == whole["actors"] and kept["summary"] == whole["summary"]
    assert salvage.kept_chars < salvage.total_chars == len(CUT_IN_THIRD)


@pytest.mark.parametrize("cut", [
    '{"summary": "Calvera and Ostrova agreed',  # inside the first string: nothing complete
    OK_TEXT[: OK_TEXT.index('"positions"')],  # a required list never started
    OK_TEXT[: OK_TEXT.index('"evidence"', OK_TEXT.index('"positions"'))],  # first item unfinished
])  # fmt: skip
def test_nothing_is_salvaged_when_no_complete_prefix_meets_the_schema(cut: str) -> None:
    assert complete_prefix(cut, POSITIONS.model) is None


def test_a_comma_inside_an_unfinished_string_does_not_keep_half_a_value() -> None:
    cut = OK_TEXT[: OK_TEXT.index("Ostrova proposed")] .replace("talks on", "talks, on")
    salvage = complete_prefix(cut + "x, y", POSITIONS.model)
    assert salvage is None  # the summary string was never closed: nothing valid before it


def test_a_cut_off_constrained_answer_is_salvaged_with_a_warning(
    tmp_path: object, caplog: pytest.LogCaptureFixture
) -> None:
    model = FunctionModel(lambda call: CUT_IN_THIRD, finish_reason="length")
    with caplog.at_level(logging.WARNING):
        record = summarise_with(model, tmp_path)  # type: ignore[arg-type]
    assert len(record["result"]["positions"]) == 2  # type: ignore[index]
    assert len(model.calls) == 1  # accepted as it is: the grounding of the kept part is clean
    warning = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "cut off at the output cap" in warning and "kept its complete items" in warning


def test_a_cut_off_answer_in_json_object_mode_is_not_salvaged(tmp_path: object) -> None:
    """json_object constrains only the syntax: the truncation error, as before."""
    model = FunctionModel(lambda call: CUT_IN_THIRD, finish_reason="length")
    with pytest.raises(TruncatedAnswer):
        summarise_with(model, tmp_path, mode="json_object")  # type: ignore[arg-type]


def test_a_cut_off_answer_with_no_complete_item_is_the_truncation_error(tmp_path: object) -> None:
    model = FunctionModel(lambda call: '{"summary": "Calvera and', finish_reason="length")
    with pytest.raises(TruncatedAnswer, match="cut off"):
        summarise_with(model, tmp_path)  # type: ignore[arg-type]
    assert len(model.calls) == 1  # a cut-off answer is not re-asked


def test_a_cut_off_answer_that_fails_still_counts_its_tokens(tmp_path: Path) -> None:
    """The failed answer was paid for: run reports and eval costs must show it, not zero."""
    model = FunctionModel(lambda call: '{"summary": "Calvera and', finish_reason="length")
    run = RunContext(Settings(cache=False, cache_dir=tmp_path), Endpoint(transport=model))
    stats = ExtractionStats()

    async def go() -> None:
        try:
            await summarise_article(ArticleSource("talks.txt", ARTICLE.read_bytes()), run, stats=stats)
        finally:
            await run.aclose()

    with pytest.raises(TruncatedAnswer):
        asyncio.run(go())
    assert stats.model_calls == 1 and stats.http_attempts == 1
    assert stats.completion_tokens > 0 and stats.prompt_tokens > 0
    assert stats.dialect  # which dialect produced it, as for an accepted answer
