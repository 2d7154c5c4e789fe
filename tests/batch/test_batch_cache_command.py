"""`summarise cache stats|prune|clear` on a cache filled by a batch run."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from batch_support import ArticleResponder, write_articles

from summarise_agent.localserver import LocalChatServer
from conftest import run_cli


def fill_cache(env: Path, count: int) -> None:
    write_articles(env / "in", count)
    with LocalChatServer(ArticleResponder()) as server:
        result = run_cli("batch", str(env / "in"), "--out", str(env / "out"), "--base-url", server.base_url)
    assert result.exit_code == 0, result.stderr


def test_stats_on_an_empty_and_a_filled_cache(env: Path) -> None:
    empty = run_cli("cache", "stats")
    assert empty.exit_code == 0 and "empty" in empty.stdout
    fill_cache(env, 3)
    stats = run_cli("cache", "stats")
    assert stats.exit_code == 0, stats.stderr
    lines = stats.stdout.splitlines()
    assert lines[0] == f"cache: {env / 'cache' / 'answers.sqlite3'}"
    assert "entries: 3" in lines and "model gpt-4o-mini: 3" in lines
    assert any(line.startswith("size: ") and line.endswith("KB") for line in lines)


def test_prune_removes_only_old_answers_and_clear_removes_all(env: Path) -> None:
    fill_cache(env, 4)
    database = env / "cache" / "answers.sqlite3"
    with sqlite3.connect(database) as connection:  # age two answers by ten days
        connection.execute("UPDATE answers SET created = ? WHERE rowid IN (SELECT rowid FROM answers LIMIT 2)",
                           (time.time() - 10 * 86_400,))
    pruned = run_cli("cache", "prune", "--older-than", "7")
    assert pruned.exit_code == 0 and "pruned 2 answer(s) older than 7 day(s); 2 left" in pruned.stdout
    cleared = run_cli("cache", "clear")
    assert cleared.exit_code == 0 and "cleared 2 answer(s)" in cleared.stdout
    assert "entries: 0" in run_cli("cache", "stats").stdout


def test_prune_needs_older_than(env: Path) -> None:
    result = run_cli("cache", "prune")
    assert result.exit_code == 2 and "--older-than" in result.stderr
