"""The HTTP side: one Chat Completions request through the openai SDK, with transport retries,
client-side rate limiting and `--record`.

The raw body is returned, not parsed by the SDK, so an endpoint that answers with something
that is not Chat Completions gets a clear error and `--record` saves the exact bytes. SDK
errors that outlast the retries become one-line SummariseErrors.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import openai

from summarise_agent.errors import ConfigError, EndpointError, InputTooLarge, ReplayMiss, SummariseError
from summarise_agent.model.failures import RequestRejected, is_rejected_request, server_message
from summarise_agent.model.retry import RetryPolicy, is_unreachable, transport_retrying
from summarise_agent.replay import REPLAY_MISS_CODE, save_recording
from summarise_agent.tokens import estimate_text_tokens

log = logging.getLogger(__name__)


class RequestLimiter(Protocol):
    """Client-side rate limiting shared by every request of a run (batch runs supply one)."""

    async def acquire(self, estimated_tokens: int) -> None:
        """Wait until one more request of about this many tokens fits the limits."""

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Learn from a response's status and rate-limit headers (429, x-ratelimit-*)."""


@dataclass(frozen=True)
class Delivery:
    raw: bytes  # the response body, byte for byte
    http_attempts: int  # HTTP requests it took, retries included


class Transport(Protocol):
    """Sends one request body and returns the raw answer (HTTP, or a test double)."""

    endpoint: str

    async def send(self, body: dict[str, Any]) -> Delivery: ...

    async def close(self) -> None: ...


def estimate_request_tokens(body: dict[str, Any]) -> int:
    """A request's size for rate limiting: the prompt's tokens plus the answer budget."""
    prompt = "".join(str(message.get("content") or "") for message in body["messages"])
    return estimate_text_tokens(prompt) + int(body.get("max_tokens") or 1000)


class HttpTransport:
    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None,
        read_timeout: float,
        retry: RetryPolicy,
        record_dir: Path | None = None,
        limiter: RequestLimiter | None = None,
    ) -> None:
        timeout = openai.Timeout(read_timeout, connect=retry.connect_timeout)
        self._sdk = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=0
        )
        self._retry, self._record_dir, self._limiter = retry, record_dir, limiter
        self.endpoint = str(self._sdk.base_url)
        self.read_timeout = read_timeout

    async def send(self, body: dict[str, Any]) -> Delivery:
        attempts = [0]
        try:
            raw: bytes = await transport_retrying(self._retry)(self._post, body, attempts)
        except openai.OpenAIError as error:
            raise self._as_summarise_error(error, attempts[0]) from None
        if self._record_dir is not None:
            save_recording(self._record_dir, body, raw)
        return Delivery(raw, attempts[0])

    async def close(self) -> None:
        await self._sdk.close()

    async def _post(self, body: dict[str, Any], attempts: list[int]) -> bytes:
        attempts[0] += 1
        if self._limiter is not None:
            await self._limiter.acquire(estimate_request_tokens(body))
        known = {"model", "messages"}
        extra = {key: value for key, value in body.items() if key not in known}
        try:
            response = await self._sdk.chat.completions.with_raw_response.create(
                model=body["model"], messages=body["messages"], extra_body=extra
            )
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
        if is_unreachable(error):
            cause = error.__cause__ or error
            return EndpointError(
                f"cannot reach {where}: {cause or type(cause).__name__} ({attempts})"
            )
        if isinstance(error, openai.APITimeoutError):
            return EndpointError(
                f"{where} did not answer within {self.read_timeout:g}s ({attempts}; a CPU-served "
                "model may need a longer --timeout)"
            )
        if isinstance(error, openai.APIConnectionError):
            return EndpointError(f"cannot reach {where}: {error.__cause__ or error} ({attempts})")
        if isinstance(error, openai.AuthenticationError):
            return ConfigError(f"{where} rejected the API key (HTTP 401): check OPENAI_API_KEY")
        if isinstance(error, openai.APIStatusError):
            return _status_error(where, error, attempts)
        return EndpointError(f"{where}: {error}")


def _status_error(where: str, error: openai.APIStatusError, attempts: str) -> SummariseError:
    message = server_message(error)
    if error.code == "context_length_exceeded":
        return InputTooLarge(f"the article does not fit the model's context window: {message}")
    if error.code == REPLAY_MISS_CODE:
        return ReplayMiss(
            f"--replay: {message}: no recorded response matches this request (the article, "
            "prompt, schema, model or settings differ from the recording; record one with "
            "--record DIR against a real endpoint)"
        )
    if is_rejected_request(error):
        return RequestRejected(
            f"{where} rejected the request (HTTP {error.status_code}): {message}",
            error.status_code,
        )
    return EndpointError(f"{where} answered HTTP {error.status_code} ({attempts}): {message}")
