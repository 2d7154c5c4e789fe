"""Shared test harness: a local OpenAI-compatible server with scripted replies, and the CLI.

Tests script the exact sequence of replies (recorded bodies, HTTP errors, delays, dropped
connections) and assert on what came out and on every request the server received.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from summarise_agent.cli import main
from summarise_agent.localserver import LocalChatServer, Reply, error_reply

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = FIXTURES / "articles" / "fisheries-talks.txt"
FAKE_API_KEY = "sk-test-FAKEKEY-0123456789abcdefXYZ"  # recognisable: must never be printed


def recorded(name: str, **headers: str) -> Reply:
    """A recorded Chat Completions body from tests/fixtures/responses, served byte for byte."""
    return Reply(status=200, body=(FIXTURES / "responses" / f"{name}.json").read_bytes(), headers=headers)


class ScriptedResponder:
    """Answers requests with the scripted replies, in order; past the script, a loud 500."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = list(replies)

    def __call__(self, request: dict[str, Any]) -> Reply:
        if not self.replies:
            return error_reply(500, "test script exhausted: unexpected extra request", "test")
        return self.replies.pop(0)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment: fake key, private cache and config, fast retries. Returns tmp."""
    for name in list(__import__("os").environ):
        if name.startswith(("SUMMARISE_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("SUMMARISE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "config.toml").write_bytes(b"")  # a named config file must exist
    monkeypatch.setenv("SUMMARISE_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("SUMMARISE_RETRY_INITIAL_WAIT", "0.01")
    monkeypatch.setenv("SUMMARISE_RETRY_MAX_SECONDS", "20")
    monkeypatch.setenv("SUMMARISE_TIMEOUT", "5")
    return tmp_path


@pytest.fixture
def serve() -> Iterator[Any]:
    """serve(*replies) starts a local server answering with those replies; returns it."""
    servers: list[LocalChatServer] = []

    def start(*replies: Reply) -> LocalChatServer:
        server = LocalChatServer(ScriptedResponder(list(replies))).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def run_cli(*args: str, stdin: bytes | None = None) -> CliResult:
    """Run `summarise ARGS` in this process; stdout and stderr captured as text."""
    out = io.BytesIO()
    err = io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8")
    stdin_stream = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8")
    saved = sys.stdout, sys.stdin
    sys.stdout, sys.stdin = stdout, stdin_stream
    code = 0
    try:
        with redirect_stderr(err):
            main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        stdout.flush()
        sys.stdout, sys.stdin = saved
    return CliResult(code, out.getvalue().decode("utf-8"), err.getvalue())
