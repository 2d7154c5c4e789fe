"""The model call: one Chat Completions request through the openai SDK, with transport retries.

The raw response body is parsed here rather than by the SDK, so an endpoint that answers
with something that is not Chat Completions gets a clear error, and `--record` can save the
exact bytes. SDK errors that outlast the retries become one-line SummariseErrors.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import openai

from agent.errors import ConfigError, EndpointError, InputTooLarge, ReplayMiss, SummariseError
from agent.replay import REPLAY_MISS_CODE, save_recording
from agent.retry import transport_retrying
from agent.tokens import estimate_tokens

log = logging.getLogger(__name__)


class RequestLimiter(Protocol):
    """Client-side rate limiting shared by every request of a run (batch runs supply one)."""

    async def acquire(self, estimated_tokens: int) -> None:
        """Wait until one more request of about this many tokens fits the limits."""

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Learn from a response's status and rate-limit headers (429, x-ratelimit-*)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int
    max_seconds: float
    initial_wait: float


class ChatClient:
    """Sends Chat Completions requests: transport retries, rate limiting, recording."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None,
        timeout: float,
        retry: RetryPolicy,
        record_dir: Path | None = None,
        limiter: RequestLimiter | None = None,
    ) -> None:
        self._sdk = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0
        )
        self._retry = retry
        self._record_dir = record_dir
        self._limiter = limiter
        self.endpoint = str(self._sdk.base_url)
        self.timeout = timeout

    async def complete(self, request: dict[str, Any]) -> Completion:
        """The parsed Chat Completions body for `request` (the create() keyword arguments)."""
        retrying = transport_retrying(
            self._retry.attempts, self._retry.max_seconds, self._retry.initial_wait
        )
        attempts = [0]
        try:
            raw: bytes = await retrying(self._send, request, attempts)
        except openai.OpenAIError as error:
            raise self._as_summarise_error(error, attempts[0]) from None
        body = parse_completion_body(raw, self.endpoint)
        if self._record_dir is not None:
            save_recording(self._record_dir, request, raw)
        return Completion(body=body, http_attempts=attempts[0])

    async def close(self) -> None:
        await self._sdk.close()

    async def _send(self, request: dict[str, Any], attempts: list[int]) -> bytes:
        attempts[0] += 1
        if self._limiter is not None:
            await self._limiter.acquire(estimate_tokens(request))
        try:
            response = await self._sdk.chat.completions.with_raw_response.create(**request)
        except openai.APIStatusError as error:
            if self._limiter is not None:
                self._limiter.observe(error.status_code, error.response.headers)
            raise
        if self._limiter is not None:
            self._limiter.observe(response.status_code, response.headers)
        return bytes(response.content)

    def _as_summarise_error(self, error: openai.OpenAIError, tries: int) -> SummariseError:
        where = self.endpoint
        attempts = f"after {tries} attempt{'s' if tries != 1 else ''}"
        if isinstance(error, openai.APITimeoutError):
            return EndpointError(f"{where} did not answer within {self.timeout:g}s ({attempts})")
        if isinstance(error, openai.APIConnectionError):
            cause = error.__cause__ or error
            return EndpointError(f"cannot reach {where}: {cause} ({attempts})")
        if isinstance(error, openai.AuthenticationError):
            return ConfigError(f"{where} rejected the API key (HTTP 401): check OPENAI_API_KEY")
        if isinstance(error, openai.APIStatusError):
            if error.code == "context_length_exceeded":
                return InputTooLarge(
                    f"the article does not fit the model's context window: {_server_message(error)}"
                )
            if error.code == REPLAY_MISS_CODE:
                return ReplayMiss(
                    f"--replay: {_server_message(error)}: no recorded response matches this "
                    "request (the article, prompt, schema, model or settings differ from the "
                    "recording; record one with --record DIR against a real endpoint)"
                )
            return EndpointError(
                f"{where} answered HTTP {error.status_code} ({attempts}): {_server_message(error)}"
            )
        return EndpointError(f"{where}: {error}")


@dataclass(frozen=True)
class Completion:
    body: dict[str, Any]  # the parsed Chat Completions response
    http_attempts: int  # HTTP requests it took, retries included


def _server_message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return error.message


def parse_completion_body(raw: bytes, endpoint: str) -> dict[str, Any]:
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
