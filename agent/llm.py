"""The model call: one Chat Completions request through the openai SDK, with transport retries.

The raw response body is parsed here rather than by the SDK, so an endpoint that answers
with something that is not Chat Completions gets a clear error, and `--record` can save the
exact bytes. SDK errors that outlast the retries become one-line SummariseErrors.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai

from agent.errors import ConfigError, EndpointError, ReplayMiss, SummariseError
from agent.replay import REPLAY_MISS_CODE, save_recording
from agent.retry import transport_retrying

log = logging.getLogger(__name__)


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    def add(self, body: dict[str, Any]) -> None:
        usage = body.get("usage") or {}
        self.prompt_tokens += int(usage.get("prompt_tokens") or 0)
        self.completion_tokens += int(usage.get("completion_tokens") or 0)
        details = usage.get("prompt_tokens_details") or {}
        self.cached_tokens += int(details.get("cached_tokens") or 0)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int
    max_seconds: float
    initial_wait: float


class ChatClient:
    """Sends Chat Completions requests; counts every HTTP attempt and sums token usage."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None,
        timeout: float,
        retry: RetryPolicy,
        record_dir: Path | None = None,
    ) -> None:
        self._sdk = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0
        )
        self._retry = retry
        self._record_dir = record_dir
        self.endpoint = str(self._sdk.base_url)
        self.timeout = timeout
        self.http_attempts = 0
        self.usage = Usage()

    async def complete(self, request: dict[str, Any]) -> dict[str, Any]:
        """The parsed Chat Completions body for `request` (the create() keyword arguments)."""
        retrying = transport_retrying(
            self._retry.attempts, self._retry.max_seconds, self._retry.initial_wait
        )
        try:
            raw: bytes = await retrying(self._send, request)
        except openai.OpenAIError as error:
            raise self._as_summarise_error(error) from None
        body = parse_completion_body(raw, self.endpoint)
        self.usage.add(body)
        if self._record_dir is not None:
            save_recording(self._record_dir, request, raw)
        return body

    async def close(self) -> None:
        await self._sdk.close()

    async def _send(self, request: dict[str, Any]) -> bytes:
        self.http_attempts += 1
        response = await self._sdk.chat.completions.with_raw_response.create(**request)
        return bytes(response.content)

    def _as_summarise_error(self, error: openai.OpenAIError) -> SummariseError:
        where = self.endpoint
        attempts = f"after {self.http_attempts} attempt{'s' if self.http_attempts != 1 else ''}"
        if isinstance(error, openai.APITimeoutError):
            return EndpointError(f"{where} did not answer within {self.timeout:g}s ({attempts})")
        if isinstance(error, openai.APIConnectionError):
            cause = error.__cause__ or error
            return EndpointError(f"cannot reach {where}: {cause} ({attempts})")
        if isinstance(error, openai.AuthenticationError):
            return ConfigError(f"{where} rejected the API key (HTTP 401): check OPENAI_API_KEY")
        if isinstance(error, openai.APIStatusError):
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
