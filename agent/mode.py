"""Structured output modes: how a request asks for the schema, and where the answer comes back.

- json_schema: `response_format` with the strict JSON Schema (OpenAI, Azure, vLLM, Ollama).
- json_object: `response_format: json_object` and the schema written into the system prompt,
  for servers that only promise valid JSON.
- tools: one strict function whose parameters are the schema, forced with `tool_choice`,
  for servers that support function calling but not response formats.
`auto` picks per model from MODEL_MODES (first matching prefix), json_schema otherwise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from agent.errors import EndpointError, ModelRefused, TruncatedAnswer, UsageError


class OutputMode(StrEnum):
    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    TOOLS = "tools"


# Models known not to accept strict json_schema response formats.
MODEL_MODES: tuple[tuple[str, OutputMode], ...] = (
    ("gpt-3.5-turbo", OutputMode.TOOLS),
    ("gpt-4-turbo", OutputMode.TOOLS),
    ("gpt-4-0", OutputMode.TOOLS),
    ("gpt-4-1106", OutputMode.TOOLS),
)


def choose_mode(requested: str, model: str) -> OutputMode:
    if requested != "auto":
        try:
            return OutputMode(requested)
        except ValueError:
            raise UsageError(f"unknown mode {requested!r}") from None
    for prefix, mode in MODEL_MODES:
        if model.startswith(prefix):
            return mode
    return OutputMode.JSON_SCHEMA


def request_options(
    mode: OutputMode, schema_name: str, json_schema: dict[str, Any], messages: list[dict[str, str]]
) -> dict[str, Any]:
    """The Chat Completions arguments that carry the schema, with the messages for this mode."""
    if mode is OutputMode.JSON_SCHEMA:
        response_format = {"name": schema_name, "strict": True, "schema": json_schema}
        return {
            "messages": messages,
            "response_format": {"type": "json_schema", "json_schema": response_format},
        }
    if mode is OutputMode.JSON_OBJECT:
        schema_text = json.dumps(json_schema, ensure_ascii=False, separators=(",", ":"))
        system = messages[0]["content"] + (
            "\n\nAnswer with one JSON object, and nothing else, that matches this JSON Schema:\n"
            + schema_text
        )
        return {
            "messages": [{"role": "system", "content": system}, *messages[1:]],
            "response_format": {"type": "json_object"},
        }
    function = {
        "name": schema_name,
        "description": "Record the extraction.",
        "parameters": json_schema,
        "strict": True,
    }
    return {
        "messages": messages,
        "tools": [{"type": "function", "function": function}],
        "tool_choice": {"type": "function", "function": {"name": schema_name}},
    }


@dataclass(frozen=True)
class ModelAnswer:
    """The answer's JSON text, and how the assistant turn looked (for a re-ask)."""

    text: str
    assistant_message: dict[str, Any]


def answer_from_completion(mode: OutputMode, completion: dict[str, Any]) -> ModelAnswer:
    """The JSON text of a Chat Completions body; truncation and refusals are their own errors."""
    choices = completion.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise EndpointError("the endpoint answered with no choices")
    choice = choices[0]
    message = choice.get("message") or {}
    finish_reason = choice.get("finish_reason")
    if finish_reason == "length":
        raise TruncatedAnswer(
            "the model's answer was cut off at its output token limit (finish_reason=length); "
            "raise --max-output-tokens or use a model with a larger output"
        )
    if message.get("refusal"):
        raise ModelRefused(f"the model refused: {message['refusal']}")
    if finish_reason == "content_filter":
        raise ModelRefused("the endpoint's content filter stopped the answer")
    if mode is OutputMode.TOOLS:
        return _tool_answer(message)
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        raise EndpointError("the endpoint answered with an empty message")
    return ModelAnswer(content, {"role": "assistant", "content": content})


def _tool_answer(message: dict[str, Any]) -> ModelAnswer:
    calls = message.get("tool_calls") or []
    if not calls or not isinstance(calls[0], dict):
        content = message.get("content")
        if isinstance(content, str) and content.strip():  # some servers answer in content anyway
            return ModelAnswer(content, {"role": "assistant", "content": content})
        raise EndpointError("the endpoint answered with neither a tool call nor content")
    call = calls[0]
    arguments = (call.get("function") or {}).get("arguments")
    if not isinstance(arguments, str):
        raise EndpointError("the endpoint's tool call has no arguments")
    assistant = {"role": "assistant", "content": None, "tool_calls": [call]}
    return ModelAnswer(arguments, assistant)
