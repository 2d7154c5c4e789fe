"""`summarise cache stats|prune|clear`: look after the answer cache (docs/batch.md).

The cache lives in SUMMARISE_CACHE_DIR, the `cache_dir` config key, or the user's cache dir.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from summarise_agent.cache import AnswerCache

cache_app = typer.Typer(
    help="Show, prune or clear the answer cache.", no_args_is_help=True
)
SECONDS_PER_DAY = 86_400


def register(app: typer.Typer) -> None:
    app.add_typer(cache_app, name="cache")


CacheDirOption = Annotated[
    Path | None, typer.Option(help="Cache directory. [default: SUMMARISE_CACHE_DIR or the user's]")
]


@cache_app.command("stats")
def stats(cache_dir: CacheDirOption = None) -> None:
    """Entries, size on disk, oldest and newest answer, answers per model."""
    directory = _cache_dir(cache_dir)
    if not (directory / "answers.sqlite3").exists():
        typer.echo(f"cache: {directory} (empty: no cache file yet)")
        return
    cache = _open(directory)
    try:
        found = cache.stats()
    finally:
        cache.close()
    typer.echo(f"cache: {found.path}")
    typer.echo(f"entries: {found.entries}")
    typer.echo(f"size: {_size(found.size_bytes)}")
    typer.echo(f"oldest: {_when(found.oldest)}")
    typer.echo(f"newest: {_when(found.newest)}")
    for model, count in found.models.items():
        typer.echo(f"model {model}: {count}")


@cache_app.command("prune")
def prune(
    older_than: Annotated[
        float, typer.Option("--older-than", help="Delete answers older than this many DAYS.",
                            metavar="DAYS", min=0.0)
    ],
    cache_dir: CacheDirOption = None,
) -> None:
    """Delete answers stored more than DAYS days ago (re-runs of those articles ask again)."""
    cache = _open(_cache_dir(cache_dir))
    try:
        removed = cache.prune(older_than * SECONDS_PER_DAY)
        left = cache.stats().entries
    finally:
        cache.close()
    typer.echo(f"pruned {removed} answer(s) older than {older_than:g} day(s); {left} left")


@cache_app.command("clear")
def clear(cache_dir: CacheDirOption = None) -> None:
    """Delete every cached answer (a cache file too damaged to open is removed and recreated)."""
    import sqlite3

    from summarise_agent.cache import AnswerCache
    from summarise_agent.errors import ConfigError

    directory = _cache_dir(cache_dir)
    try:
        cache = _open(directory)
        try:
            removed = cache.clear()
        finally:
            cache.close()
    except (ConfigError, sqlite3.Error):
        try:
            AnswerCache.remove_files(directory)
        except OSError as error:
            raise ConfigError(f"cache {directory}: the damaged cache file cannot be removed "
                              f"({error.strerror or error})") from None  # fmt: skip
        _open(directory).close()
        typer.echo(f"cleared: the cache file in {directory} was damaged; removed and recreated")
        return
    typer.echo(f"cleared {removed} answer(s)")


def _cache_dir(flag: Path | None) -> Path:
    from summarise_agent.cache import default_cache_dir
    from summarise_agent.config import resolve_settings

    if flag is not None:
        return flag
    return resolve_settings({}).cache_dir or default_cache_dir()


def _open(directory: Path) -> AnswerCache:
    import sqlite3

    from summarise_agent.cache import AnswerCache
    from summarise_agent.errors import ConfigError

    try:
        return AnswerCache(directory)
    except (OSError, sqlite3.Error) as error:
        raise ConfigError(f"cache {directory}: cannot be opened ({error})") from None


def _size(size_bytes: int) -> str:
    if size_bytes < 1024:
        return f"{size_bytes} bytes"
    size = float(size_bytes)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{size:.1f} {unit}"


def _when(moment: float | None) -> str:
    if moment is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(moment))
