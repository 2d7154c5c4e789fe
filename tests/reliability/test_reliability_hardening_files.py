"""Hardening rows, part 1: files never destroyed, the key never leaked, no paid answer lost.
One test per row of hardening_matrix.HAZARDS (named test_hazard_<row id>), through the CLI."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hardening_support import (
    REPO,
    WRITE_ERRORS,
    article_dir,
    batch_code,
    child,
    child_env,
    each,
    failing_writes,
    one_error_line,
    outputs,
    private_device,
    report_of,
    single,
)

from summarise_agent.localserver import LocalChatServer, error_reply
from conftest import ARTICLE, FAKE_API_KEY, recorded, run_cli

OK_REPLY = recorded("positions_ok")



# --- files -------------------------------------------------------------------------------


def test_hazard_output_device(env: Path, serve: Any) -> None:
    null = private_device(env, "null", 3)
    link = env / "null-link.json"
    link.symlink_to(null)

    def check(target: str) -> None:
        result = run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", target)
        assert result.exit_code == single("output-device"), result.stderr
        assert stat.S_ISCHR(null.lstat().st_mode) and link.is_symlink()

    each([str(null), str(link)], check)
    assert not list(null.parent.glob(f".{null.name}.*.tmp"))
    batch = run_cli("batch", str(article_dir(env)), "--out", str(env / "out"), "--report", str(null),
                    "--base-url", serve(OK_REPLY).base_url, "--quiet")  # fmt: skip
    assert batch.exit_code == batch_code("output-device"), batch.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)
    # /dev/fd/1 (like /dev/stdout) names a descriptor: written through to whatever stdout is,
    # a file or a pipe, never renamed over. (/dev/fd, not /dev/stdout, so that a broken build
    # running this test cannot replace the machine's /dev/stdout: /dev/fd/ takes no new files.)
    with LocalChatServer(lambda request: OK_REPLY) as server:
        for stdout in ((env / "stdout.json").open("wb"), subprocess.PIPE):
            proc = child([str(ARTICLE), "--base-url", server.base_url, "-o", "/dev/fd/1"],
                         child_env(env), stdout=stdout)  # fmt: skip
            piped, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            if stdout is subprocess.PIPE:
                assert json.loads(piped)["result"]
            else:
                stdout.close()  # type: ignore[union-attr]
                assert json.loads((env / "stdout.json").read_bytes())["result"]


def test_hazard_output_fifo(env: Path, serve: Any) -> None:
    fifo = env / "pipe.json"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", str(fifo))
    assert result.exit_code == single("output-fifo"), result.stderr
    assert json.loads(reader.communicate(timeout=30)[0])["result"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    server = serve(OK_REPLY)
    nobody = run_cli(str(ARTICLE), "--base-url", server.base_url, "-o", str(fifo), "--no-cache")
    assert nobody.exit_code == 10 and stat.S_ISFIFO(fifo.lstat().st_mode)
    line = one_error_line(nobody, "no reader", "saved to ")
    assert Path(line.rsplit("saved to ", 1)[1]).is_file()


def test_hazard_output_not_writable_kind(env: Path, serve: Any) -> None:
    article = env / "article.txt"
    article.write_bytes(ARTICLE.read_bytes())
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(env / "sock.json"))
    server = serve()

    def check(target: Path) -> None:
        result = run_cli(str(article), "--base-url", server.base_url, "-o", str(target))
        assert result.exit_code == single("output-not-writable-kind"), result.stderr
        one_error_line(result, str(target))
        assert server.requests == []

    targets = [env / "sock.json"]
    random_device = private_device(env, "random.json", 9)  # like /dev/urandom: not for output
    if random_device.parent == env:
        targets.append(random_device)
    try:
        each(targets, check)
    finally:
        listening.close()
    for itself in (article, env / "link-to-article.json"):  # the article, or a link to it
        if itself != article:
            itself.symlink_to(article)
        result = run_cli(str(article), "--base-url", server.base_url, "-o", str(itself))
        assert result.exit_code == 2 and server.requests == [], result.stderr  # a usage error
        one_error_line(result, "the article itself")
    assert article.read_bytes() == ARTICLE.read_bytes()
    assert stat.S_ISSOCK((env / "sock.json").lstat().st_mode)


def test_a_read_only_directory_is_refused_before_the_request(env: Path) -> None:
    """Not root: permission denial is real (root ignores modes; as root, the same code runs as
    `nobody` through setpriv). The run refuses before paying, exit 10, one line."""
    as_nobody: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot drop the privilege to test it")
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    with tempfile.TemporaryDirectory() as shared, LocalChatServer(lambda request: OK_REPLY) as server:
        Path(shared).chmod(0o755)  # pytest's own tmp directory is private to root
        article = Path(shared) / "article.txt"
        article.write_bytes(ARTICLE.read_bytes())
        article.chmod(0o644)
        read_only = Path(shared) / "read-only"
        read_only.mkdir(mode=0o555)
        proc = subprocess.run([*as_nobody, sys.executable, "-m", "summarise_agent", str(article), "--no-cache",
                               "--base-url", server.base_url, "-o", str(read_only / "out.json")],
                              env=child_env(Path(shared)), cwd=REPO, stderr=subprocess.PIPE, timeout=60)  # fmt: skip
        assert proc.returncode == 10, proc.stderr
        assert b"not writable" in proc.stderr and server.requests == []


def test_hazard_review_output_device(env: Path, serve: Any) -> None:
    old, new = env / "old.json", env / "new.json"
    assert run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", str(old)).exit_code == 0
    record = json.loads(old.read_text(encoding="utf-8"))
    record["result"]["summary"] = "A different summary."
    new.write_text(json.dumps(record), encoding="utf-8")
    null = private_device(env, "null", 3)
    shown = run_cli("show", str(old), "-o", str(null))
    assert shown.exit_code == single("review-output-device"), shown.stderr
    diffed = run_cli("diff", str(old), str(new), "-o", str(null))
    assert diffed.exit_code == 1, diffed.stderr
    assert stat.S_ISCHR(null.lstat().st_mode)


def _victim(env: Path) -> Path:
    victim = env / "victim.txt"
    victim.write_bytes(b"precious\n")
    victim.chmod(0o644)
    return victim


def test_hazard_lock_not_plain(env: Path, serve: Any) -> None:
    victim = _victim(env)

    def plant(kind: str) -> None:
        out = env / f"out-{kind}"
        out.mkdir()
        lock = out / ".summarise.lock"
        {"symlink": lambda: lock.symlink_to(victim), "hardlink": lambda: os.link(victim, lock),
         "fifo": lambda: os.mkfifo(lock)}[kind]()  # fmt: skip
        server = serve(OK_REPLY)
        result = run_cli("batch", str(article_dir(env)), "--out", str(out), "--base-url", server.base_url)
        assert result.exit_code == batch_code("lock-not-plain"), result.stderr
        one_error_line(result, ".summarise.lock")
        assert server.requests == [] and outputs(out) == []
        assert victim.read_bytes() == b"precious\n"
        assert stat.S_IMODE(victim.stat().st_mode) == 0o644

    each(["symlink", "hardlink", "fifo"], plant)


def test_hazard_state_report_symlink(env: Path, serve: Any) -> None:
    victim = _victim(env)
    out = env / "out"
    out.mkdir()
    for name in (".summarise-state.json", ".summarise-report.json"):
        (out / name).symlink_to(victim)
    result = run_cli("batch", str(article_dir(env)), "--out", str(out),
                     "--base-url", serve(OK_REPLY).base_url, "--quiet")  # fmt: skip
    assert result.exit_code == batch_code("state-report-symlink"), result.stderr
    assert victim.read_bytes() == b"precious\n" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    for name in (".summarise-state.json", ".summarise-report.json"):
        assert not (out / name).is_symlink() and json.loads((out / name).read_bytes())


# --- the key -----------------------------------------------------------------------------


def test_hazard_key_whitespace(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def check(key: str) -> None:
        monkeypatch.setenv("OPENAI_API_KEY", key)
        server = serve(OK_REPLY)
        result = run_cli(str(ARTICLE), "--base-url", server.base_url, "--no-cache")
        assert result.exit_code == single("key-whitespace"), result.stderr
        assert len(server.requests) == 1 and FAKE_API_KEY not in result.stderr

    each([FAKE_API_KEY + "\n", FAKE_API_KEY + "\r\n", f"  {FAKE_API_KEY}\t", f"\n{FAKE_API_KEY} "], check)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_API_KEY + "\r\n")
    result = run_cli("batch", str(article_dir(env)), "--out", str(env / "out"),
                     "--base-url", serve(OK_REPLY).base_url, "--quiet")  # fmt: skip
    assert result.exit_code == batch_code("key-whitespace"), result.stderr


BAD_KEYS = [FAKE_API_KEY[:10] + c + FAKE_API_KEY[10:] for c in ("\n", "\x01", "\x1b", "\x7f", " ", "é", "\u2028", "\u200b")]


def test_hazard_key_illegal_character(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def check(key: str) -> None:
        monkeypatch.setenv("OPENAI_API_KEY", key)
        server = serve(OK_REPLY)
        result = run_cli(str(ARTICLE), "--base-url", server.base_url, "--no-cache")
        assert result.exit_code == single("key-illegal-character"), result.stderr
        line = one_error_line(result, "API key", "position 11")
        assert FAKE_API_KEY[:10] not in line and FAKE_API_KEY[10:] not in line
        assert server.requests == []
        out = env / "out"
        batch = run_cli("batch", str(article_dir(env)), "--out", str(out), "--base-url", server.base_url)
        assert batch.exit_code == batch_code("key-illegal-character"), batch.stderr
        assert FAKE_API_KEY[10:] not in batch.stderr and server.requests == []

    each(BAD_KEYS, check)


def test_hazard_key_escaped_forms(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARISE_RETRY_ATTEMPTS", "1")
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_API_KEY + "\n")  # as pasted: stripped for use
    forms = [repr(f"Bearer {FAKE_API_KEY}\n".encode()), json.dumps(FAKE_API_KEY + "\n"),
             urllib.parse.quote_plus(FAKE_API_KEY + "\n"), repr(FAKE_API_KEY + "\r")]  # fmt: skip
    message = "illegal header value " + " / ".join(forms)
    result = run_cli(str(ARTICLE), "--base-url", serve(error_reply(400, message)).base_url)
    assert result.exit_code == single("key-escaped-forms")
    line = one_error_line(result)
    assert FAKE_API_KEY[3:] not in line and "FAKEKEY" not in line, line
    out = env / "out"
    batch = run_cli("batch", str(article_dir(env)), "--out", str(out), "--quiet",
                    "--base-url", serve(error_reply(400, message)).base_url)  # fmt: skip
    assert batch.exit_code == batch_code("key-escaped-forms")
    assert b"FAKEKEY" not in (out / ".summarise-report.json").read_bytes()
    assert "FAKEKEY" not in batch.stderr


# --- paid answers --------------------------------------------------------------------------


def test_hazard_write_fails_after_answer(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = env / "out"
    out.mkdir()

    def check(code: int) -> None:
        target = out / f"talks-{code}.json"
        with failing_writes(monkeypatch, out, code):
            failed = run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", str(target),
                             "--temperature", str(code / 1000))  # fmt: skip
        assert failed.exit_code == single("write-fails-after-answer"), failed.stderr
        one_error_line(failed, str(target), os.strerror(code), "kept in the cache")
        assert not target.exists() and not [p for p in out.iterdir() if p.name.endswith(".tmp")]
        server = serve()  # no replies: the re-run must not ask
        again = run_cli(str(ARTICLE), "--base-url", server.base_url, "-o", str(target),
                        "--temperature", str(code / 1000))  # fmt: skip
        assert again.exit_code == 0 and server.requests == [] and json.loads(target.read_bytes())

    each(WRITE_ERRORS, check)
    device = private_device(env, "full", 7)
    full = run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", str(device),
                   "--temperature", "0.5")  # fmt: skip
    assert full.exit_code == 10
    one_error_line(full, str(device), "No space left on device", "kept in the cache")
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_hazard_write_fails_no_cache(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = env / "out"
    out.mkdir()
    target = out / "talks.json"
    with failing_writes(monkeypatch, out, 28):
        failed = run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", str(target),
                         "--no-cache")  # fmt: skip
    assert failed.exit_code == single("write-fails-no-cache"), failed.stderr
    rescued = Path(one_error_line(failed, "saved to ").rsplit("saved to ", 1)[1])
    assert json.loads(rescued.read_bytes())["result"]
    assert stat.S_IMODE(rescued.stat().st_mode) == 0o600


def test_hazard_stdout_fails(env: Path) -> None:
    with LocalChatServer(lambda request: OK_REPLY) as server:
        for redirect in (f"> {private_device(env, 'full', 7)}", ">&-"):
            script = f'"$0" -m summarise_agent "$@" {redirect}'
            args = [str(ARTICLE), "--base-url", server.base_url]
            proc = subprocess.run(["sh", "-c", script, sys.executable, *args], env=child_env(env),
                                  cwd=REPO, stderr=subprocess.PIPE, timeout=60)  # fmt: skip
            assert proc.returncode == single("stdout-fails"), (redirect, proc.stderr)
            line = proc.stderr.decode().strip()
            assert "\n" not in line and "stdout" in line and "kept in the cache" in line, line
        assert len(server.requests) == 1  # the second run was answered from the cache


@contextlib.contextmanager
def _refusing_cache(env: Path, serve: Any) -> Iterator[None]:
    """A cache that opens but refuses every write: the database file made immutable
    (`chattr +i`, which binds root too) where the file system allows it, else a trigger that
    aborts every insert with SQLite's own read-only error."""
    run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "--temperature", "1.5")
    database = env / "cache" / "answers.sqlite3"
    immutable = shutil.which("chattr") and subprocess.run(
        ["chattr", "+i", str(database)], capture_output=True, check=False
    ).returncode == 0
    if not immutable:
        connection = sqlite3.connect(database)
        connection.execute("CREATE TRIGGER read_only BEFORE INSERT ON answers "
                           "BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END")  # fmt: skip
        connection.commit()
        connection.close()
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(database)], check=True)


def test_hazard_cache_unwritable(env: Path, serve: Any) -> None:
    with _refusing_cache(env, serve):
        _cache_unwritable(env, serve)


def _cache_unwritable(env: Path, serve: Any) -> None:
    target = env / "talks.json"
    result = run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", str(target))
    assert result.exit_code == single("cache-unwritable"), result.stderr
    assert json.loads(target.read_bytes())["result"]
    assert result.stderr.count("\n") == 1 and "readonly database" in result.stderr
    batch = run_cli("batch", str(article_dir(env)), "--out", str(env / "out"),
                    "--base-url", serve(OK_REPLY).base_url, "--quiet")  # fmt: skip
    assert batch.exit_code == batch_code("cache-unwritable"), batch.stderr
    assert len(outputs(env / "out")) == 1


def test_hazard_cache_and_output_unwritable(env: Path, serve: Any) -> None:
    full = private_device(env, "full", 7)
    with _refusing_cache(env, serve):
        result = run_cli(str(ARTICLE), "--base-url", serve(OK_REPLY).base_url, "-o", str(full))
    assert result.exit_code == single("cache-and-output-unwritable"), result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("summarise: error: ")]
    assert len(error) == 1 and "saved to " in error[0], result.stderr
    assert json.loads(Path(error[0].rsplit("saved to ", 1)[1]).read_bytes())["result"]


def test_hazard_batch_disk_full(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    source = article_dir(env)
    (source / "second.txt").write_bytes(ARTICLE.read_bytes() + b"\nA second article.\n")
    out = env / "out"
    out.mkdir()
    server = serve(OK_REPLY, OK_REPLY)
    with failing_writes(monkeypatch, out, 28):
        result = run_cli("batch", str(source), "--out", str(out), "--base-url", server.base_url,
                         "--concurrency", "1", "--quiet")  # fmt: skip
    assert result.exit_code == batch_code("batch-disk-full"), result.stderr
    one_error_line(result, "No space left on device")
    assert len(server.requests) == 1  # stopped at the first full-disk failure
    resumed = serve(OK_REPLY)
    again = run_cli("batch", str(source), "--out", str(out), "--base-url", resumed.base_url, "--quiet")
    assert again.exit_code == 0, again.stderr
    assert len(resumed.requests) == 1 and len(outputs(out)) == 2  # the first answer was cached
    assert report_of(out)["outcome"] == "completed"
