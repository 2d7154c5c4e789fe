"""Answer cache: SQLite (WAL, busy timeout) in the user's cache dir, owner-only permissions.

The key is a hash of everything the answer depends on (CacheKey); the value is the accepted,
validated result as the model gave it (before grounding, which is recomputed: it is cheap and
deterministic). A hit costs no request and writes the same bytes as the original run.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from summarise_agent.errors import ConfigError
from summarise_agent.schema_registry import canonical_sha256

if TYPE_CHECKING:
    from summarise_agent.config import Settings

CACHE_FILE_NAME = "answers.sqlite3"
BUSY_TIMEOUT_MS = 30_000  # batch workers and parallel runs share one cache file
_SIDE_FILES = ("", "-wal", "-shm", "-journal")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CacheKey:
    text_sha256: str
    schema_sha256: str
    prompt_sha256: str
    model: str
    model_settings: tuple[tuple[str, Any], ...]  # sorted (name, value) pairs

    @property
    def digest(self) -> str:
        return canonical_sha256(asdict(self))


class AnswerStore(Protocol):
    """What the pipeline needs of an answer cache. AnswerCache (SQLite, one machine) is one;
    a store shared by many workers (PostgreSQL, say) is another: implement these three and
    return it from open_answer_store. Values are JSON-able dicts; `put` of an existing key
    replaces it (two workers racing on one article store the same accepted answer). `get` of a
    damaged entry is None (a miss); `put` is False when the store cannot take the answer (never
    an exception: the caller still holds the answer and writes it)."""

    def get(self, key: CacheKey) -> dict[str, Any] | None: ...

    def put(self, key: CacheKey, result: dict[str, Any]) -> bool: ...

    def close(self) -> None: ...


def open_answer_store(settings: Settings) -> AnswerStore | None:
    """The run's answer store, or None with --no-cache: the one place a store is chosen."""
    if not settings.cache:
        return None
    return AnswerCache(settings.cache_dir or default_cache_dir())


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("summarise"))


class AnswerCache:
    def __init__(self, directory: Path) -> None:
        self.path = directory / CACHE_FILE_NAME
        try:
            self._connection = self._open(directory)
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(
                f"the answer cache {self.path} cannot be used ({error}): set "
                "SUMMARISE_CACHE_DIR to another directory, run `summarise cache clear`, "
                "or pass --no-cache"
            ) from None

    def _open(self, directory: Path) -> sqlite3.Connection:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            self.path.touch(mode=0o600)  # SQLite gives its -wal and -shm files the same mode
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS answers ("
            " key TEXT PRIMARY KEY, result TEXT NOT NULL, model TEXT NOT NULL,"
            " created REAL NOT NULL)"
        )
        connection.commit()
        return connection

    def get(self, key: CacheKey) -> dict[str, Any] | None:
        """The stored answer, or None: a row that cannot be read or is not a JSON object is a
        miss (logged), never an error and never an output. The caller checks it against the
        schema too."""
        try:
            row = self._connection.execute(
                "SELECT result FROM answers WHERE key = ?", (key.digest,)
            ).fetchone()
            value = json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError, TypeError, RecursionError) as error:
            log.warning("the answer cache %s: unreadable entry ignored (%s)", self.path, error)
            return None
        if row is not None and not isinstance(value, dict):
            log.warning("the answer cache %s: an entry is not a result object: ignored", self.path)
            return None
        return value

    def put(self, key: CacheKey, result: dict[str, Any]) -> bool:
        """Store the answer; False (logged) when the cache cannot take it (read-only file, full
        disk, damaged database): the answer itself is not lost, the caller still has it."""
        text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
        try:
            with self._connection:
                self._connection.execute(
                    "INSERT OR REPLACE INTO answers (key, result, model, created) "
                    "VALUES (?, ?, ?, ?)", (key.digest, text, key.model, time.time()),
                )  # fmt: skip
        except sqlite3.Error as error:
            log.warning("the answer cache %s cannot be written (%s): answer not cached",
                        self.path, error)  # fmt: skip
            return False
        return True

    def close(self) -> None:
        self._connection.close()

    # Maintenance for `summarise cache stats|prune|clear` (added for batch runs, issue 4).

    def stats(self) -> CacheStats:
        entries, oldest, newest = self._connection.execute(
            "SELECT COUNT(*), MIN(created), MAX(created) FROM answers"
        ).fetchone()
        models = dict(
            self._connection.execute(
                "SELECT model, COUNT(*) FROM answers GROUP BY model ORDER BY model"
            ).fetchall()
        )
        size = sum(
            Path(f"{self.path}{suffix}").stat().st_size
            for suffix in ("", "-wal", "-shm")
            if Path(f"{self.path}{suffix}").exists()
        )
        return CacheStats(self.path, int(entries), size, oldest, newest, models)

    def prune(self, older_than_seconds: float) -> int:
        """Delete answers stored more than this many seconds ago; how many went."""
        cutoff = time.time() - older_than_seconds
        with self._connection:
            removed = self._connection.execute(
                "DELETE FROM answers WHERE created < ?", (cutoff,)
            ).rowcount
        self._compact()
        return int(removed)

    def clear(self) -> int:
        """Delete every answer; how many went."""
        with self._connection:
            removed = self._connection.execute("DELETE FROM answers").rowcount
        self._compact()
        return int(removed)

    @staticmethod
    def remove_files(directory: Path) -> None:
        """Delete the cache database and its side files (for `cache clear` on a file too damaged
        to open); only regular files and links are removed, never a directory."""
        for suffix in _SIDE_FILES:
            path = Path(f"{directory / CACHE_FILE_NAME}{suffix}")
            with contextlib.suppress(FileNotFoundError):
                if path.is_dir() and not path.is_symlink():
                    raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
                os.unlink(path)

    def _compact(self) -> None:
        # give the space back to the file system: deleted rows otherwise stay in the file
        self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._connection.execute("VACUUM")


@dataclass(frozen=True)
class CacheStats:
    path: Path
    entries: int
    size_bytes: int  # the database with its WAL side files
    oldest: float | None  # time.time() of the oldest answer, None when empty
    newest: float | None
    models: dict[str, int]  # answers per model

