"""Reading a Chat Completions body: the only place a raw completion is looked into.

What comes out is an `Answer`: the JSON text the model produced, the token usage, how the answer
ended, and the assistant turn to echo in a re-ask (kept opaque to callers).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from summarise_agent.errors import EndpointError, ModelRefused, TruncatedAnswer


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0


@dataclass(frozen=True)
class Answer:
    """One answer received: what extraction needs from it, nothing of the wire format."""

    text: str  # the JSON text (content, or a tool call's arguments)
    usage: Usage
    finish: str  # the server's finish_reason, "" when it gave none
    http_attempts: int = 1  # HTTP requests it took, transport retries included
    dialect: str = ""  # the dialect that produced it
    turn: dict[str, Any] = field(default_factory=dict, repr=False)  # the assistant turn as sent
    truncated: bool = False  # cut off at the output cap; `text` is its salvaged complete part


class CutOffAnswer(TruncatedAnswer):
    """An answer cut off at the output cap, with what it said up to the cut (for salvage)."""

    def __init__(self, message: str, answer: Answer) -> None:
        super().__init__(message)
        self.answer = answer


def parse_body(raw: bytes, endpoint: str) -> dict[str, Any]:
    """The JSON object of a Chat Completions answer, or a clear error for anything else."""
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        start = raw[:60].decode("utf-8", "replace")
        raise EndpointError(
            f"{endpoint} answered with something that is not JSON ({start!r}...): "
            "is --base-url an OpenAI-compatible endpoint (usually ending in /v1)?"
        ) from None
    if not isinstance(body, dict) or "choices" not in body:
        raise EndpointError(
            f"{endpoint} answered JSON that is not a Chat Completions response (no 'choices'): "
            "is --base-url an OpenAI-compatible endpoint?"
        )
    return body


def read_usage(body: dict[str, Any]) -> Usage:
    usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
    assert isinstance(usage, dict)
    details = usage.get("prompt_tokens_details") or {}
    cached = details.get("cached_tokens") if isinstance(details, dict) else 0
    return Usage(
        int(usage.get("prompt_tokens") or 0),
        int(usage.get("completion_tokens") or 0),
        int(cached or 0),
    )


def read_answer(body: dict[str, Any], *, tools: bool, max_tokens: int | None) -> Answer:
    """The answer in a Chat Completions body; truncation and refusals are their own errors.

    A cut-off answer is recognised by finish_reason "length" and also by the completion tokens
    reaching the cap, whatever finish_reason says (llama-cpp-python reports "tool_calls" when
    it stops at max_tokens in the middle of a tool call)."""
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise EndpointError("the endpoint answered with no choices")
    choice = choices[0]
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    assert isinstance(message, dict)
    finish = str(choice.get("finish_reason") or "")
    usage = read_usage(body)
    if finish == "length" or (max_tokens is not None and usage.completion_tokens >= max_tokens):
        _raise_cut_off(message, tools, usage, finish, max_tokens)
    if message.get("refusal"):
        raise ModelRefused(f"the model refused: {message['refusal']}")
    if finish == "content_filter":
        raise ModelRefused("the endpoint's content filter stopped the answer")
    text, turn = _tool_answer(message) if tools else _content_answer(message)
    return Answer(text=text, usage=usage, finish=finish, turn=turn)


def _raise_cut_off(
    message: dict[str, Any], tools: bool, usage: Usage, finish: str, max_tokens: int | None
) -> None:
    error = (
        f"the model's answer was cut off at its output token limit ({max_tokens or 'the'}"
        f" tokens, finish_reason={finish or 'none'}): raise --max-output-tokens or use a "
        "model with a larger output"
    )
    try:
        text, turn = _tool_answer(message) if tools else _content_answer(message)
    except EndpointError:
        raise TruncatedAnswer(error) from None
    raise CutOffAnswer(error, Answer(text=text, usage=usage, finish=finish, turn=turn))


def _content_answer(message: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        raise EndpointError("the endpoint answered with an empty message")
    return unfenced(content), {"role": "assistant", "content": content}


# The whole answer as one Markdown code block: what chat models do when only the prompt (not
# the server) asks for JSON. Only a fence around everything is taken off; the re-ask turn still
# echoes the answer as it came.
_FENCED = re.compile(r"\A\s*```[A-Za-z]*[ \t]*\n(?P<body>.*?)\n?[ \t]*```\s*\Z", re.S)


def unfenced(content: str) -> str:
    """The content without one code fence around all of it; anything else unchanged."""
    found = _FENCED.match(content)
    return found.group("body") if found and "```" not in found.group("body") else content


def _tool_answer(message: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    calls = message.get("tool_calls") or []
    if not isinstance(calls, list) or not calls or not isinstance(calls[0], dict):
        content = message.get("content")
        if isinstance(content, str) and content.strip():  # some servers answer in content anyway
            return content, {"role": "assistant", "content": content}
        raise EndpointError("the endpoint answered with neither a tool call nor content")
    call = calls[0]
    function = call.get("function") if isinstance(call.get("function"), dict) else {}
    assert isinstance(function, dict)
    arguments = function.get("arguments")
    if isinstance(arguments, dict):  # a few servers send the object itself
        arguments = json.dumps(arguments, ensure_ascii=False)
    if not isinstance(arguments, str):
        raise EndpointError("the endpoint's tool call has no arguments")
    # content "" and not null: llama-cpp-python rejects a null content in the re-ask
    turn = {"role": "assistant", "content": "", "tool_calls": [call]}
    return arguments, turn
