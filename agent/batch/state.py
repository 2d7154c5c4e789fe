"""What earlier runs learnt about DIR's inputs, so that checking a current output is cheap.

The skip check compares an output's `source.sha256` (a hash of the *cleaned* text) with the
article's, and cleaning costs a few milliseconds an article (HTML extraction, mojibake repair,
boilerplate rules): most of a re-run where everything is current. This file remembers, per
output name, the SHA-256 of the input's raw bytes and of its cleaned text, together with a
fingerprint of the cleaner (its source files, its rules and the versions of the libraries it
uses). Cleaning is deterministic, so while the raw bytes and the cleaner are the same, the
cleaned text hash is too and the article is not cleaned again. Any change: it is cleaned.

`DIR/.summarise-state.json`, owner-only, rewritten atomically at the end of each run; a
missing or unreadable file only makes the next run slower, never wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from importlib import metadata
from pathlib import Path

from summarise_agent.output import render_json, write_output

STATE_FILE_NAME = ".summarise-state.json"
STATE_VERSION = 1
_CLEANER_LIBRARIES = ("trafilatura", "ftfy", "charset-normalizer")


def cleaner_fingerprint() -> str:
    import summarise_agent.cleaning

    digest = hashlib.sha256()
    package = Path(summarise_agent.cleaning.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".toml", ".json", ".txt") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for library in _CLEANER_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=absent\0".encode())
    return digest.hexdigest()


class CleanedHashes:
    """Output name -> (raw input SHA-256, cleaned text SHA-256), valid for one cleaner."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self._entries: dict[str, dict[str, str]] = self._load()

    def text_sha256(self, output_name: str, raw_sha256: str) -> str | None:
        entry = self._entries.get(output_name)
        if entry is not None and entry.get("input") == raw_sha256:
            return entry.get("text")
        return None

    def remember(self, output_name: str, raw_sha256: str, text_sha256: str) -> None:
        self._entries[output_name] = {"input": raw_sha256, "text": text_sha256}

    def save(self) -> None:
        state = {"state_version": STATE_VERSION, "cleaner": self.fingerprint,
                 "inputs": dict(sorted(self._entries.items()))}  # fmt: skip
        write_output(self.path, render_json(state), private=True, follow_symlinks=False)

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            state = json.loads(read_plain_file(self.path))
            if state["state_version"] != STATE_VERSION or state["cleaner"] != self.fingerprint:
                return {}  # another cleaner: what it learnt does not hold
            entries = state["inputs"]
            return {name: dict(entry) for name, entry in entries.items()
                    if isinstance(entry, dict)}  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return {}


_MAX_STATE_BYTES = 64_000_000  # ~300 bytes an input: far more inputs than any run holds


def read_plain_file(path: Path, limit: int = _MAX_STATE_BYTES) -> bytes:
    """PATH's bytes, read without following a symlink or blocking on a FIFO; OSError when it is
    not a plain file (the state is then rebuilt, never trusted from elsewhere)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise OSError(f"{path}: too large")
    return data
