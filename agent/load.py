"""Load stage: read an article's bytes from a path or stdin, refusing what cannot be an article."""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from summarise_agent.errors import EmptyInput, InputError, InputTooLarge, UsageError
from summarise_agent.output import kind_of
from summarise_agent.record import Provenance, is_iso_date

STDIN_NAME = "stdin"
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True)
class ArticleSource:
    name: str  # what the output's source.name says: the file's name, a batch key, or "stdin"
    data: bytes
    # what the input says about itself (path, and title/url/date from flags or a manifest);
    # an HTML page's own metadata fills what this leaves unknown
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True)
class InputDetails:
    """What the command line says about the article (`--name --title --url --published`)."""

    name: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None


def given_provenance(title: str | None, url: str | None, published: str | None,
                     where: str) -> Provenance:  # fmt: skip
    """Title, URL and date given by a person (flags, a manifest line), checked: a UsageError
    naming WHERE when the URL is not http(s) or the date is not ISO 8601."""
    if url is not None and not url.startswith(("http://", "https://")):
        raise UsageError(f"{where}: url {url!r} is not an http(s) URL")
    if published is not None and not is_iso_date(published):
        raise UsageError(
            f"{where}: published {published!r} is not an ISO 8601 date (2024-03-05 or "
            "2024-03-05T10:00:00Z)"
        )
    return Provenance(title=title or None, url=url or None, published=published or None)


def refuse_url(path_text: str) -> None:
    """A URL given where a file is expected is a UsageError saying what to do instead.
    summarise does not fetch pages: downloading (redirects, cookies, paywalls, robots.txt,
    pages built by JavaScript) is a job for a downloader, and a saved page can be re-run and
    reviewed against the very bytes that were summarised."""
    if _URL.match(path_text):
        raise UsageError(
            f"{path_text}: is a URL; summarise reads files, it does not fetch pages: download "
            f"it first (curl -L -o page.html '{path_text}') and run 'summarise page.html --url "
            f"{path_text}' to record where it came from"
        )


def read_input(
    path_text: str, *, max_bytes: int, stdin_name: str = STDIN_NAME, regular_only: bool = False
) -> ArticleSource:
    """The bytes of FILE (or stdin for '-'); every failure is an InputError with one clear line.
    `regular_only` (batch runs): a FIFO, socket or device is refused without being opened."""
    refuse_url(path_text)
    if path_text == "-":
        data = _read_stdin(max_bytes)
        return ArticleSource(stdin_name, _checked(data, stdin_name, max_bytes))
    data = read_file_bytes(Path(path_text), max_bytes=max_bytes, regular_only=regular_only)
    provenance = Provenance(path=run_relative_path(Path(path_text)))
    return ArticleSource(Path(path_text).name, _checked(data, path_text, max_bytes), provenance)


def run_relative_path(path: Path) -> str:
    """PATH relative to the working directory, posix separators: what `source.path` records
    (review commands run from the same place find the article with it)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows: no relative form
        relative = str(path.absolute())
    return Path(relative).as_posix()


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


def output_target(output: str, file: str, name: str | None) -> Path:
    """Where `-o OUTPUT` writes. An existing directory, or a path ending in a separator (the
    directory is created), gets NAME.json inside it, NAME being the article's file name (or
    --name) without its extension. Never the article itself: that is a UsageError."""
    target = Path(output)
    wants_directory = output.endswith(("/", os.sep))
    if wants_directory or target.is_dir():
        stem = Path(name or (STDIN_NAME if file == "-" else file)).stem or STDIN_NAME
        _make_directory(target, output)
        target = target / f"{stem}.json"
    if file != "-" and _same_file(Path(file), target):
        raise UsageError(
            f"-o {output}: is the article itself; refusing to overwrite it (write the JSON "
            "elsewhere, e.g. -o out/)"
        )
    return target


def _make_directory(directory: Path, given: str) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"-o {given}: cannot be created ({error.strerror or error})") from None


def _same_file(article: Path, target: Path) -> bool:
    try:
        return article.resolve() == target.resolve() or (
            target.exists() and os.path.samefile(article, target)
        )
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return False
