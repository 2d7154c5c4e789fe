"""The model layer through the CLI against a local HTTP server: dialects, auto fallback,
the server-family probe, rejected requests, re-ask shapes and the output-token cap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import ARTICLE, FIXTURES, ScriptedResponder, run_cli
from summarise_agent.errors import ExitCode
from summarise_agent.localserver import LocalChatServer, Reply, error_reply, json_reply
from summarise_agent.model.budget import output_token_cap
from summarise_agent.model.grammar import grammar_schema
from summarise_agent.schema_registry import load_schema

OK_TEXT = json.loads((FIXTURES / "responses" / "positions_ok.json").read_text())["choices"][0]["message"]["content"]
INVALID_TEXT = json.loads((FIXTURES / "responses" / "positions_invalid.json").read_text())["choices"][0]["message"]["content"]
PYDANTIC_500 = ("1 validation error for CreateChatCompletionRequest\nresponse_format.type\n  Input should be "
                "'text' or 'json_object' [type=literal_error, input_value='json_schema', input_type=str]")


def completion(text: str, *, tool: bool = False, finish: str = "stop", completion_tokens: int = 300) -> Reply:
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if tool:
        call = {"id": "call_1", "type": "function", "function": {"name": "positions", "arguments": text}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
    return json_reply(200, {"object": "chat.completion",
                            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                            "usage": {"prompt_tokens": 900, "completion_tokens": completion_tokens}})


def serve_as(owner: str | None, *replies: Reply) -> LocalChatServer:
    return LocalChatServer(ScriptedResponder(list(replies)), models_owner=owner).__enter__()


def summarise(server: LocalChatServer, *extra: str) -> Any:
    return run_cli(str(ARTICLE), "--schema", "positions", "--base-url", server.base_url, *extra)


def test_auto_falls_back_when_the_server_rejects_the_request_shape(env: Path) -> None:
    server = serve_as(None, error_reply(500, PYDANTIC_500), completion(OK_TEXT), completion(OK_TEXT))
    try:
        result = summarise(server)
        assert result.exit_code == 0, result.stderr
        first, second = server.requests
        assert first["response_format"]["type"] == "json_schema"
        assert second["response_format"]["type"] == "json_object"
        assert second["response_format"]["schema"]["properties"]["actors"]["maxItems"] == 30
        again = summarise(server, "--no-cache")  # remembered: no second rejection
        assert again.exit_code == 0, again.stderr
        assert server.requests[2]["response_format"]["type"] == "json_object"
    finally:
        server.__exit__()


def test_the_probe_picks_the_dialect_before_any_request(env: Path) -> None:
    server = serve_as("me", completion(OK_TEXT))  # llama-cpp-python lists models as owned by "me"
    try:
        result = summarise(server)
        assert result.exit_code == 0, result.stderr
        (request,) = server.requests
        assert request["response_format"] == {"type": "json_object",
                                              "schema": grammar_schema(load_schema("positions").bounded_json_schema)}
        assert request["repeat_penalty"] == 1.3  # the family's sampling (dialects.FAMILY_SAMPLING)
        memory = json.loads((env / "cache" / "servers.json").read_text())
        assert memory[server.base_url]["family"] == "llama-cpp-python"
    finally:
        server.__exit__()


def test_a_rejected_mode_is_one_short_line_and_not_retried(env: Path) -> None:
    traceback = "Traceback (most recent call last):\n" + '  File "x.py", line 1, in f\n    g()\n' * 400
    body = traceback + "pydantic_core._pydantic_core.ValidationError: " + PYDANTIC_500
    server = serve_as(None, *[error_reply(500, body)] * 4)
    try:
        result = summarise(server, "--mode", "json_schema")
        assert result.exit_code == ExitCode.ENDPOINT
        assert len(server.requests) == 2  # openai-json-schema, then json-object-schema: no retries
        assert "does not accept --mode json_schema" in result.stderr
        assert "Input should be 'text' or 'json_object'" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and len(result.stderr) < 700
    finally:
        server.__exit__()


def test_openai_tools_reask_echoes_the_call_with_empty_content_and_a_tool_turn(env: Path) -> None:
    server = serve_as(None, completion(INVALID_TEXT, tool=True), completion(OK_TEXT, tool=True))
    try:
        result = summarise(server, "--mode", "tools")
        assert result.exit_code == 0, result.stderr
        roles = [(m["role"], m.get("content")) for m in server.requests[1]["messages"][2:]]
        assert roles[0] == ("assistant", "")  # "" not null: llama-cpp-python rejects null
        assert roles[1][0] == "tool"
    finally:
        server.__exit__()


def test_local_tools_reask_is_a_plain_user_turn_and_the_schema_is_in_the_prompt(env: Path) -> None:
    server = serve_as("me", completion(INVALID_TEXT, tool=True), completion(OK_TEXT, tool=True))
    try:
        result = summarise(server, "--mode", "tools")
        assert result.exit_code == 0, result.stderr
        first, second = server.requests
        assert "Call the function `positions`" in first["messages"][0]["content"]
        assert "maxItems" in first["messages"][0]["content"]
        assert [m["role"] for m in second["messages"]] == ["system", "user", "assistant", "user"]
        assert second["messages"][2] == {"role": "assistant", "content": INVALID_TEXT}
    finally:
        server.__exit__()


def test_an_answer_that_reaches_the_cap_is_cut_off_whatever_finish_reason_says(env: Path) -> None:
    """llama-cpp-python says "tool_calls" when it stops at max_tokens: the token count tells.
    The cut-off answer is then salvaged (its complete items kept) and the warning says so."""
    cut = OK_TEXT[: OK_TEXT.index('{"actor": "european-commission"') + 60]
    server = serve_as("me", completion(cut, tool=True, finish="tool_calls", completion_tokens=64))
    try:
        result = summarise(server, "--mode", "tools", "--max-output-tokens", "64")
        assert result.exit_code == 0, result.stderr
        assert "cut off at the output cap (64 tokens)" in result.stderr and len(server.requests) == 1
        assert len(json.loads(result.stdout)["result"]["positions"]) == 2
        assert server.requests[0]["max_tokens"] == 64
    finally:
        server.__exit__()


def test_the_output_cap_is_derived_from_the_schema_by_default(env: Path) -> None:
    server = serve_as(None, completion(OK_TEXT))
    try:
        result = summarise(server)
        assert result.exit_code == 0, result.stderr
        cap = output_token_cap(load_schema("positions").bounded_json_schema)
        assert server.requests[0]["max_tokens"] == cap
    finally:
        server.__exit__()


def test_a_changed_dialect_is_a_cache_miss(env: Path) -> None:
    server = serve_as(None, completion(OK_TEXT), completion(OK_TEXT))
    try:
        assert summarise(server).exit_code == 0
        assert summarise(server, "--mode", "json_object").exit_code == 0
        assert len(server.requests) == 2
        assert summarise(server).exit_code == 0 and len(server.requests) == 2  # warm: no request
    finally:
        server.__exit__()
