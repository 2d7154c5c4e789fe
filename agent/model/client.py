"""`ModelClient`: ask for a schema-shaped answer, re-ask with feedback, in the server's dialect.

It is the one entry to the model layer: callers pass the original messages and the schema and
get an `Answer`; which dialect is spoken, how the request and re-ask look, and how the body is
read stay in here. When the server rejects a request's shape (failures.RequestRejected), the
next candidate dialect is tried (auto), or the rejection is one clear error naming the mode.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from summarise_agent.errors import EndpointError
from summarise_agent.model.answer import Answer, CutOffAnswer, parse_body, read_answer
from summarise_agent.model.dialects import Dialect, ModelSettings, OutputMode
from summarise_agent.model.failures import RequestRejected
from summarise_agent.model.salvage import complete_prefix
from summarise_agent.model.transport import Transport
from summarise_agent.schema_registry import SchemaSpec

log = logging.getLogger(__name__)


class ModelClient:
    def __init__(
        self,
        transport: Transport,
        settings: ModelSettings,
        candidates: list[Dialect],
        *,
        mode: str = "auto",
        on_fallback: Callable[[Dialect], None] | None = None,
    ) -> None:
        if not candidates:
            raise EndpointError(f"--mode {mode}: no dialect of this server offers it")
        self._transport = transport
        self.settings = settings
        self._candidates = candidates
        self._current = 0
        self._mode = mode
        self._on_fallback = on_fallback
        self.endpoint = transport.endpoint

    @property
    def dialect(self) -> Dialect:
        return self._candidates[self._current]

    async def ask(self, messages: list[dict[str, Any]], schema: SchemaSpec) -> Answer:
        return await self._exchange(messages, schema, None, "")

    async def reask(
        self, messages: list[dict[str, Any]], schema: SchemaSpec, previous: Answer, feedback: str
    ) -> Answer:
        """The original messages, the previous answer, then `feedback` naming its problems:
        rebuilt from the original every time, so the history never grows."""
        return await self._exchange(messages, schema, previous, feedback)

    async def close(self) -> None:
        await self._transport.close()

    async def _exchange(
        self,
        messages: list[dict[str, Any]],
        schema: SchemaSpec,
        previous: Answer | None,
        feedback: str,
    ) -> Answer:
        rejected_attempts = 0
        while True:
            dialect = self.dialect
            followup = (
                dialect.reask_turns(previous.text, previous.turn, feedback) if previous else None
            )
            body = dialect.request(messages, schema, self.settings, followup)
            try:
                delivery = await self._transport.send(body)
            except RequestRejected as rejection:
                rejected_attempts += 1
                self._fall_back(rejection)
                continue
            try:
                answer = read_answer(
                    parse_body(delivery.raw, self.endpoint),
                    tools=dialect.mode is OutputMode.TOOLS,
                    max_tokens=self.settings.max_output_tokens,
                )
            except CutOffAnswer as cut:
                # said before salvage may re-raise it: a failed answer's tokens are still paid for
                cut.answer = replace(cut.answer, http_attempts=delivery.http_attempts
                                     + rejected_attempts, dialect=dialect.name)  # fmt: skip
                answer = self._salvaged(cut, schema, dialect)
            attempts = delivery.http_attempts + rejected_attempts
            return replace(answer, http_attempts=attempts, dialect=dialect.name)

    def _salvaged(self, cut: CutOffAnswer, schema: SchemaSpec, dialect: Dialect) -> Answer:
        """The complete part of an answer cut off at the cap, said out loud; the cut-off error
        when the dialect does not constrain the answer to the schema or nothing valid is left."""
        salvage = complete_prefix(cut.answer.text, schema.model) if dialect.constrained else None
        if salvage is None:
            raise cut
        log.warning(
            "the model's answer was cut off at the output cap (%d tokens): kept its complete "
            "items (%d of %d characters) and dropped the unfinished rest; --max-output-tokens "
            "raises the cap",
            self.settings.max_output_tokens, salvage.kept_chars, salvage.total_chars,
        )  # fmt: skip
        return replace(cut.answer, text=salvage.text, truncated=True)

    def _fall_back(self, rejection: RequestRejected) -> None:
        tried = ", ".join(dialect.name for dialect in self._candidates[: self._current + 1])
        if self._current + 1 >= len(self._candidates):
            hint = (
                f"no structured-output dialect was accepted (tried {tried})"
                if self._mode == "auto"
                else f"this server does not accept --mode {self._mode} (tried {tried}); "
                "try --mode auto"
            )
            raise RequestRejected(f"{rejection.message}; {hint}", rejection.status) from None
        self._current += 1
        log.info("%s; trying the %s dialect", rejection.message, self.dialect.name)
        if self._on_fallback is not None:
            self._on_fallback(self.dialect)
