"""Write stage: the output file's exact bytes, and atomic writes that never leave half a file.

Every file the program writes goes through `write_output` (docs/reliability.md, "Writing
files"): a regular file is replaced atomically (temp file in the same directory, fsync, rename),
keeping an existing file's mode, a new one getting the umask's; a character device or a FIFO
(`-o /dev/null`, `-o /dev/stdout`, a named pipe) is written through, never replaced; any other
special file is refused. Every failure is an OutputError (exit 10) naming the path.

Determinism (output contract): keys in a fixed order, two-space indent, UTF-8 without `\\u`
escapes for ordinary letters, one trailing newline. Nothing volatile (times, tokens) goes in.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from summarise_agent.errors import OutputError


def render_json(record: dict[str, Any]) -> bytes:
    """The contract's byte form. Key order is the dicts' insertion order, which the record
    builder fixes; json's float repr is the shortest round-trip form on every platform."""
    text = json.dumps(record, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return without_lone_surrogates(text).encode("utf-8")


def without_lone_surrogates(text: str) -> str:
    """A model's JSON may escape half a surrogate pair ("\\ud83d"): UTF-8 cannot hold it.
    Each lone surrogate becomes U+FFFD; text without one is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


_SURELY_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO)


def write_output(
    path: Path, data: bytes, *, private: bool = False, follow_symlinks: bool = True,
    not_over: Path | None = None,
) -> None:  # fmt: skip
    """Write DATA to PATH safely; OutputError (one line) when it cannot be done.

    `private`: the file is 0600 whatever the umask (reports, state). `follow_symlinks`: a
    symlink to a regular file has its target replaced (like a shell's `>`); without it the
    link itself is replaced, so a planted link cannot redirect a program-named file.
    `not_over`: a file (the input article) this write must never replace."""
    try:
        check_output_target(path, not_over=not_over, follow_symlinks=follow_symlinks)
        target = _special_target(path, follow_symlinks)
        if target is not None:
            _write_through(path, data, target)
            return
        final = path.resolve() if follow_symlinks and path.is_symlink() else path
        _replace_regular_file(final, data, private)
    except OutputError:
        raise
    except OSError as error:
        raise OutputError(f"{path}: cannot be written ({error.strerror or error})",
                          disk_level=error.errno in _SURELY_FULL) from None  # fmt: skip


def check_output_target(
    path: Path, *, not_over: Path | None = None, follow_symlinks: bool = True
) -> None:
    """Refuse, before any work is paid for, a target that can never be written: a directory,
    a socket or block device, the input article itself, a file in a directory we may not write
    (root may write anywhere: its failures come later, and keep the answer)."""
    try:
        found: os.stat_result | None = os.stat(path) if follow_symlinks else os.lstat(path)
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise OutputError(f"{path}: cannot be written ({error.strerror or error})") from None
    if found is not None:
        _check_kind(path, found, not_over)
    if found is None or (stat.S_ISREG(found.st_mode) and not _names_a_descriptor(path)):
        directory = (path.resolve() if follow_symlinks else path.absolute()).parent
        if directory.is_dir() and not os.access(directory, os.W_OK | os.X_OK):
            raise OutputError(f"{path}: cannot be written (its directory is not writable)")


def _check_kind(path: Path, found: os.stat_result, not_over: Path | None) -> None:
    mode = found.st_mode
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a directory, not a file")
    if not any(test(mode) for test in (stat.S_ISREG, stat.S_ISCHR, stat.S_ISFIFO, stat.S_ISLNK)):
        raise OutputError(f"{path}: is a {kind_of(mode)}: refusing to write to it")
    _refuse_unsafe_device(path, found)
    if not_over is not None and stat.S_ISREG(mode):
        with contextlib.suppress(OSError):
            article = os.stat(not_over)
            if (article.st_dev, article.st_ino) == (found.st_dev, found.st_ino):
                raise OutputError(f"{path}: is the input article itself: refusing to overwrite it")


def _special_target(path: Path, follow_symlinks: bool) -> os.stat_result | None:
    """The stat of PATH when it is to be written through rather than replaced: a character
    device or FIFO, or anything named under /dev or /proc (`/dev/stdout`, `/dev/fd/1`: an alias
    of a descriptor, whatever file is behind it). None when it is absent, a regular file, or,
    when not following, a symlink (the rename replaces the link itself, its target untouched).
    Any other special file is refused."""
    try:
        found = os.stat(path) if follow_symlinks else os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode):
        return found
    if stat.S_ISREG(found.st_mode):
        return found if follow_symlinks and _names_a_descriptor(path) else None
    if stat.S_ISLNK(found.st_mode):
        return None
    raise OutputError(f"{path}: is a {kind_of(found.st_mode)}, not a regular file: refusing it")


def _names_a_descriptor(path: Path) -> bool:
    return os.path.abspath(path).startswith(("/dev/", "/proc/"))


def _write_through(path: Path, data: bytes, found: os.stat_result) -> None:
    """Write into an existing device, pipe or descriptor alias: no create, rename or chmod."""
    _refuse_unsafe_device(path, found)  # before opening: opening some devices acts already
    flags = os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    if stat.S_ISREG(found.st_mode):
        flags |= os.O_TRUNC  # `-o /dev/stdout` onto a file: as the shell's `>` would
    if stat.S_ISFIFO(found.st_mode):
        flags |= os.O_NONBLOCK  # a FIFO nobody reads: ENXIO at once instead of blocking forever
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ENXIO and stat.S_ISFIFO(found.st_mode):
            raise OutputError(f"{path}: is a FIFO with no reader") from None
        raise
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


# The character devices meant to take any output (Linux numbers): null, zero, full, and the
# terminals (tty, console, pseudo-terminals).
_HARMLESS_DEVICES = {(1, 3), (1, 5), (1, 7)}
_TERMINAL_MAJORS = {4, 5, *range(136, 144)}


def _refuse_unsafe_device(path: Path, found: os.stat_result) -> None:
    """Write through only to a device meant for it: /dev/null and its kin, a terminal, or a
    descriptor alias (/dev/stdout, /dev/fd/N); never to /dev/mem, /dev/kmsg, a watchdog..."""
    if not stat.S_ISCHR(found.st_mode) or _names_a_descriptor_alias(path):
        return
    device = (os.major(found.st_rdev), os.minor(found.st_rdev))
    if device not in _HARMLESS_DEVICES and device[0] not in _TERMINAL_MAJORS:
        raise OutputError(f"{path}: is a character device that is not a terminal or a null "
                          "device: refusing to write to it")  # fmt: skip


def _names_a_descriptor_alias(path: Path) -> bool:
    text = os.path.abspath(path)
    return text in ("/dev/stdout", "/dev/stderr") or text.startswith(
        ("/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/")
    )


def _replace_regular_file(path: Path, data: bytes, private: bool) -> None:
    """Temp file beside PATH, fsync, rename over it: readers see the old file or the new one."""
    existing_mode = _existing_mode(path)
    if private:
        mode = 0o600
    elif existing_mode is not None:
        mode = existing_mode  # never widen (or narrow) a file the user already has
    else:
        mode = 0o666 & ~current_umask()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def _existing_mode(path: Path) -> int | None:
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return stat.S_IMODE(found.st_mode) if stat.S_ISREG(found.st_mode) else None


def current_umask() -> int:
    """The process umask. Linux reports it in /proc (thread-safe); elsewhere reading it means
    setting it and straight back, which is safe here because nothing else runs meanwhile."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_KINDS = (
    (stat.S_ISDIR, "directory"), (stat.S_ISSOCK, "socket"), (stat.S_ISBLK, "block device"),
    (stat.S_ISCHR, "character device"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISLNK, "symlink"),
)  # fmt: skip


def kind_of(mode: int) -> str:
    """What a file of this st_mode is, for messages: "FIFO", "socket", "directory"..."""
    return next((name for test, name in _KINDS if test(mode)), "special file")


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Kept for callers outside this module's issue: `write_output`, private when mode is 0600."""
    write_output(path, data, private=mode == 0o600)


def rescue_answer(data: bytes, name: str, cache_dir: Path | None) -> Path | None:
    """Save an answer whose output could not be written and that is not in the cache, so the
    money spent on it is not lost: `CACHE_DIR/rescued/`, else `$TMPDIR/summarise-rescued-UID/`
    (owner-only). The path it went to, or None when no place would take it."""
    import hashlib

    digest = hashlib.sha256(data).hexdigest()[:16]
    safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:80] or "answer"
    places = [cache_dir / "rescued"] if cache_dir is not None else []
    places.append(Path(tempfile.gettempdir()) / f"summarise-rescued-{os.getuid()}")
    for place in places:
        try:
            place.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not stat.S_ISDIR(os.lstat(place).st_mode) or os.lstat(place).st_uid != os.getuid():
                continue  # a planted link or someone else's directory: not ours to write into
            target = place / f"{safe_name}.{digest}.json"
            write_output(target, data, private=True, follow_symlinks=False)
            return target
        except (OSError, OutputError):
            continue
    return None
