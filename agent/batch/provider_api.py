"""The provider's Files and Batches endpoints (OpenAI's `/v1/files`, `/v1/batches`; also served
by Azure OpenAI and some gateways), through the openai SDK with our transport retries.

Creating a batch is the one step that must not happen twice: `find_or_create` first looks for
a batch carrying our local id in its metadata (created by an earlier attempt whose answer was
lost to a crash or a dropped connection), and each retry does the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from summarise_agent.batch.model_adapter import describe_sdk_error, with_transport_retries
from summarise_agent.errors import ConfigError, EndpointError
from summarise_agent.pipeline import RunContext

BATCH_ENDPOINT: Final[Literal["/v1/chat/completions"]] = "/v1/chat/completions"
COMPLETION_WINDOW: Final[Literal["24h"]] = "24h"
METADATA_KEY = "summarise_local_id"
TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
_LIST_SLACK_SECONDS = 600.0  # clocks differ: look a little before our upload time


@dataclass(frozen=True)
class RemoteBatch:
    id: str
    status: str
    output_file_id: str | None
    error_file_id: str | None
    errors: list[str]
    counts: dict[str, int]  # total, completed, failed

    @classmethod
    def of(cls, batch: Any) -> RemoteBatch:
        errors = [str(getattr(item, "message", item)) for item in
                  (getattr(batch.errors, "data", None) or [])] if batch.errors else []  # fmt: skip
        counts = batch.request_counts
        numbers = {"total": counts.total, "completed": counts.completed,
                   "failed": counts.failed} if counts else {}  # fmt: skip
        return cls(batch.id, batch.status, batch.output_file_id, batch.error_file_id,
                   errors, numbers)  # fmt: skip


class ProviderApi:
    def __init__(self, run: RunContext) -> None:
        import openai

        s = run.settings
        if not s.api_key:
            raise ConfigError("no API key: set OPENAI_API_KEY")
        self._run = run
        self._sdk = openai.AsyncOpenAI(api_key=s.api_key, base_url=s.base_url,
                                       timeout=s.timeout, max_retries=0)  # fmt: skip
        self.where = str(self._sdk.base_url)

    async def upload(self, name: str, data: bytes) -> str:
        file = await self._call(self._sdk.files.create, file=(name, data), purpose="batch")
        return str(file.id)

    async def find_or_create(self, file_id: str, local_id: str, since: float) -> RemoteBatch:
        async def attempt() -> Any:
            found = await self._find(local_id, since)
            if found is not None:
                return found
            return await self._sdk.batches.create(
                input_file_id=file_id, endpoint=BATCH_ENDPOINT,
                completion_window=COMPLETION_WINDOW, metadata={METADATA_KEY: local_id},
            )  # fmt: skip

        return RemoteBatch.of(await self._call(attempt))

    async def retrieve(self, batch_id: str) -> RemoteBatch:
        return RemoteBatch.of(await self._call(self._sdk.batches.retrieve, batch_id))

    async def content(self, file_id: str) -> bytes:
        response = await self._call(self._sdk.files.content, file_id)
        return bytes(response.content)

    async def close(self) -> None:
        await self._sdk.close()

    async def _find(self, local_id: str, since: float) -> Any:
        """Our batch if it exists: the list is newest first, stop at batches older than ours."""
        async for batch in self._sdk.batches.list(limit=100):
            if (batch.metadata or {}).get(METADATA_KEY) == local_id:
                return batch
            if batch.created_at < since - _LIST_SLACK_SECONDS:
                return None
        return None

    async def _call(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        import openai

        try:
            return await with_transport_retries(self._run, call, *args, **kwargs)
        except openai.AuthenticationError:
            raise ConfigError(f"{self.where} rejected the API key (HTTP 401)") from None
        except openai.OpenAIError as error:
            raise EndpointError(describe_sdk_error(error, self.where)) from None
