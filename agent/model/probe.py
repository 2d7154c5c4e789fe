"""Which server family answers at a base URL, asked once and remembered.

The family decides which dialects `--mode auto` tries first (dialects.FAMILY_ORDER). Known
hosted APIs are recognised by host name, with no request. Any other base URL gets one
`GET {base_url}/models` (cheap, no tokens): llama-cpp-python lists its models as owned by
"me", llama.cpp's llama-server by "llamacpp", vLLM by "vllm", Ollama by "library". The result,
and the dialect a rejected request fell back to, are remembered per base URL in
`servers.json` in the user's cache dir (once the answer cache has made it), so later runs
(and warm cache hits) send no probe.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from summarise_agent.output import write_atomically

log = logging.getLogger(__name__)

MEMORY_FILE_NAME = "servers.json"
PROBE_READ_TIMEOUT = 10.0
OPENAI_HOSTS = ("api.openai.com", ".openai.azure.com", ".cognitiveservices.azure.com")
OWNED_BY_FAMILY = {
    "me": "llama-cpp-python",
    "llamacpp": "llama-server",
    "vllm": "vllm",
    "library": "ollama",
    "ollama": "ollama",
    "openai": "openai",
    "system": "openai",
    "openai-internal": "openai",
}


def family_by_host(base_url: str | None) -> str | None:
    host = urlsplit(base_url or "https://api.openai.com/v1").hostname or ""
    return "openai" if host.endswith(OPENAI_HOSTS) else None


class ServerMemory:
    """servers.json: {base_url: {"family": ..., "dialects": {"model|mode": dialect}}}."""

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / MEMORY_FILE_NAME if directory else None
        self._entries: dict[str, Any] = self._load()

    def _load(self) -> dict[str, Any]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a damaged memory is only a lost shortcut: probe again
        return entries if isinstance(entries, dict) else {}

    def family(self, base_url: str) -> str | None:
        value = self._entries.get(base_url, {}).get("family")
        return value if isinstance(value, str) else None

    def dialect(self, base_url: str, choice: str) -> str | None:
        value = self._entries.get(base_url, {}).get("dialects", {}).get(choice)
        return value if isinstance(value, str) else None

    def remember(self, base_url: str, *, family: str | None = None,
                 choice: str | None = None, dialect: str | None = None) -> None:  # fmt: skip
        entry = self._entries.setdefault(base_url, {})
        if family is not None:
            entry["family"] = family
        if choice is not None and dialect is not None:
            entry.setdefault("dialects", {})[choice] = dialect
        if self.path is None or not self.path.parent.is_dir():
            return  # the answer cache makes the directory; without it, probe once per run
        try:
            text = json.dumps(self._entries, indent=2, sort_keys=True) + "\n"
            write_atomically(self.path, text.encode("utf-8"), mode=0o600)
        except OSError as error:  # remembering is an optimisation, never a failure
            log.info("cannot remember the server's dialect in %s: %s", self.path, error)


def probe_family(base_url: str, api_key: str | None, connect_timeout: float) -> str | None:
    """The family that answers GET /models; None when the probe could not tell."""
    # a key no HTTP header can carry is reported when a request needs it (config.checked_api_key)
    usable = api_key and all("\x21" <= char <= "\x7e" for char in api_key)
    headers = {"Authorization": f"Bearer {api_key}"} if usable else {}
    timeout = httpx.Timeout(PROBE_READ_TIMEOUT, connect=connect_timeout)
    try:
        response = httpx.get(base_url.rstrip("/") + "/models", headers=headers, timeout=timeout)
    except httpx.HTTPError as error:
        log.info("probe of %s/models failed: %s", base_url, type(error).__name__)
        return None
    for owner in sorted(_owners(response)):
        if owner in OWNED_BY_FAMILY:
            return OWNED_BY_FAMILY[owner]
    return "unknown"  # it answered, but not as a server we know: the generic order


def _owners(response: httpx.Response) -> set[str]:
    try:
        listed = response.json().get("data") if response.status_code == 200 else None
    except (ValueError, AttributeError):
        return set()
    models = listed if isinstance(listed, list) else []
    return {str(model.get("owned_by", "")).lower() for model in models if isinstance(model, dict)}
