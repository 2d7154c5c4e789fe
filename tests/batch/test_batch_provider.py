"""`summarise batch --provider-batch` through the CLI against a fake Files/Batches API served
over HTTP: submit, crash and resume, collect, re-ask online, expiry, cancellation, errors."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import ArticleResponder, batch_command, subprocess_env, write_articles
from fake_batch_api import FakeBatchApi

from conftest import FAKE_API_KEY, CliResult, run_cli
from summarise_agent.batch.provider_state import PROVIDER_STATE_FILE
from summarise_agent.localserver import LocalChatServer


@pytest.fixture
def api() -> Iterator[FakeBatchApi]:
    with FakeBatchApi() as running:
        yield running


def provider_batch(api: FakeBatchApi, env: Path, *extra: str) -> CliResult:
    return run_cli("batch", str(env / "in"), "--out", str(env / "out"), "--base-url",
                   api.base_url, "--provider-batch", *extra)  # fmt: skip


def report_of(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / ".summarise-report.json").read_text(encoding="utf-8")))


def state_of(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / PROVIDER_STATE_FILE).read_text(encoding="utf-8")))


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}


def test_submit_then_collect_writes_the_bytes_of_an_online_run_at_half_price(
    env: Path, api: FakeBatchApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_articles(env / "in", 3)
    submitted = provider_batch(api, env)
    assert submitted.exit_code == 0, submitted.stderr
    assert outputs(env / "out") == {}
    assert report_of(env / "out")["totals"]["pending"] == 3
    (batch_id,) = api.batch_ids()
    assert [b["batch_id"] for b in state_of(env / "out")["batches"]] == [batch_id]
    assert "pending in provider batches" in submitted.stderr

    # the online run of the same articles, into another directory with its own cache
    monkeypatch.setenv("SUMMARISE_CACHE_DIR", str(env / "online-cache"))
    with LocalChatServer(ArticleResponder()) as online:
        result = run_cli("batch", str(env / "in"), "--out", str(env / "online"),
                         "--base-url", online.base_url)  # fmt: skip
        assert result.exit_code == 0, result.stderr
        online_bodies = sorted(json.dumps(body, sort_keys=True) for body in online.requests)
    batch_bodies = sorted(json.dumps(line["body"], sort_keys=True)
                          for line in api.requests_of(batch_id))  # fmt: skip
    assert batch_bodies == online_bodies  # exactly the request the online path sends
    assert all(line["url"] == "/v1/chat/completions" for line in api.requests_of(batch_id))
    monkeypatch.setenv("SUMMARISE_CACHE_DIR", str(env / "cache"))

    pending = provider_batch(api, env)  # still in progress: nothing new, nothing lost
    assert pending.exit_code == 0 and len(api.batch_ids()) == 1
    api.finish(batch_id)
    collected = provider_batch(api, env)
    assert collected.exit_code == 0, collected.stderr
    assert outputs(env / "out") == outputs(env / "online")
    report = report_of(env / "out")
    assert report["totals"]["written"] == 3 and report["totals"]["http_attempts"] == 0
    online_report = report_of(env / "online")
    assert report["totals"]["cost_usd"] == pytest.approx(online_report["totals"]["cost_usd"] / 2)
    assert {a["provider_batch"] for a in report["articles"]} == {batch_id}
    assert state_of(env / "out")["batches"] == [] and api.chat_requests == []
    again = provider_batch(api, env)  # everything current: no new batch
    assert again.exit_code == 0 and report_of(env / "out")["totals"]["skipped"] == 3
    assert len(api.batch_ids()) == 1


def test_a_lost_create_answer_is_found_again_not_submitted_twice(env: Path, api: FakeBatchApi,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    write_articles(env / "in", 2)
    monkeypatch.setenv("SUMMARISE_RETRY_ATTEMPTS", "1")
    api.drop_after["create"] = 1  # the batch is created, the answer never arrives
    failed = provider_batch(api, env)
    assert failed.exit_code == 5 and "summarise: error:" in failed.stderr
    assert len(api.batch_ids()) == 1
    assert state_of(env / "out")["batches"][0]["stage"] == "uploaded"
    resumed = provider_batch(api, env)
    assert resumed.exit_code == 0, resumed.stderr
    assert len(api.batch_ids()) == 1 and len(api.files) == 1  # found by its metadata
    assert state_of(env / "out")["batches"][0]["batch_id"] == api.batch_ids()[0]


@pytest.mark.parametrize("route", ["upload", "create"])
def test_killed_mid_step_the_next_run_resumes_without_a_second_batch(
    env: Path, api: FakeBatchApi, route: str
) -> None:
    write_articles(env / "in", 3)
    api.hold[route] = threading.Event()
    api.arrived[route] = threading.Event()
    args = batch_command(str(env / "in"), "--out", str(env / "out"), "--base-url", api.base_url,
                         "--provider-batch", "-q")  # fmt: skip
    process = subprocess.Popen(args, env=subprocess_env(env, FAKE_API_KEY),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        assert api.arrived[route].wait(30), "the run never reached " + route
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        process.kill()
        api.hold.pop(route).set()
    run = subprocess.run(args, env=subprocess_env(env, FAKE_API_KEY), capture_output=True,
                         text=True, timeout=60, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert len(api.batch_ids()) == 1  # never submitted twice
    # killed after the upload: uploaded again (the first file is an orphan, free); killed
    # after the create: the batch was found by its metadata, nothing uploaded again
    assert len(api.files) == (2 if route == "upload" else 1)
    (batch_id,) = api.batch_ids()
    assert len(api.requests_of(batch_id)) == 3
    api.finish(batch_id)
    assert provider_batch(api, env).exit_code == 0
    assert len(outputs(env / "out")) == 3


def test_an_invalid_batch_answer_is_reasked_online_from_the_original_messages(
    env: Path, api: FakeBatchApi
) -> None:
    write_articles(env / "in", 2)
    assert provider_batch(api, env).exit_code == 0
    (batch_id,) = api.batch_ids()
    broken = api.requests_of(batch_id)[0]["custom_id"]

    def answer(custom_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, completion = api.valid_answer(custom_id, body)
        if custom_id == broken:  # no summary: fails validation
            content = json.loads(completion["choices"][0]["message"]["content"])
            del content["summary"]
            completion["choices"][0]["message"]["content"] = json.dumps(content)
        return status, completion

    api.finish(batch_id, answer)
    result = provider_batch(api, env)
    assert result.exit_code == 0, result.stderr
    assert len(outputs(env / "out")) == 2
    (reask,) = api.chat_requests
    original = next(r["body"] for r in api.requests_of(batch_id) if r["custom_id"] == broken)
    assert reask["messages"][: len(original["messages"])] == original["messages"]
    assert reask["messages"][-2]["role"] == "assistant"
    assert "summary" in reask["messages"][-1]["content"]
    articles = report_of(env / "out")["articles"]
    assert sorted(a["model_calls"] for a in articles) == [1, 2]


def test_an_article_too_long_for_one_request_is_asked_online_in_chunks(
    env: Path, api: FakeBatchApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARISE_CONTEXT_TOKENS", "6000")  # the long article needs chunks
    write_articles(env / "in", 1)
    paragraph = ("The delegations met again on Wednesday, officials said, and the talks on the "
                 "border, the ceasefire and the return of displaced families went on late. ")  # fmt: skip
    long_text = "Talks drag on\n\n" + "\n\n".join(paragraph * 3 for _ in range(60)) + "\n"
    (env / "in" / "long.txt").write_text(long_text, encoding="utf-8")
    result = provider_batch(api, env)
    assert result.exit_code == 0, result.stderr
    (batch_id,) = api.batch_ids()
    assert len(api.requests_of(batch_id)) == 1  # the short article only
    entries = {entry["input"]: entry for entry in report_of(env / "out")["articles"]}
    assert entries["article-0000.txt"]["status"] == "pending"
    long_entry = entries["long.txt"]
    assert long_entry["status"] == "written" and long_entry["chunks"] > 1
    assert long_entry["provider_batch"] is None
    calls = long_entry["model_calls"]
    assert len(api.chat_requests) == calls >= long_entry["chunks"]  # online, chunk by chunk
    record = json.loads((env / "out" / long_entry["output"]).read_text(encoding="utf-8"))
    assert record["settings"]["chunking"]["chunks"] == long_entry["chunks"]
    assert any("too long for one request" in note for note in report_of(env / "out")["notes"])
    again = provider_batch(api, env)  # current now: neither asked again nor batched
    assert again.exit_code == 0 and len(api.chat_requests) == calls
    assert len(api.batch_ids()) == 1


def test_expired_requests_are_sent_again_in_a_new_batch(env: Path, api: FakeBatchApi) -> None:
    write_articles(env / "in", 3)
    assert provider_batch(api, env).exit_code == 0
    (first,) = api.batch_ids()
    api.expire(first, answered=1)
    result = provider_batch(api, env)
    assert result.exit_code == 0, result.stderr
    assert len(outputs(env / "out")) == 1
    _, second = api.batch_ids()
    answered = api.requests_of(first)[0]["custom_id"]
    resent = {line["custom_id"] for line in api.requests_of(second)}
    assert resent == {line["custom_id"] for line in api.requests_of(first)} - {answered}
    assert report_of(env / "out")["totals"]["pending"] == 2
    api.finish(second)
    assert provider_batch(api, env).exit_code == 0
    assert len(outputs(env / "out")) == 3


def test_a_cancelled_batch_is_reported_and_not_resubmitted_until_force(
    env: Path, api: FakeBatchApi
) -> None:
    write_articles(env / "in", 2)
    assert provider_batch(api, env).exit_code == 0
    (batch_id,) = api.batch_ids()
    api.cancel(batch_id)
    cancelled = provider_batch(api, env)
    assert cancelled.exit_code == 8
    assert f"provider batch {batch_id} cancelled" in cancelled.stderr
    again = provider_batch(api, env)
    assert again.exit_code == 8 and "--force sends it" in again.stderr
    assert len(api.batch_ids()) == 1
    forced = provider_batch(api, env, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert len(api.batch_ids()) == 2


def test_error_file_requests_are_resent_when_transient_and_reported_otherwise(
    env: Path, api: FakeBatchApi
) -> None:
    write_articles(env / "in", 3)
    assert provider_batch(api, env).exit_code == 0
    (batch_id,) = api.batch_ids()
    ids = [line["custom_id"] for line in api.requests_of(batch_id)]
    statuses = {ids[0]: 400, ids[1]: 500}

    def answer(custom_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if custom_id in statuses:
            return statuses[custom_id], {"error": {"message": f"failed {statuses[custom_id]}"}}
        return api.valid_answer(custom_id, body)

    api.finish(batch_id, answer)
    result = provider_batch(api, env)
    assert result.exit_code == 8
    assert "HTTP 400" in result.stderr and "failed 400" in result.stderr
    totals = report_of(env / "out")["totals"]
    assert (totals["written"], totals["failed"], totals["pending"]) == (1, 1, 1)
    assert [line["custom_id"] for line in api.requests_of(api.batch_ids()[1])] == [ids[1]]


def test_wait_polls_until_the_batch_ends_then_writes(env: Path, api: FakeBatchApi) -> None:
    write_articles(env / "in", 2)
    api.auto_finish_after = 2
    result = provider_batch(api, env, "--wait", "--poll-interval", "0.01")
    assert result.exit_code == 0, result.stderr
    assert len(outputs(env / "out")) == 2
    assert "in_progress, 0 of" in result.stderr  # progress while waiting


def test_failed_batch_and_no_cache_and_a_corrupt_state_are_clear_errors(
    env: Path, api: FakeBatchApi
) -> None:
    write_articles(env / "in", 1)
    refused = provider_batch(api, env, "--no-cache")
    assert refused.exit_code == 2 and "needs the answer cache" in refused.stderr
    assert provider_batch(api, env).exit_code == 0
    api.fail(api.batch_ids()[0], "line 1: bad request")
    failed = provider_batch(api, env)
    assert failed.exit_code == 8 and "line 1: bad request" in failed.stderr
    (env / "out" / PROVIDER_STATE_FILE).write_text("{not json", encoding="utf-8")
    corrupt = provider_batch(api, env)
    assert corrupt.exit_code == 4 and "Traceback" not in corrupt.stderr
    assert FAKE_API_KEY not in corrupt.stderr + failed.stderr



def test_an_answer_still_invalid_after_the_reasks_fails_and_is_not_paid_for_again(
    env: Path, api: FakeBatchApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARISE_MAX_REASKS", "0")
    write_articles(env / "in", 1)
    assert provider_batch(api, env).exit_code == 0
    (batch_id,) = api.batch_ids()

    def invalid(custom_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, completion = api.valid_answer(custom_id, body)
        completion["choices"][0]["message"]["content"] = '{"summary": 3}'
        return status, completion

    api.finish(batch_id, invalid)
    failed = provider_batch(api, env)
    assert failed.exit_code == 8 and "still invalid" in failed.stderr
    assert api.chat_requests == []  # max_reasks 0: no online re-ask
    again = provider_batch(api, env)
    assert again.exit_code == 8 and "not sent again" in again.stderr
    assert len(api.batch_ids()) == 1


def test_a_request_lost_from_three_batches_is_reported_not_resent_forever(
    env: Path, api: FakeBatchApi
) -> None:
    write_articles(env / "in", 1)
    assert provider_batch(api, env).exit_code == 0
    for expected_batches in (2, 3):
        api.expire(api.batch_ids()[-1], answered=0)
        resent = provider_batch(api, env)
        assert resent.exit_code == 0, resent.stderr
        assert len(api.batch_ids()) == expected_batches
        assert "to be sent again" in " ".join(report_of(env / "out")["notes"])
    api.expire(api.batch_ids()[-1], answered=0)
    given_up = provider_batch(api, env)
    assert given_up.exit_code == 8 and "lost from 3 provider batches" in given_up.stderr
    assert len(api.batch_ids()) == 3
