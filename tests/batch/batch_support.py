"""Helpers shared by the batch tests and bench/bench_batch.py (a plain module, not a conftest:
tests/conftest.py is imported by name, and a second `conftest` module would shadow it).

`ArticleResponder` answers any article with a valid `positions` result that quotes the
article's first line, so a batch of arbitrary articles runs end to end against the local
OpenAI-compatible server. It can also refuse over a requests-per-minute limit (with OpenAI's
x-ratelimit-* headers and Retry-After), wait a fixed latency, and fail articles on a marker.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

from summarise_agent.localserver import Reply, error_reply

FAIL_MARKER = "SERVER-ERROR-ALWAYS"  # an article holding this gets HTTP 500, every time
REPO = Path(__file__).resolve().parents[2]
_ARTICLE = re.compile(r"<article>\n(.*?)\n</article>", re.DOTALL)


def first_line(article: str) -> str:
    line = next((line.strip() for line in article.splitlines() if line.strip()), "")
    return line[:200].strip()


def answer_for(article: str) -> dict[str, Any]:
    quote = first_line(article) or article.strip()[:50]
    # the actor is the quote's first word, so actor grounding finds it in the article
    name = next((word for word in re.findall(r"[^\W\d_]+", quote)), "Author")
    return {
        "summary": "The article reports events and the positions taken on them.",
        "actors": [{"id": "the-author", "name": name, "kind": "other", "role": None,
                    "affiliation": None}],
        "positions": [{"actor": "the-author", "topic": "the article's subject", "stance": "neutral",
                       "summary": "The author reports the events.", "evidence": [{"quote": quote}]}],
    }  # fmt: skip


def completion_body(content: str, prompt_chars: int) -> bytes:
    """A Chat Completions body in the shape of tests/fixtures/responses/*.json."""
    prompt_tokens, completion_tokens = prompt_chars // 4, len(content) // 4
    body = {
        "id": "chatcmpl-batch-test", "object": "chat.completion", "created": 1764025200,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content,
                                             "refusal": None, "annotations": []},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens,
                  "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0}},
        "system_fingerprint": "fp_560af6e559",
    }  # fmt: skip
    return json.dumps(body).encode("utf-8")


class ServerRateLimit:
    """The endpoint's side of a requests-per-minute limit: a token bucket holding one second's
    worth, refilled continuously (thread-safe: the server answers on many threads)."""

    def __init__(self, rpm: int) -> None:
        self.rpm = rpm
        self.capacity = max(1.0, rpm / 60.0)
        self._level = self.capacity
        self._updated = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> tuple[bool, dict[str, str]]:
        with self._lock:
            now = time.monotonic()
            per_second = self.rpm / 60.0
            self._level = min(self.capacity, self._level + (now - self._updated) * per_second)
            self._updated = now
            allowed = self._level >= 1.0
            if allowed:
                self._level -= 1.0
            to_full = (self.capacity - self._level) / per_second
            headers = {
                "x-ratelimit-limit-requests": str(self.rpm),
                "x-ratelimit-remaining-requests": str(int(self._level)),
                "x-ratelimit-reset-requests": f"{int(to_full * 1000)}ms",
            }
            if not allowed:
                headers["retry-after-ms"] = str(int((1.0 - self._level) / per_second * 1000) + 1)
            return allowed, headers


class ArticleResponder:
    """Answers every article validly after `delay` seconds; see the module docstring."""

    def __init__(self, delay: float = 0.0, rpm: int = 0) -> None:
        self.delay = delay
        self.limit = ServerRateLimit(rpm) if rpm else None
        self.refused = 0
        self.answered = 0
        self.articles: list[str] = []  # first line of every article asked about
        self._lock = threading.Lock()

    def __call__(self, request: dict[str, Any]) -> Reply:
        headers: dict[str, str] = {}
        if self.limit is not None:
            allowed, headers = self.limit.take()
            if not allowed:
                with self._lock:
                    self.refused += 1
                return error_reply(429, "Rate limit reached for requests", "rate_limit_exceeded",
                                   **headers)  # fmt: skip
        text = "\n".join(str(m.get("content") or "") for m in request["messages"])
        found = _ARTICLE.search(text)
        article = found.group(1) if found else ""
        if FAIL_MARKER in article:
            return Reply(500, b'{"error": {"message": "upstream exploded"}}', delay=self.delay)
        with self._lock:
            self.answered += 1
            self.articles.append(first_line(article))
        content = json.dumps(answer_for(article), ensure_ascii=False)
        return Reply(200, completion_body(content, len(text)), headers, delay=self.delay)


def write_articles(directory: Path, count: int, *, prefix: str = "article") -> list[Path]:
    """`count` small distinct articles, each with its own headline as first line."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = directory / f"{prefix}-{number:04d}.txt"
        path.write_text(
            f"Ministers meet for round {number} of the {prefix} talks\n\n"
            f"The talks, number {number}, continued on Tuesday. Officials said progress was "
            f"slow but steady. A further meeting is planned.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def subprocess_env(tmp: Path, api_key: str, **extra: str) -> dict[str, str]:
    """Environment for `python -m summarise_agent batch` in a child process: fake key, private cache
    and config, fast retries."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARISE_", "OPENAI_"))}
    (tmp / "empty-config.toml").write_bytes(b"")  # a named config file must exist
    return {
        **base, "OPENAI_API_KEY": api_key, "SUMMARISE_CACHE_DIR": str(tmp / "cache"),
        "SUMMARISE_CONFIG": str(tmp / "empty-config.toml"), "SUMMARISE_RETRY_INITIAL_WAIT": "0.01",
        "SUMMARISE_RETRY_MAX_SECONDS": "20", "SUMMARISE_TIMEOUT": "10",
        "PYTHONPATH": str(REPO), **extra,
    }  # fmt: skip


def batch_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "summarise_agent", "batch", *args]
