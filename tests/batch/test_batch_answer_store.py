"""The pipeline types against the AnswerStore protocol: a different store (here an in-memory
one standing in for a shared PostgreSQL table) plugs in at open_answer_store alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from batch_support import ArticleResponder, write_articles

import summarise_agent.cache
import summarise_agent.pipeline
from summarise_agent.cache import AnswerStore, CacheKey
from summarise_agent.localserver import LocalChatServer
from conftest import run_cli


class SharedStore:
    """What two workers on two machines would share."""

    def __init__(self) -> None:
        self.answers: dict[str, dict[str, Any]] = {}
        self.closed = 0

    def get(self, key: CacheKey) -> dict[str, Any] | None:
        return self.answers.get(key.digest)

    def put(self, key: CacheKey, result: dict[str, Any]) -> bool:
        self.answers[key.digest] = result
        return True

    def close(self) -> None:
        self.closed += 1


def test_two_workers_sharing_a_store_pay_once(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = SharedStore()
    as_protocol: AnswerStore = store  # mypy checks the protocol here
    monkeypatch.setattr(summarise_agent.pipeline, "open_answer_store", lambda settings: as_protocol)
    write_articles(env / "in", 3)
    with LocalChatServer(ArticleResponder()) as server:
        first = run_cli("batch", str(env / "in"), "--out", str(env / "worker-1"),
                        "--base-url", server.base_url)  # fmt: skip
        second = run_cli("batch", str(env / "in"), "--out", str(env / "worker-2"),
                         "--base-url", server.base_url)  # fmt: skip
        asked = len(server.requests)
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr + second.stderr
    assert asked == 3 and len(store.answers) == 3 and store.closed == 2
    names = [p.name for p in (env / "worker-1").glob("[!.]*.json")]
    assert len(names) == 3
    for name in names:
        assert (env / "worker-1" / name).read_bytes() == (env / "worker-2" / name).read_bytes()
    assert not (env / "cache").exists()  # the SQLite cache was never opened


def test_no_cache_means_no_store(env: Path) -> None:
    from summarise_agent.config import resolve_settings

    assert summarise_agent.cache.open_answer_store(resolve_settings({"cache": False})) is None
