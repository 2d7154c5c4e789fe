"""Write stage: the output file's exact bytes, and atomic writes that never leave half a file.

Determinism (output contract): keys in a fixed order, two-space indent, UTF-8 without `\\u`
escapes for ordinary letters, one trailing newline. Nothing volatile (times, tokens) goes in.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


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


def write_atomically(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write via a temp file in the same directory, fsync, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
