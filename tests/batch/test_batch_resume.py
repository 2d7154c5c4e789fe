"""Killed and stopped runs: nothing lost, duplicated or corrupt; the next run resumes.
Overlapping runs on one directory: the second exits 9, or waits with --wait."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from batch_support import ArticleResponder, batch_command, subprocess_env, write_articles

from summarise_agent.batch.naming import output_name
from summarise_agent.localserver import LocalChatServer
from conftest import FAKE_API_KEY, run_cli

ARTICLES = 40


def start_batch(env: Path, server: LocalChatServer, *extra: str) -> subprocess.Popen[str]:
    args = batch_command(str(env / "in"), "--out", str(env / "out"), "--base-url",
                         server.base_url, "--concurrency", "4", *extra)  # fmt: skip
    return subprocess.Popen(args, env=subprocess_env(env, FAKE_API_KEY), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the batch"
        time.sleep(0.02)


def written(env: Path) -> set[str]:
    out = env / "out"
    return {p.name for p in out.iterdir() if p.name.endswith(".json") and not p.name.startswith(".")} if out.exists() else set()


def assert_complete_and_valid(env: Path, keys: list[str]) -> None:
    files = sorted(p.name for p in (env / "out").iterdir() if not p.name.startswith("."))
    assert files == sorted(output_name(key) for key in keys)  # none lost, none extra
    for key in keys:
        record = json.loads((env / "out" / output_name(key)).read_text(encoding="utf-8"))
        assert record["source"]["name"] == key and record["checks"]["exact"] == 1
    assert not [p for p in (env / "out").iterdir() if p.name.endswith(".tmp")]


def report(env: Path) -> dict[str, Any]:
    return dict(json.loads((env / "out" / ".summarise-report.json").read_text()))


def test_sigkill_mid_run_then_resume(env: Path) -> None:
    keys = [p.name for p in write_articles(env / "in", ARTICLES)]
    responder = ArticleResponder(delay=0.15)
    with LocalChatServer(responder) as server:
        process = start_batch(env, server)
        wait_until(lambda: len(written(env)) >= 8)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        done_before = written(env)
        assert 8 <= len(done_before) < ARTICLES
        for name in done_before:  # what a killed run wrote is whole
            json.loads((env / "out" / name).read_text(encoding="utf-8"))
        (env / "out" / f".{output_name(keys[-1])}.k1ll3d.tmp").write_text('{"half": ')
        asked_before = len(server.requests)
        result = run_cli("batch", str(env / "in"), "--out", str(env / "out"), "--base-url", server.base_url)
        assert result.exit_code == 0, result.stderr
        assert_complete_and_valid(env, keys)
        resumed = responder.articles[asked_before:]
        assert len(resumed) <= ARTICLES - len(done_before)  # finished ones are not asked again
        notes = report(env)["notes"]
        assert any("killed" in note for note in notes) and any(".k1ll3d.tmp" in note for note in notes)
        statuses = [a["status"] for a in report(env)["articles"]]
        assert statuses.count("skipped") == len(done_before) and "failed" not in statuses


def test_sigterm_stops_cleanly_writes_the_report_and_exits_130(env: Path) -> None:
    keys = [p.name for p in write_articles(env / "in", ARTICLES)]
    with LocalChatServer(ArticleResponder(delay=0.15)) as server:
        process = start_batch(env, server)
        wait_until(lambda: len(written(env)) >= 4)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
        assert process.returncode == 130, stderr
        assert "SIGTERM" in stderr and "the next run resumes" in stderr and "Traceback" not in stderr
        stopped = report(env)
        assert stopped["outcome"] == "interrupted" and stopped["totals"]["not_started"] > 0
        for article in stopped["articles"]:
            assert article["status"] in ("written", "not_started", "interrupted")
            assert (article["status"] == "written") == (article["output"] in written(env))
        result = run_cli("batch", str(env / "in"), "--out", str(env / "out"), "--base-url", server.base_url)
        assert result.exit_code == 0, result.stderr
        assert_complete_and_valid(env, keys)


def test_a_second_run_on_the_same_directory_exits_9_or_waits(env: Path) -> None:
    keys = [p.name for p in write_articles(env / "in", 12)]
    with LocalChatServer(ArticleResponder(delay=0.2)) as server:
        first = start_batch(env, server, "--concurrency", "2")
        lock = env / "out" / ".summarise.lock"
        wait_until(lambda: lock.exists() and f'"pid": {first.pid}' in lock.read_text())
        second = run_cli("batch", str(env / "in"), "--out", str(env / "out"), "--base-url", server.base_url)
        assert second.exit_code == 9, second.stderr
        assert f"another summarise batch run holds the lock (pid {first.pid}" in second.stderr
        assert first.poll() is None  # the first run was not disturbed
        waiting = run_cli("batch", str(env / "in"), "--out", str(env / "out"), "--base-url", server.base_url, "--wait")
        assert first.wait(timeout=20) == 0
        assert waiting.exit_code == 0, waiting.stderr
        assert "waiting for it" in waiting.stderr
        assert report(env)["totals"]["skipped"] == 12  # the waiter found everything done
        assert len(server.requests) == 12  # and asked nothing: only the first run did
        assert_complete_and_valid(env, keys)
