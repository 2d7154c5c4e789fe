"""What an endpoint's failure means, in one readable line.

A request the server rejected for its shape (a 400, 422 or 500 whose message is a
request-validation error or names a structured-output field, as llama-cpp-python's 500 for a
response_format it does not know) will fail the same way every time: it is never retried.
Other 4xx (a wrong key, URL or model) are never retried either, and are no reason to change
the dialect. `--mode auto` falls back to
the next dialect; otherwise it is one clear error line. Servers sometimes echo a whole Python
traceback as the message: only its last line is kept, cut to MAX_MESSAGE_CHARS.
"""

from __future__ import annotations

import re
from typing import Any

import openai

from summarise_agent.errors import EndpointError

MAX_MESSAGE_CHARS = 300
RETRYABLE_CLIENT_STATUS = frozenset({408, 409, 429})
SHAPE_STATUS = frozenset({400, 422, 500})
# Phrases of request-validation errors (pydantic, FastAPI, vLLM, llama.cpp, OpenAI) and the
# fields a dialect sets: the request's shape is wrong, another dialect may be accepted.
_SHAPE_MARKERS = re.compile(
    r"validation error|input should be|field required|extra inputs are not permitted|"
    r"unrecognized request argument|unsupported|not supported|invalid schema|"
    r"response_format|json_schema|json_object|guided_json|tool_choice|\btools?\b|"
    r"\brole\b|grammar",
    re.IGNORECASE,
)


class RequestRejected(EndpointError):
    """The endpoint refused the request's shape: another dialect may be accepted."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A server message as one short line: a traceback's last line, whitespace collapsed."""
    if "Traceback (most recent call last)" in text:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        text = next((line for line in reversed(lines) if not line.startswith("File ")), text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def server_message(error: openai.APIStatusError) -> str:
    body: Any = error.body
    if isinstance(body, dict):
        nested: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else body
        for candidate in (nested.get("message"), body.get("detail"), nested.get("msg")):
            if isinstance(candidate, str) and candidate:
                return one_line(candidate)
            if isinstance(candidate, list) and candidate:  # FastAPI's 422 detail list
                return one_line(str(candidate[0].get("msg", candidate[0])))
    if isinstance(body, str) and body:
        return one_line(body)
    return one_line(error.message)


def is_rejected_request(error: BaseException) -> bool:
    if not isinstance(error, openai.APIStatusError):
        return False
    if error.code == "context_length_exceeded":
        return False  # the article, not the request's shape: InputTooLarge
    return error.status_code in SHAPE_STATUS and bool(_SHAPE_MARKERS.search(server_message(error)))
