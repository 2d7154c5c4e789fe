"""The fault and bad-input matrices through `summarise batch`, and crash consistency:
SIGKILL at random points of a batch, then resume."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from reliability_matrix import BAD_INPUTS, CLIENT_TIMEOUT, FAULTS, RETRY_ATTEMPTS, BadInput, Fault

from summarise_agent.errors import ExitCode
from summarise_agent.localserver import LocalChatServer
from conftest import ARTICLE, FAKE_API_KEY, recorded, run_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "batch"))
from batch_support import ArticleResponder, subprocess_env, write_articles

REPORT = ".summarise-report.json"


def outputs(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []


def report_articles(out: Path) -> list[dict[str, Any]]:
    return list(json.loads((out / REPORT).read_text(encoding="utf-8"))["articles"])


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault_in_a_batch(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch, fault: Fault) -> None:
    monkeypatch.setenv("SUMMARISE_RETRY_ATTEMPTS", str(RETRY_ATTEMPTS))
    (env / "in").mkdir()
    (env / "in" / "talks.txt").write_bytes(ARTICLE.read_bytes())
    server = serve(*fault.replies)
    out = env / "out"
    result = run_cli("batch", str(env / "in"), "--out", str(out), "--base-url", server.base_url,
                     "--timeout", str(CLIENT_TIMEOUT), "--quiet")  # fmt: skip
    assert result.exit_code == fault.batch_exit_code, result.stderr
    assert len(server.requests) == fault.requests
    (entry,) = report_articles(out)
    if fault.writes_output:
        assert entry["status"] == "written"
        assert [json.loads(p.read_text())["source"]["name"] for p in outputs(out)] == ["talks.txt"]
    else:
        assert entry["status"] == "failed" and entry["reason"]
        assert outputs(out) == []
    assert "Traceback" not in result.stderr
    assert FAKE_API_KEY.encode() not in b"".join(p.read_bytes() for p in out.iterdir() if p.is_file())


BATCH_INPUT_ERRORS = [case for case in BAD_INPUTS if case.batch_exit_code is not None]


@pytest.mark.parametrize("case", BATCH_INPUT_ERRORS, ids=[c.id for c in BATCH_INPUT_ERRORS])
def test_bad_input_in_a_batch(env: Path, serve: Any, case: BadInput) -> None:
    good = env / "good.txt"
    good.write_bytes(ARTICLE.read_bytes())
    server = serve(recorded("positions_ok"))  # one answer: for the good article only
    out = env / "out"
    result = run_cli("batch", str(case.make(env)), str(good), "--out", str(out),
                     "--base-url", server.base_url, "--quiet", "--no-cache")  # fmt: skip
    assert result.exit_code == case.batch_exit_code, result.stderr
    assert "Traceback" not in result.stderr
    if case.batch_exit_code is ExitCode.USAGE:  # an input path that cannot be used at all
        assert case.message in result.stderr and not outputs(out) and server.requests == []
        return
    statuses = {a["input"]: (a["status"], a["reason"]) for a in report_articles(out)}
    assert statuses.pop("good.txt") == ("written", None)
    ((status, reason),) = statuses.values()
    assert status == "failed" and case.message in reason
    assert len(server.requests) == 1  # the bad article cost no request


KILL_TRIALS = 10
ARTICLES = 12


def test_sigkill_at_random_points_then_resume(env: Path) -> None:
    """Ten runs killed at seeded random moments: after each resume every article has exactly
    one whole, valid output, nothing else is in the directory, and the cache is intact."""
    keys = sorted(p.name for p in write_articles(env / "in", ARTICLES))
    rng = random.Random(20261124)
    responder = ArticleResponder(delay=0.15)
    child_env = subprocess_env(env, FAKE_API_KEY)
    with LocalChatServer(responder) as server:
        for trial in range(KILL_TRIALS):
            out = env / f"out-{trial}"
            args = [sys.executable, "-m", "summarise_agent", "batch", str(env / "in"), "--out", str(out),
                    "--base-url", server.base_url, "--concurrency", "3", "--no-cache", "--quiet"]  # fmt: skip
            child = subprocess.Popen(args, env=child_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.3, 1.8))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
            for path in outputs(out):  # whatever the killed run left is whole
                json.loads(path.read_text(encoding="utf-8"))
            resumed = run_cli("batch", str(env / "in"), "--out", str(out), "--base-url",
                              server.base_url, "--quiet")  # fmt: skip
            assert resumed.exit_code == 0, f"trial {trial}: {resumed.stderr}"
            names = [json.loads(p.read_text(encoding="utf-8"))["source"]["name"] for p in outputs(out)]
            assert sorted(names) == keys, f"trial {trial}: lost or duplicated outputs"
            assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    cache = sqlite3.connect(env / "cache" / "answers.sqlite3")
    assert cache.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert cache.execute("SELECT count(*) FROM answers").fetchone()[0] == ARTICLES
