"""`summarise export DIR`: one table of every record, one row per claim and quote."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ARTICLE, recorded, run_cli

REVIEW_FIXTURES = Path(__file__).resolve().parents[1] / "review" / "fixtures"


@pytest.fixture
def records(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of outputs: one v2 record made here (with provenance), plus the v1 fixtures."""
    monkeypatch.chdir(env)
    (env / "talks.txt").write_bytes(ARTICLE.read_bytes())
    out = env / "out"
    out.mkdir()
    server = serve(recorded("positions_ok"))
    made = run_cli("talks.txt", "-o", "out/", "--base-url", server.base_url, "--title",
                   "Fishing talks resume", "--published", "2025-02-03")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    for fixture in REVIEW_FIXTURES.glob("*.json"):
        (out / fixture.name).write_bytes(fixture.read_bytes())
    return out


def expected_rows(folder: Path) -> int:
    """Claims and quotes counted straight from the JSON (actors when a record has no claims)."""
    total = 0
    for path in folder.glob("*.json"):
        result = json.loads(path.read_text(encoding="utf-8"))["result"]
        claims = result.get("positions", []) + result.get("proposed_actions", [])
        total += sum(max(1, len(claim["evidence"])) for claim in claims) if claims else len(
            result.get("actors", []))  # fmt: skip
    return total


def test_csv_to_stdout_has_one_row_per_claim_and_quote(records: Path) -> None:
    result = run_cli("export", str(records))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == expected_rows(records)
    mine = [row for row in rows if row["file"] == "talks.json"]
    assert {row["title"] for row in mine} == {"Fishing talks resume"}
    assert {row["published"] for row in mine} == {"2025-02-03"}
    first = mine[0]
    assert first["kind"] == "position" and first["actor"] and first["actor_kind"] == "person"
    record = json.loads((records / "talks.json").read_text(encoding="utf-8"))
    evidence = [(item["quote"], item["match"], str(item["start"]), str(item["end"]))
                for claim in record["result"]["positions"] for item in claim["evidence"]]  # fmt: skip
    assert sorted((row["quote"], row["match"], row["start"], row["end"]) for row in mine) == sorted(
        evidence
    )
    actors_only = [row for row in rows if row["file"] == "harbour-bridge.actors.json"]
    assert actors_only and {row["kind"] for row in actors_only} == {"actor"}


def test_jsonl_and_sqlite_hold_the_same_rows(records: Path, env: Path) -> None:
    as_jsonl = run_cli("export", str(records), "-o", str(env / "claims.jsonl"))
    as_sqlite = run_cli("export", str(records), "-o", str(env / "claims.db"))
    assert as_jsonl.exit_code == 0 and as_sqlite.exit_code == 0, as_sqlite.stderr
    lines = [json.loads(line) for line in (env / "claims.jsonl").read_text().splitlines()]
    with sqlite3.connect(env / "claims.db") as db:
        db.row_factory = sqlite3.Row
        rows = [dict(row) for row in db.execute("SELECT * FROM claims")]
        by_stance = dict(db.execute("SELECT stance, count(*) FROM claims WHERE kind = 'position' "
                                    "GROUP BY stance").fetchall())  # fmt: skip
    assert rows == lines and len(rows) == expected_rows(records)
    assert sum(by_stance.values()) == sum(1 for row in lines if row["kind"] == "position")
    assert isinstance(rows[0]["start"], int)


def test_parquet_round_trip(records: Path, env: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    result = run_cli("export", str(records), "-o", str(env / "claims.parquet"))
    assert result.exit_code == 0, result.stderr
    table = pq.read_table(env / "claims.parquet")
    assert table.num_rows == expected_rows(records) and "quote" in table.column_names


def test_parquet_without_pyarrow_says_how_to_get_it(
    records: Path, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    result = run_cli("export", str(records), "-o", str(env / "claims.parquet"))
    assert result.exit_code == 2
    assert "summarise-news[parquet]" in result.stderr and result.stderr.count("\n") == 1
    assert not (env / "claims.parquet").exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [(["--format", "xlsx"], "is not one of"), (["-o", "claims.txt"], "say which format"),
     (["--format", "sqlite"], "give -o FILE")],
)  # fmt: skip
def test_export_usage_errors(records: Path, args: list[str], says: str) -> None:
    result = run_cli("export", str(records), *args)
    assert result.exit_code == 2 and says in result.stderr


def test_a_file_that_is_not_an_output_is_an_input_error(records: Path) -> None:
    (records / "package.json").write_text('{"name": "x"}')
    result = run_cli("export", str(records))
    assert result.exit_code == 3 and "package.json" in result.stderr
