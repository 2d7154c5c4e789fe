"""One batch run per output directory at a time: an fcntl lock on `DIR/.summarise.lock`.

Why fcntl (flock) rather than a pid file: the kernel releases the lock when its holder dies,
however it dies (SIGKILL, OOM killer, power loss of a container), so a stale lock can never
block the next run, and no pid is ever guessed alive or dead (pids are reused; a pid file
cannot tell a restarted unrelated process from the holder). The file also records the holder's
pid, host and start time, only for messages: a lock file found with that content but no lock
held is reported as stale, left by a killed run. The file is kept after the run (deleting it
would let a waiter lock a file nobody else can see); it is owner-only (0600). It is opened
without following a symlink, and anything but a plain file of ours with one link (a symlink, a
hard link to another file, a FIFO, a device) is refused untouched: never truncated or chmod-ed.
flock works on local file systems; on NFS use a local DIR or make sure runs cannot overlap by
other means.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import json
import logging
import os
import socket
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from summarise_agent.errors import ExitCode, Interrupted, SummariseError, UsageError
from summarise_agent.redact import printable

LOCK_FILE_NAME = ".summarise.lock"
WAIT_POLL_SECONDS = 0.2

log = logging.getLogger(__name__)


class DirectoryLocked(SummariseError):
    exit_code = ExitCode.LOCKED


class DirectoryLock:
    """Held for the whole run; `release()` (or process death) frees it."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_FILE_NAME
        self._fd: int | None = None
        self.stale_holder: dict[str, Any] | None = None  # what a killed run left behind

    def try_acquire(self) -> bool:
        fd = open_private_file(self.path, create=True)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        os.fchmod(fd, 0o600)
        self.stale_holder = _read_holder(fd)
        _write_holder(fd)
        return True

    async def acquire(self, *, wait: bool, stopping: Callable[[], bool]) -> None:
        """Take the lock, waiting for it with `wait`; DirectoryLocked if taken and not waiting."""
        told = False
        while not self.try_acquire():
            if not wait:
                raise DirectoryLocked(f"{self.path.parent}: {self.describe_holder()}; "
                                      "not starting (use --wait to wait for it)")  # fmt: skip
            if not told:
                log.warning("%s: %s; waiting for it", self.path.parent, self.describe_holder())
                told = True
            if stopping():
                raise Interrupted(f"{self.path.parent}: interrupted while waiting for the lock")
            await asyncio.sleep(WAIT_POLL_SECONDS)
        if self.stale_holder:
            log.warning("%s: took over the lock of a run that ended without releasing it (%s)",
                        self.path.parent, _describe(self.stale_holder))  # fmt: skip

    def describe_holder(self) -> str:
        holder: dict[str, Any] | None = None
        with contextlib.suppress(OSError, UsageError):
            fd = open_private_file(self.path, create=False)
            try:
                holder = _read_holder(fd)
            finally:
                os.close(fd)
        return f"another summarise batch run holds the lock ({_describe(holder or {})})"

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)  # a clean exit leaves no holder behind to call stale
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


def open_private_file(path: Path, *, create: bool) -> int:
    """A descriptor on PATH, a plain file with one link, opened without following a symlink
    and without blocking (a FIFO planted there cannot hang the run); UsageError otherwise."""
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    flags |= os.O_CREAT if create else 0
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UsageError(f"{path}: a symlink, refused (remove it)") from None
        raise UsageError(f"{path}: cannot be opened ({error.strerror or error})") from None
    found = os.fstat(fd)
    if not stat.S_ISREG(found.st_mode) or found.st_nlink != 1:
        os.close(fd)
        what = "has other hard links" if stat.S_ISREG(found.st_mode) else "is not a regular file"
        raise UsageError(f"{path}: {what}: refusing to use it (remove it)")
    os.set_blocking(fd, True)
    return fd


def _write_holder(fd: int) -> None:
    holder = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}  # fmt: skip
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode("utf-8") + b"\n", 0)


def _read_holder(fd: int) -> dict[str, Any] | None:
    raw = os.pread(fd, 4096, 0)
    try:
        holder = json.loads(raw) if raw.strip() else None
    except ValueError:
        return None
    return holder if isinstance(holder, dict) else None


def _describe(holder: dict[str, Any]) -> str:
    if not holder:
        return "holder unknown"
    holder = {key: printable(str(value)) for key, value in holder.items()}
    return (f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
            f"started {holder.get('started', '?')}")  # fmt: skip
