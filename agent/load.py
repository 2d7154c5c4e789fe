"""Load stage: read an article's bytes from a path or stdin, refusing what cannot be an article."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from agent.errors import EmptyInput, InputError, InputTooLarge

STDIN_NAME = "stdin"


@dataclass(frozen=True)
class ArticleSource:
    name: str  # what the output's source.name says: the file's name, or "stdin"
    data: bytes


def read_input(path_text: str, *, max_bytes: int) -> ArticleSource:
    """The bytes of FILE (or stdin for '-'); every failure is an InputError with one clear line."""
    if path_text == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return ArticleSource(STDIN_NAME, _checked(data, STDIN_NAME, max_bytes))
    data = read_file_bytes(Path(path_text), max_bytes=max_bytes)
    return ArticleSource(Path(path_text).name, _checked(data, path_text, max_bytes))


def read_file_bytes(path: Path, *, max_bytes: int | None = None) -> bytes:
    """A file's bytes; a file that cannot be read is an InputError saying why, in one line.
    With `max_bytes`, a larger file is refused before it is read."""
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        if max_bytes is not None and (size := path.stat().st_size) > max_bytes:
            raise InputTooLarge(_too_large(str(path), size, max_bytes))
        with path.open("rb") as handle:
            return handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:  # symlink loops, I/O errors, names too long
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None


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
