"""Load stage: read an article's bytes from a path or stdin, refusing what cannot be an article."""

from __future__ import annotations

import errno
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from agent.errors import EmptyInput, InputError, InputTooLarge
from agent.output import kind_of

STDIN_NAME = "stdin"


@dataclass(frozen=True)
class ArticleSource:
    name: str  # what the output's source.name says: the file's name, or "stdin"
    data: bytes


def read_input(path_text: str, *, max_bytes: int, regular_only: bool = False) -> ArticleSource:
    """The bytes of FILE (or stdin for '-'); every failure is an InputError with one clear line.
    `regular_only` (batch runs): a FIFO, socket or device is refused without being opened."""
    if path_text == "-":
        data = _read_stdin(max_bytes)
        return ArticleSource(STDIN_NAME, _checked(data, STDIN_NAME, max_bytes))
    data = read_file_bytes(Path(path_text), max_bytes=max_bytes, regular_only=regular_only)
    return ArticleSource(Path(path_text).name, _checked(data, path_text, max_bytes))


def _read_stdin(max_bytes: int) -> bytes:
    if sys.stdin is None:  # started with stdin closed (`<&-`)
        raise InputError("stdin is closed: give a FILE, or pipe the article in")
    try:
        return bytes(sys.stdin.buffer.read(max_bytes + 1))
    except (OSError, ValueError, AttributeError) as error:  # EBADF, a closed or odd stream
        reason = getattr(error, "strerror", None) or error
        raise InputError(f"stdin cannot be read ({reason})") from None


def read_file_bytes(
    path: Path, *, max_bytes: int | None = None, regular_only: bool = False
) -> bytes:
    """A file's bytes; a file that cannot be read is an InputError saying why, in one line.
    With `max_bytes`, a larger file is refused before it is read, and a stream (a pipe,
    /dev/zero) is read no further than that. `regular_only`: only a regular file is read."""
    try:
        found = path.stat()
        if stat.S_ISDIR(found.st_mode):
            raise InputError(f"{path}: is a directory, not a file")
        if not stat.S_ISREG(found.st_mode) and regular_only:
            raise InputError(f"{path}: is a {kind_of(found.st_mode)}, not a regular file: skipped")
        if stat.S_ISSOCK(found.st_mode):
            raise InputError(f"{path}: is a socket, not a file")
        if max_bytes is not None and stat.S_ISREG(found.st_mode) and found.st_size > max_bytes:
            raise InputTooLarge(_too_large(str(path), found.st_size, max_bytes))
        return _read_bounded(path, max_bytes, regular_only)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:  # symlink loops, I/O errors, names too long
        if error.errno == errno.ENXIO:
            raise InputError(f"{path}: is a socket or device with nothing behind it") from None
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None


def _read_bounded(path: Path, max_bytes: int | None, regular_only: bool) -> bytes:
    # O_NONBLOCK when only regular files are wanted: a file swapped for a FIFO after the check
    # above fails the fstat below instead of blocking the run
    flags = os.O_RDONLY | os.O_CLOEXEC | (os.O_NONBLOCK if regular_only else 0)
    fd = os.open(path, flags)
    if regular_only and not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{path}: is not a regular file: skipped")
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as handle:
        return handle.read() if max_bytes is None else handle.read(max_bytes + 1)


def _checked(data: bytes, name: str, max_bytes: int) -> bytes:
    if len(data) > max_bytes:
        raise InputTooLarge(_too_large(name, len(data), max_bytes))
    if not data.strip():
        raise EmptyInput(f"{name}: the article is empty")
    return data


def _too_large(name: str, size: int, max_bytes: int) -> str:
    return (
        f"{name}: {size:,} bytes is over the {max_bytes:,}-byte limit "
        "(raise it with SUMMARISE_MAX_INPUT_BYTES)"
    )
