"""Hardening rows, part 2: no hang, a damaged cache, signals, bad values.
One test per row of hardening_matrix.HAZARDS (named test_hazard_<row id>), through the CLI."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hardening_support import (
    REPO,
    ArticleResponder,
    article_dir,
    batch_code,
    child,
    child_env,
    each,
    one_error_line,
    outputs,
    private_device,
    report_of,
    single,
)

from summarise_agent.localserver import LocalChatServer, Reply, error_reply
from conftest import ARTICLE, recorded, run_cli

OK_REPLY = recorded("positions_ok")
HUNG = Reply(delay=30, body=b"{}")



def finished(proc: subprocess.Popen[bytes], timeout: float = 30) -> tuple[int, str]:
    """The child's exit code and stderr; a child still running after TIMEOUT is a hang."""
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError("hung: still running after the signal") from None
    return proc.returncode, err.decode("utf-8", "replace")


def wait_until(ready: Any, what: str, timeout: float = 30.0) -> None:
    """Poll READY() (a loaded machine starts a child slowly: a signal sent before its handlers
    exist would test the kernel's default action, not ours)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert time.monotonic() < deadline, f"never {what}"
        time.sleep(0.05)
    time.sleep(0.2)


def blocked_on_fifo(pid: int) -> bool:
    """Linux: the kernel function the process sleeps in (wait_for_partner, fifo_open...)."""
    try:
        waiting = Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return False
    return any(word in waiting for word in ("partner", "fifo", "pipe"))


# --- hangs -------------------------------------------------------------------------------


def test_hazard_batch_special_inputs(env: Path) -> None:
    source = article_dir(env)
    os.mkfifo(source / "pipe.txt")
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(source / "sock.txt"))
    (source / "null.txt").symlink_to(private_device(env, "null-device", 3))
    manifest = env / "list.txt"
    manifest.write_text(f"{source / 'talks.txt'}\n{source / 'pipe.txt'}\n")
    try:
        with LocalChatServer(ArticleResponder()) as server:
            args = ["batch", str(source), "--out", str(env / "out"), "--base-url", server.base_url]
            code, err = finished(child(args, child_env(env)))
            assert code == batch_code("batch-special-inputs"), err
            for name in ("pipe.txt", "sock.txt", "null.txt"):
                assert re.search(rf"skipped {name}: a (FIFO|socket|character device)", err), err
            assert [p.name.split(".")[0] for p in outputs(env / "out")] == ["talks"]
            listed = ["batch", "--manifest", str(manifest), "--out", str(env / "out2"),
                      "--base-url", server.base_url]  # fmt: skip
            code, err = finished(child(listed, child_env(env)))
            assert code == 8, err  # the FIFO entry fails alone, unopened; the article is written
            reasons = [a["reason"] for a in report_of(env / "out2")["articles"] if a["reason"]]
            assert len(reasons) == 1 and "FIFO" in reasons[0]
    finally:
        listening.close()


def test_hazard_manifest_unbounded(env: Path) -> None:
    huge = env / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(200_000_000)  # sparse

    def check(manifest: str) -> None:
        result = run_cli("batch", "--manifest", manifest, "--out", str(env / "out"))
        assert result.exit_code == batch_code("manifest-unbounded"), result.stderr
        one_error_line(result, "--manifest")

    each(["/dev/zero", str(huge)], check)


def test_hazard_input_fifo_signal(env: Path) -> None:
    fifo = env / "article.txt"
    os.mkfifo(fifo)
    for signum in (signal.SIGTERM, signal.SIGINT):
        proc = child([str(fifo)], child_env(env))
        if Path(f"/proc/{proc.pid}/wchan").exists():
            wait_until(lambda pid=proc.pid: blocked_on_fifo(pid), "blocked opening the FIFO")
        else:
            time.sleep(3)
        proc.send_signal(signum)
        code, err = finished(proc)
        assert code == single("input-fifo-signal"), err
        assert err.strip() == f"summarise: error: interrupted by {signum.name}"


# --- cache -------------------------------------------------------------------------------

DAMAGE = {
    "garbage": lambda path: path.write_bytes(os.urandom(8192)),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[:1000]),
    "text": lambda path: path.write_bytes(b"this is not a database\n" * 100),
}


def test_hazard_cache_damaged_file(env: Path, serve: Any) -> None:
    def check(kind: str) -> None:
        assert run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url).exit_code == 0
        database = env / "cache" / "answers.sqlite3"
        for side in ("-wal", "-shm"):
            Path(f"{database}{side}").unlink(missing_ok=True)
        DAMAGE[kind](database)
        server = serve(OK_REPLY)
        broken = run_cli(str(ARTICLE), "--base-url", server.base_url)
        assert broken.exit_code == single("cache-damaged-file"), broken.stderr
        one_error_line(broken, "summarise cache clear")
        assert server.requests == []
        cleared = run_cli("cache", "clear")
        assert cleared.exit_code == 0, cleared.stderr
        assert run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url).exit_code == 0

    each(list(DAMAGE), check)


BAD_ROWS = ["{not json", "[1, 2, 3]", '"a string"', "{}", '{"summary": 5, "actors": "x"}', "null"]


def test_hazard_cache_bad_row(env: Path, serve: Any) -> None:
    first = run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url)
    assert first.exit_code == 0

    def check(row: str) -> None:
        database = sqlite3.connect(env / "cache" / "answers.sqlite3")
        database.execute("UPDATE answers SET result = ?", (row,))
        database.commit()
        database.close()
        server = serve(OK_REPLY)
        result = run_cli(str(ARTICLE), "--base-url", server.base_url)
        assert result.exit_code == single("cache-bad-row"), result.stderr
        assert len(server.requests) == 1  # a miss: asked again
        assert result.stdout == first.stdout  # the model's answer, not the damaged row
        assert "ignored" in result.stderr and "Traceback" not in result.stderr

    each(BAD_ROWS, check)
    database = sqlite3.connect(env / "cache" / "answers.sqlite3")
    database.execute("UPDATE answers SET result = ?", ("[]",))
    database.commit()
    database.close()
    server = serve(OK_REPLY)
    batch = run_cli("batch", str(article_dir(env)), "--out", str(env / "out"), "--base-url",
                    server.base_url, "--quiet")  # fmt: skip
    assert batch.exit_code == batch_code("cache-bad-row") and len(server.requests) == 1


# --- signals -----------------------------------------------------------------------------


def test_hazard_signal_run(env: Path) -> None:
    with LocalChatServer(lambda request: HUNG) as server:
        for signum in (signal.SIGTERM, signal.SIGINT):
            asked = len(server.requests)
            proc = child([str(ARTICLE), "--base-url", server.base_url], child_env(env))
            wait_until(lambda before=asked: len(server.requests) > before, "sent its request")
            proc.send_signal(signum)
            code, err = finished(proc)
            assert code == single("signal-run"), err
            assert err.strip() == f"summarise: error: interrupted by {signum.name}"


def test_hazard_signal_batch_twice(env: Path) -> None:
    source = env / "in"
    source.mkdir()
    for number in range(4):
        (source / f"a{number}.txt").write_text(f"Article {number}.\n\nTalks went on.\n")
    with LocalChatServer(lambda request: HUNG) as server:
        for signals in ([signal.SIGTERM, signal.SIGTERM], [signal.SIGINT, signal.SIGTERM, signal.SIGTERM, signal.SIGINT]):
            out = env / f"out-{len(signals)}"
            asked = len(server.requests)
            proc = child(["batch", str(source), "--out", str(out), "--base-url", server.base_url],
                         child_env(env))  # fmt: skip
            wait_until(lambda before=asked: len(server.requests) > before, "sent a request")
            for signum in signals:
                proc.send_signal(signum)
                time.sleep(0.2)
            code, err = finished(proc)
            assert code == batch_code("signal-batch-twice"), err
            assert "Traceback" not in err and "exception was never retrieved" not in err, err
            assert report_of(out)["outcome"] == "interrupted"


# --- values ------------------------------------------------------------------------------

NON_FINITE = ["nan", "inf", "-inf", "NaN", "1e999"]


def test_hazard_setting_not_finite(env: Path, serve: Any) -> None:
    server = serve()

    def check(case: tuple[str, str]) -> None:
        flag, value = case
        for command in ([str(ARTICLE)], ["batch", str(article_dir(env)), "--out", str(env / "out")]):
            result = run_cli(*command, flag, value, "--base-url", server.base_url)
            assert result.exit_code == single("setting-not-finite"), result.stderr
            one_error_line(result, flag)
        assert server.requests == []

    each([(flag, value) for flag in ("--temperature", "--timeout") for value in NON_FINITE], check)


def test_hazard_setting_not_finite_env(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server = serve()
    numbers = ["SUMMARISE_TEMPERATURE", "SUMMARISE_TIMEOUT", "SUMMARISE_RETRY_MAX_SECONDS",
               "SUMMARISE_RETRY_INITIAL_WAIT"]  # fmt: skip
    cases = [(name, value) for name in numbers for value in NON_FINITE]
    cases += [("SUMMARISE_MAX_REASKS", "-1"), ("SUMMARISE_RETRY_ATTEMPTS", "0"),
              ("SUMMARISE_CONCURRENCY", "0"), ("SUMMARISE_MODEL", " ")]  # fmt: skip

    def check(case: tuple[str, str]) -> None:
        name, value = case
        with monkeypatch.context() as patched:
            patched.setenv(name, value)
            for command in ([str(ARTICLE)], ["batch", str(article_dir(env)), "--out", str(env / "o")]):
                result = run_cli(*command, "--base-url", server.base_url)
                code = single("setting-not-finite-env") if command[0] != "batch" else batch_code("setting-not-finite-env")
                assert result.exit_code == code, result.stderr
                one_error_line(result, name)
        assert server.requests == []

    each(cases, check)
    (env / "config.toml").write_text("temperature = nan\n")
    result = run_cli(str(ARTICLE), "--base-url", server.base_url)
    assert result.exit_code == single("setting-not-finite-env")
    one_error_line(result, "config.toml", "temperature")


def test_hazard_setting_out_of_range(env: Path, serve: Any) -> None:
    server = serve()
    cases = [("--timeout", "0"), ("--timeout", "-1"), ("--max-reasks", "-3"), ("--temperature", "5"),
             ("--temperature", "-0.5"), ("--model", ""), ("--model", "  "), ("--model", "gpt\n4"),
             ("--base-url", "localhost:8000/v1"), ("--base-url", "http://x\n"), ("--prompt-version", "0")]  # fmt: skip

    def check(case: tuple[str, str]) -> None:
        for command in ([str(ARTICLE)], ["batch", str(article_dir(env)), "--out", str(env / "out")]):
            result = run_cli(*command, "--base-url", server.base_url, *case)  # the case wins
            code = single("setting-out-of-range") if command[0] != "batch" else batch_code("setting-out-of-range")
            assert result.exit_code == code, result.stderr
            one_error_line(result, case[0])
        assert server.requests == []

    each(cases, check)
    batch = run_cli("batch", str(article_dir(env)), "--out", str(env / "out"), "--concurrency", "0")
    assert batch.exit_code == batch_code("setting-out-of-range")


def test_hazard_config_missing(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server = serve()
    (env / "a-directory.toml").mkdir()

    def check(path: Path) -> None:
        monkeypatch.setenv("SUMMARISE_CONFIG", str(path))
        result = run_cli(str(ARTICLE), "--base-url", server.base_url)
        assert result.exit_code == single("config-missing"), result.stderr
        one_error_line(result, str(path))
        batch = run_cli("batch", str(article_dir(env)), "--out", str(env / "out"))
        assert batch.exit_code == batch_code("config-missing"), batch.stderr

    each([env / "missing.toml", env / "a-directory.toml"], check)
    monkeypatch.delenv("SUMMARISE_CONFIG")
    for command in ([str(ARTICLE)], ["batch", str(article_dir(env)), "--out", str(env / "out")]):
        result = run_cli(*command, "--config", str(env / "typo.toml"), "--base-url", server.base_url)
        assert result.exit_code == single("config-missing"), result.stderr
        one_error_line(result, "typo.toml", "no such file")
    assert server.requests == []


RETRY_AFTER_JUNK = ["abc", "nan", "inf", "-inf", "1e999", "Wed, 99 Foo 2015 99:99:99 GMT", ""]


def test_hazard_retry_after_junk(env: Path, serve: Any) -> None:
    def check(value: str) -> None:
        server = serve(error_reply(429, "slow down", None, **{"Retry-After": value}), OK_REPLY)
        result = run_cli(str(ARTICLE), "--base-url", server.base_url, "--no-cache")
        assert result.exit_code == single("retry-after-junk"), result.stderr
        assert len(server.requests) == 2
        out = env / f"out-{len(value)}-{abs(hash(value))}"
        batch_server = serve(error_reply(429, "slow down", None, **{"Retry-After": value}), OK_REPLY)
        batch = run_cli("batch", str(article_dir(env)), "--out", str(out), "--no-cache",
                        "--base-url", batch_server.base_url, "--quiet")  # fmt: skip
        assert batch.exit_code == batch_code("retry-after-junk"), batch.stderr

    each(RETRY_AFTER_JUNK, check)


def test_hazard_stdin_closed(env: Path) -> None:
    proc = subprocess.run(["sh", "-c", '"$0" -m summarise_agent - <&-', sys.executable], env=child_env(env),
                          cwd=REPO, stderr=subprocess.PIPE, timeout=60)  # fmt: skip
    assert proc.returncode == single("stdin-closed"), proc.stderr
    assert proc.stderr.decode().strip() == "summarise: error: stdin is closed: give a FILE, or pipe the article in"


def test_hazard_json_too_deep(env: Path) -> None:
    deep = env / "deep.json"

    def check(shape: str) -> None:
        deep.write_text({"list": "[" * 100_000 + "]" * 100_000,
                         "object": '{"a":' * 100_000 + "1" + "}" * 100_000}[shape])  # fmt: skip
        for args in (["validate", str(deep)], ["show", str(deep)], ["diff", str(deep), str(deep)]):
            result = run_cli(*args)
            assert result.exit_code == single("json-too-deep"), (args, result.stderr)
            one_error_line(result, "nested")

    each(["list", "object"], check)
