"""Helpers for the hardening rows (tests/reliability/test_reliability_hardening*.py)."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hardening_matrix import HAZARDS

from conftest import ARTICLE, FAKE_API_KEY, CliResult

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "batch"))
from batch_support import REPO, ArticleResponder, subprocess_env

REPORT = ".summarise-report.json"
ROW = {hazard.id: hazard for hazard in HAZARDS}
__all__ = ["REPO", "ArticleResponder", "subprocess_env"]


def single(row: str) -> int:
    """The row's documented exit code for `summarise FILE`."""
    code = ROW[row].exit_code
    assert code is not None
    return int(code)


def batch_code(row: str) -> int:
    """The row's documented exit code for `summarise batch`."""
    code = ROW[row].batch_exit_code
    assert code is not None
    return int(code)


def article_dir(env: Path) -> Path:
    """A batch input folder holding the test article."""
    (env / "in").mkdir(exist_ok=True)
    (env / "in" / "talks.txt").write_bytes(ARTICLE.read_bytes())
    return env / "in"


def one_error_line(result: CliResult, *fragments: str) -> str:
    """The single `summarise: error: ...` line of a failed run (and nothing else on stderr)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarise: error: "), result.stderr
    assert "Traceback" not in result.stderr and FAKE_API_KEY not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def report_of(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / REPORT).read_text(encoding="utf-8")))


def outputs(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []


@contextmanager
def failing_writes(monkeypatch: pytest.MonkeyPatch, under: Path, code: int) -> Iterator[None]:
    """Every fsync of a file under UNDER fails with CODE, as a full disk (ENOSPC), a read-only
    mount (EROFS) or a dying disk (EIO) makes it fail; other files are untouched. (Root ignores
    file modes, so a read-only directory cannot be made with chmod here.)"""
    real_fsync = os.fsync
    root = str(under.resolve())

    def fsync(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(root + os.sep):
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    try:
        yield
    finally:
        monkeypatch.setattr(os, "fsync", real_fsync)


WRITE_ERRORS = [errno.ENOSPC, errno.EROFS, errno.EIO, errno.EACCES, errno.EDQUOT]


def private_device(tmp: Path, name: str, minor: int) -> Path:
    """A character device of our own (1,3 is null, 1,7 is full) in TMP, so a bug can never
    replace the machine's /dev/null; the shared one when this user cannot make devices."""
    path = tmp / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        with open(path, "rb"):
            pass
    except OSError:
        return Path({3: "/dev/null", 7: "/dev/full", 9: "/dev/urandom"}[minor])
    return path


def child(
    args: list[str], env: dict[str, str], **popen: Any
) -> subprocess.Popen[bytes]:
    """`python -m summarise_agent ARGS` in a child process (signals, closed streams, real devices)."""
    return subprocess.Popen([sys.executable, "-m", "summarise_agent", *args], env=env, cwd=REPO,
                            stdout=popen.pop("stdout", subprocess.PIPE),
                            stderr=subprocess.PIPE, **popen)  # fmt: skip


def child_env(tmp: Path, **extra: str) -> dict[str, str]:
    return subprocess_env(tmp, FAKE_API_KEY, **extra)


def each(values: list[Any], check: Callable[[Any], None]) -> None:
    """Run CHECK for every variation, naming the one that failed."""
    for value in values:
        try:
            check(value)
        except AssertionError as error:
            raise AssertionError(f"variation {value!r}: {error}") from error
