"""The pipeline with an in-process model (agent/model/double.py): no socket, no server. And the
rule that nothing outside agent/model/ reads a raw completion."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from conftest import ARTICLE, FIXTURES
from summarise_agent.config import Settings
from summarise_agent.errors import InvalidAnswer
from summarise_agent.load import ArticleSource
from summarise_agent.model.double import FunctionModel, ModelCall
from summarise_agent.model.failures import one_line
from summarise_agent.pipeline import Endpoint, RunContext, summarise_article

OK_TEXT = json.loads((FIXTURES / "responses" / "positions_ok.json").read_text())["choices"][0]["message"]["content"]
AGENT = Path(__file__).resolve().parents[2] / "agent"


def summarise_with(model: FunctionModel, tmp_path: Path, **settings: object) -> dict[str, object]:
    run = RunContext(Settings(cache=False, cache_dir=tmp_path, **settings), Endpoint(transport=model))  # type: ignore[arg-type]

    async def go() -> dict[str, object]:
        try:
            return (await summarise_article(ArticleSource("talks.txt", ARTICLE.read_bytes()), run)).record
        finally:
            await run.aclose()

    return asyncio.run(go())


def test_a_function_answers_the_pipeline(tmp_path: Path) -> None:
    model = FunctionModel(lambda call: OK_TEXT)
    record = summarise_with(model, tmp_path)
    assert record["checks"]["not_found"] == 0  # type: ignore[index]
    (call,) = model.calls
    assert "<article>" in call.messages[1]["content"] and call.body["response_format"]["type"] == "json_schema"


def test_a_function_sees_the_reask_and_tools_shape(tmp_path: Path) -> None:
    def answer(call: ModelCall) -> str:
        return "{}" if len(call.messages) == 2 else OK_TEXT

    model = FunctionModel(answer)
    summarise_with(model, tmp_path, mode="tools")
    first, second = model.calls
    assert first.tools and second.messages[2]["content"] == ""  # the call echoed, content ""
    assert "summary: Field required" in second.messages[3]["content"]


def test_a_function_that_never_answers_validly_fails_after_the_reasks(tmp_path: Path) -> None:
    model = FunctionModel(lambda call: '{"summary": ""}')
    with pytest.raises(InvalidAnswer):
        summarise_with(model, tmp_path, max_reasks=1)
    assert len(model.calls) == 2


def test_server_tracebacks_become_one_short_line() -> None:
    text = "Traceback (most recent call last):\n" + '  File "a.py", line 3\n    x()\n' * 1000 + "ValueError: bad   schema\n"
    assert one_line(text) == "ValueError: bad schema"
    assert len(one_line("x" * 5000)) == 300


RAW_COMPLETION = re.compile(r"""["'](choices|finish_reason|tool_calls|prompt_tokens_details)["']|\.choices\b""")


def test_nothing_outside_the_model_layer_reads_a_raw_completion() -> None:
    offenders = [
        f"{path.relative_to(AGENT.parent)}:{number}: {line.strip()}"
        for path in AGENT.rglob("*.py")
        if "model" not in path.relative_to(AGENT).parts[:1]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if RAW_COMPLETION.search(line)
    ]
    assert offenders == [], "read completions in agent/model/ only:\n" + "\n".join(offenders)


@pytest.mark.parametrize("fence", ["```json\n{}\n```", "```\n{}\n```\n"])
def test_an_answer_in_one_code_fence_is_read_without_a_reask(tmp_path: Path, fence: str) -> None:
    """Chat models asked for JSON by the prompt alone (json_object, plain servers) often wrap it
    in a Markdown fence: that is the answer, not an invalid one."""
    model = FunctionModel(lambda call: fence.replace("{}", OK_TEXT))
    record = summarise_with(model, tmp_path, mode="json_object")
    assert len(model.calls) == 1
    assert record["checks"]["not_found"] == 0  # type: ignore[index]


def test_text_around_a_fence_is_still_an_invalid_answer(tmp_path: Path) -> None:
    model = FunctionModel(lambda call: f"Here it is:\n```json\n{OK_TEXT}\n```")
    with pytest.raises(InvalidAnswer):
        summarise_with(model, tmp_path, mode="json_object")
    assert len(model.calls) > 1  # re-asked: only a fence around everything is taken off
