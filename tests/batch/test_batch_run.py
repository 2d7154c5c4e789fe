"""`summarise batch` in process against the local server: outputs, skips, failures, report."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import FAIL_MARKER, ArticleResponder, first_line, write_articles

from summarise_agent.batch.naming import is_output_name, output_name
from summarise_agent.localserver import LocalChatServer, error_reply
from conftest import ARTICLE, FAKE_API_KEY, run_cli


@pytest.fixture
def server() -> Iterator[LocalChatServer]:
    with LocalChatServer(ArticleResponder()) as running:
        yield running


def batch(server: LocalChatServer, *args: str | Path) -> Any:
    return run_cli("batch", *map(str, args), "--base-url", server.base_url)


def report_of(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / ".summarise-report.json").read_text(encoding="utf-8")))


def outputs(out: Path) -> list[str]:
    return sorted(path.name for path in out.iterdir() if not path.name.startswith("."))


def test_one_valid_output_per_article_named_from_its_relative_path(env: Path, server: Any) -> None:
    write_articles(env / "in" / "world", 3)
    (env / "in" / "talks.txt").write_bytes(ARTICLE.read_bytes())
    result = batch(server, env / "in", "--out", env / "out")
    assert result.exit_code == 0, result.stderr
    names = outputs(env / "out")
    assert names == sorted(output_name(key) for key in (
        "talks.txt", "world/article-0000.txt", "world/article-0001.txt", "world/article-0002.txt"))
    assert all(is_output_name(name) and name.startswith(("talks.", "world__")) for name in names)
    record = json.loads((env / "out" / output_name("world/article-0001.txt")).read_text())
    assert record["source"]["name"] == "world/article-0001.txt"
    assert record["checks"]["exact"] == 1 and record["checks"]["not_found"] == 0
    assert len(server.requests) == 4


def test_rerun_skips_current_outputs_and_redoes_changed_ones(env: Path, server: Any) -> None:
    paths = write_articles(env / "in", 4)
    assert batch(server, env / "in", "--out", env / "out").exit_code == 0
    before = {name: (env / "out" / name).read_bytes() for name in outputs(env / "out")}
    paths[2].write_text("A different headline entirely\n\nNew text.\n", encoding="utf-8")
    result = batch(server, env / "in", "--out", env / "out")
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 5  # four, then only the changed one
    assert server.requests[-1]["messages"][1]["content"].count("A different headline") == 1
    after = {name: (env / "out" / name).read_bytes() for name in outputs(env / "out")}
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [output_name("article-0002.txt")]
    statuses = {a["input"]: a["status"] for a in report_of(env / "out")["articles"]}
    assert statuses["article-0002.txt"] == "written" and statuses["article-0000.txt"] == "skipped"


def test_corrupt_output_is_redone_and_force_redoes_everything(env: Path, server: Any) -> None:
    write_articles(env / "in", 2)
    batch(server, env / "in", "--out", env / "out")
    corrupt = env / "out" / output_name("article-0001.txt")
    good = corrupt.read_bytes()
    corrupt.write_bytes(good[: len(good) // 2])
    assert batch(server, env / "in", "--out", env / "out", "--no-cache").exit_code == 0
    assert corrupt.read_bytes() == good and len(server.requests) == 3
    assert batch(server, env / "in", "--out", env / "out", "--force").exit_code == 0
    assert len(server.requests) == 3  # --force rewrites from the cache: no request
    assert report_of(env / "out")["totals"]["written"] == 2


def test_cache_serves_a_rerun_into_another_directory(env: Path, server: Any) -> None:
    write_articles(env / "in", 3)
    batch(server, env / "in", "--out", env / "first")
    result = batch(server, env / "in", "--out", env / "second")
    assert result.exit_code == 0 and len(server.requests) == 3
    for name in outputs(env / "first"):
        assert (env / "first" / name).read_bytes() == (env / "second" / name).read_bytes()
    assert all(a["cache_hit"] for a in report_of(env / "second")["articles"])


def test_good_bad_and_failing_articles_are_reported_with_reasons(env: Path, server: Any) -> None:
    write_articles(env / "in", 3)
    (env / "in" / "empty.txt").write_bytes(b"")
    (env / "in" / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 50)
    (env / "in" / "doomed.txt").write_text(f"Headline\n\n{FAIL_MARKER}\n", encoding="utf-8")
    result = batch(server, env / "in", "--out", env / "out")
    assert result.exit_code == 8, result.stderr
    assert "3 of 6 articles failed" in result.stderr and "Traceback" not in result.stderr
    assert outputs(env / "out") == sorted(output_name(f"article-000{n}.txt") for n in range(3))
    articles = {a["input"]: a for a in report_of(env / "out")["articles"]}
    assert {k: a["status"] for k, a in articles.items() if a["status"] != "written"} == {
        "empty.txt": "failed", "binary.txt": "failed", "doomed.txt": "failed"}
    assert "empty" in articles["empty.txt"]["reason"] and articles["empty.txt"]["error"] == "input"
    assert articles["binary.txt"]["error"] == "input" and articles["binary.txt"]["http_attempts"] == 0
    doomed = articles["doomed.txt"]
    assert doomed["error"] == "endpoint" and "HTTP 500" in doomed["reason"]
    assert doomed["http_attempts"] == 5  # every attempt counted, though none succeeded


def test_report_totals_tokens_cost_and_permissions(env: Path, server: Any) -> None:
    write_articles(env / "in", 2)
    report_path = env / "elsewhere" / "run.json"
    result = batch(server, env / "in", "--out", env / "out", "--report", report_path)
    assert result.exit_code == 0, result.stderr
    assert not (env / "out" / ".summarise-report.json").exists()
    assert stat.S_IMODE(os.stat(report_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(env / "out" / ".summarise.lock").st_mode) == 0o600
    report = json.loads(report_path.read_text())
    totals, article = report["totals"], report["articles"][0]
    assert report["outcome"] == "completed" and totals["written"] == 2
    assert totals["prompt_tokens"] == sum(a["prompt_tokens"] for a in report["articles"]) > 0
    assert article["http_attempts"] == 1 and article["model_calls"] == 1
    expected = (article["prompt_tokens"] * 0.15 + article["completion_tokens"] * 0.60) / 1e6
    assert article["cost_usd"] == pytest.approx(expected, abs=1e-6)
    assert "2 written, 0 skipped" in result.stderr and "report: " in result.stderr


def test_price_table_override(env: Path, server: Any) -> None:
    write_articles(env / "in", 1)
    prices = env / "prices.toml"
    prices.write_text('["gpt-4o-mini"]\ninput = 1000000\noutput = 0\n', encoding="utf-8")
    batch(server, env / "in", "--out", env / "out", "--prices", prices)
    article = report_of(env / "out")["articles"][0]
    assert article["cost_usd"] == pytest.approx(article["prompt_tokens"])


def test_manifests_jsonl_and_text(env: Path, server: Any) -> None:
    paths = write_articles(env / "pool", 3)
    (env / "list.txt").write_text(f"# tonight\npool/{paths[0].name}\n\n{paths[1]}\n")
    (env / "list.jsonl").write_text(json.dumps({"path": f"pool/{paths[2].name}", "id": "desk/x"}) + "\n")
    result = batch(server, "--manifest", env / "list.txt", "--manifest", env / "list.jsonl", "--out", env / "out")
    assert result.exit_code == 0, result.stderr
    keys = sorted(a["input"] for a in report_of(env / "out")["articles"])
    assert keys == sorted(["pool/article-0000.txt", str(paths[1]).lstrip("/"), "desk/x"])
    assert output_name("desk/x") in outputs(env / "out")


def test_include_exclude_and_hidden_files(env: Path, server: Any) -> None:
    write_articles(env / "in", 2)
    write_articles(env / "in" / "drafts", 2)
    (env / "in" / ".hidden.txt").write_text("Secret\n")
    (env / "in" / "notes.csv").write_text("a,b\n")
    result = batch(server, env / "in", "--out", env / "in" / "out", "--exclude", "drafts/*")
    assert result.exit_code == 0, result.stderr
    assert sorted(a["input"] for a in report_of(env / "in" / "out")["articles"]) == [
        "article-0000.txt", "article-0001.txt"]
    # the output directory inside the input directory is not read back as input
    again = batch(server, env / "in", "--out", env / "in" / "out", "--include", "*.json")
    assert again.exit_code == 0 and report_of(env / "in" / "out")["totals"]["articles"] == 0


def test_usage_errors_exit_2_with_one_line(env: Path, server: Any) -> None:
    missing = batch(server, env / "nowhere", "--out", env / "out")
    assert missing.exit_code == 2 and "no such file or directory" in missing.stderr
    nothing = run_cli("batch", "--out", str(env / "out"))
    assert nothing.exit_code == 2 and "give article files" in nothing.stderr
    write_articles(env / "a", 1)
    write_articles(env / "b", 1)
    clash = batch(server, env / "a" / "article-0000.txt", env / "b" / "article-0000.txt", "--out", env / "out")
    assert clash.exit_code == 2 and "would both be written as" in clash.stderr
    for result in (missing, nothing, clash):
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_api_key_never_in_outputs_report_or_logs(env: Path, server: Any) -> None:
    write_articles(env / "in", 2)
    (env / "in" / "doomed.txt").write_text(f"Headline\n\n{FAIL_MARKER}\n", encoding="utf-8")
    result = batch(server, env / "in", "--out", env / "out", "-vv")
    everything = result.stdout + result.stderr
    everything += "".join(path.read_text() for path in (env / "out").iterdir())
    assert FAKE_API_KEY not in everything and "Traceback" not in everything


def test_first_line_helper_quotes_the_headline() -> None:
    assert first_line("\n  Talks resume  \nBody.") == "Talks resume"


def test_state_file_spares_cleaning_only_for_the_same_bytes_and_cleaner(env: Path, server: Any) -> None:
    paths = write_articles(env / "in", 3)
    batch(server, env / "in", "--out", env / "out")
    state_path = env / "out" / ".summarise-state.json"
    assert stat.S_IMODE(os.stat(state_path).st_mode) == 0o600
    state = json.loads(state_path.read_text())
    name = output_name(paths[0].name)
    state["inputs"][name]["text"] = "0" * 64  # a lie: trusted, since the raw bytes match
    state_path.write_text(json.dumps(state))
    assert batch(server, env / "in", "--out", env / "out", "--no-cache").exit_code == 0
    assert len(server.requests) == 4  # the article the state lied about was redone
    state = json.loads(state_path.read_text())
    state["cleaner"], state["inputs"][name]["text"] = "another cleaner", "0" * 64
    state_path.write_text(json.dumps(state))
    assert batch(server, env / "in", "--out", env / "out").exit_code == 0
    assert len(server.requests) == 4  # another cleaner: the state is ignored, texts re-cleaned
    assert report_of(env / "out")["totals"]["skipped"] == 3


def test_missing_api_key_stops_the_run_with_exit_4(env: Path, server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    write_articles(env / "in", 5)
    result = batch(server, env / "in", "--out", env / "out", "--concurrency", "1")
    assert result.exit_code == 4 and "no API key" in result.stderr.splitlines()[-1]
    report = report_of(env / "out")
    assert report["outcome"] == "aborted" and report["totals"]["failed"] == 1
    assert report["totals"]["not_started"] == 4 and server.requests == []


def test_unwritable_out_is_a_usage_error(env: Path, server: Any) -> None:
    write_articles(env / "in", 1)
    (env / "file").write_text("not a directory")
    result = batch(server, env / "in", "--out", env / "file" / "sub")
    assert result.exit_code == 2 and "cannot be created" in result.stderr


def test_after_a_429_a_limiter_wait_past_retry_max_seconds_fails_the_article(
    env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARISE_RETRY_MAX_SECONDS", "5")
    write_articles(env / "in", 1)
    refusing = serve(error_reply(429, "Rate limit reached", "rate_limit_exceeded",
                                 **{"retry-after": "0"}))  # fmt: skip
    result = run_cli("batch", str(env / "in"), "--out", str(env / "out"), "--base-url",
                     refusing.base_url, "--rpm", "1")  # fmt: skip
    assert result.exit_code == 8  # the retry's slot is a minute away: past the 5 s budget
    assert len(refusing.requests) == 1
    assert "past its retry budget of 5s" in result.stderr
