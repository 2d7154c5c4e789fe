"""`summarise validate`: good files pass; each kind of breakage is one line and exit 1."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from review_support import (
    ACTIONS,
    ACTORS,
    ARTICLE,
    FIXTURES,
    POSITIONS,
    edited,
    load_fixture,
    run_cli,
    write_record,
)

from summarise_agent.output import render_json


def test_the_fixtures_are_valid_with_and_without_their_article() -> None:
    plain = run_cli("validate", POSITIONS, ACTIONS, ACTORS)
    assert (plain.exit_code, plain.stdout) == (0, ""), plain.stdout + plain.stderr
    assert "3 file(s) valid" in plain.stderr
    grounded = run_cli("validate", FIXTURES, "--source", FIXTURES)  # directory of articles
    assert (grounded.exit_code, grounded.stdout) == (0, ""), grounded.stdout


def test_the_fixture_article_is_unchanged_by_the_cleaner() -> None:
    """The fixtures' offsets index the cleaned article; if the cleaner changes its text, they
    (and the golden pages) must be rebuilt, and this says so first."""
    from summarise_agent.cleaning import clean_document

    recorded = load_fixture(POSITIONS)["source"]
    text = clean_document(ARTICLE.read_bytes(), ARTICLE.name).text
    assert len(text) == recorded["characters"], "the cleaner changed the fixture article's text"


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(record: dict[str, Any]) -> None:
        node = record
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _edit_bytes(edit: Callable[[dict[str, Any]], None]) -> bytes:
    return render_json(edited(POSITIONS, edit))


def _shifted_exact_quote(record: dict[str, Any]) -> None:
    evidence = record["result"]["positions"][0]["evidence"][0]
    evidence["start"] += 5
    evidence["end"] += 5


def _reordered_top_level(record: dict[str, Any]) -> None:
    items = list(record.items())  # model first, then schema and prompt
    record.clear()
    record.update(items[2:3] + items[:2] + items[3:])


def _reordered_actor_keys(record: dict[str, Any]) -> None:
    actor = record["result"]["actors"][0]
    record["result"]["actors"][0] = dict(reversed(list(actor.items())))


def _duplicate_actor(record: dict[str, Any]) -> None:
    record["result"]["actors"].append(dict(record["result"]["actors"][0]))


def _missing_match(record: dict[str, Any]) -> None:
    del record["result"]["positions"][0]["evidence"][0]["match"]


def _far_fuzzy_span(record: dict[str, Any]) -> None:
    evidence = record["result"]["positions"][2]["evidence"][0]
    evidence["start"], evidence["end"] = 0, 60


POSITIONS_TEXT = POSITIONS.read_bytes()

# (id, the broken file's bytes, text the problem line must hold, check against the article)
BREAKAGES: list[tuple[str, bytes, str, bool]] = [
    ("not-json", POSITIONS_TEXT[:200], "not valid JSON", False),
    ("not-utf8", b"\xff\xfe{}", "not UTF-8", False),
    ("duplicate-key", b'{"model": "a", "model": "b"}\n', "duplicate key 'model'", False),
    ("not-an-object", b"[]\n", "top level must be a JSON object", False),
    ("missing-key", _edit_bytes(lambda r: r.pop("checks")), "missing key(s): checks", False),
    ("top-level-order", _edit_bytes(_reordered_top_level), "keys out of order", False),
    ("unknown-schema", _edit_bytes(_set(("schema", "name"), "opinions")), "unknown schema", False),
    ("schema-version", _edit_bytes(_set(("schema", "version"), 2)), "version 2 is not", False),
    ("schema-hash", _edit_bytes(_set(("schema", "sha256"), "0" * 64)), "another schema", False),
    ("bad-hash-form", _edit_bytes(_set(("source", "sha256"), "XYZ")), "64 lower-case hex", False),
    ("empty-model", _edit_bytes(_set(("model",), "")), "model: must be a non-empty", False),
    (
        "invalid-stance",
        _edit_bytes(_set(("result", "positions", 0, "stance"), "maybe")),
        "result.positions[0].stance: Input should be",
        False,
    ),
    ("result-key-order", _edit_bytes(_reordered_actor_keys), "the schema's order", False),
    (
        "dangling-actor",
        _edit_bytes(_set(("result", "positions", 0, "actor"), "nobody")),
        "result.positions[0].actor: actor id 'nobody' is not in result.actors",
        False,
    ),
    ("duplicate-actor", _edit_bytes(_duplicate_actor), "used by more than one actor", False),
    ("offsets-off", _edit_bytes(_shifted_exact_quote), "offsets hold", True),
    (
        "offsets-out-of-range",
        _edit_bytes(_set(("result", "positions", 0, "evidence", 0, "end"), 5000)),
        "not a span within the 1041 characters",
        False,
    ),
    (
        "not-found-with-offsets",
        _edit_bytes(_set(("result", "positions", 3, "evidence", 1, "start"), 3)),
        "must have null start and end",
        False,
    ),
    (
        "bad-match",
        _edit_bytes(_set(("result", "positions", 0, "evidence", 0, "match"), "close")),
        "must be one of exact, fuzzy, not_found",
        False,
    ),
    ("missing-match", _edit_bytes(_missing_match), "missing key(s): match", False),
    ("fuzzy-span-elsewhere", _edit_bytes(_far_fuzzy_span), "does not resemble the quote", True),
    ("checks-count", _edit_bytes(_set(("checks", "exact"), 9)), "checks.exact: says 9", False),
    (
        "characters",
        _edit_bytes(_set(("source", "characters"), 1040)),
        "source.characters: says 1040",
        True,
    ),
    ("no-final-newline", POSITIONS_TEXT.rstrip(b"\n"), "no newline at the end", False),
    ("crlf", POSITIONS_TEXT.replace(b"\n", b"\r\n"), "CRLF", False),
    (
        "four-space-indent",
        (json.dumps(load_fixture(POSITIONS), indent=4, ensure_ascii=False) + "\n").encode(),
        "indented 4 spaces",
        False,
    ),
    (
        "ascii-escapes",
        (json.dumps(load_fixture(POSITIONS), indent=2, ensure_ascii=True) + "\n").encode(),
        "without \\u escapes",
        False,
    ),
]


@pytest.mark.parametrize(
    ("broken_bytes", "expected", "with_source"),
    [case[1:] for case in BREAKAGES],
    ids=[case[0] for case in BREAKAGES],
)
def test_each_breakage_is_reported_in_one_line(
    tmp_path: Path, broken_bytes: bytes, expected: str, with_source: bool
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(broken_bytes)
    extra = ("--source", ARTICLE) if with_source else ()
    result = run_cli("validate", POSITIONS, broken, *extra)
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(f"{broken}: ") for line in lines), lines
    assert any(expected in line for line in lines), lines
    assert "problem(s) in 1 of 2 file(s)" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_different_article_is_reported_and_its_text_not_used(tmp_path: Path) -> None:
    other = tmp_path / "harbour-bridge.txt"
    other.write_text(ARTICLE.read_text(encoding="utf-8").replace("Tuesday", "Monday"), "utf-8")
    result = run_cli("validate", POSITIONS, "--source", other)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{POSITIONS}: source.sha256: does not match the cleaned text of {other} (the article or "
        "the cleaner changed); quotes not checked against its text"
    ]


def test_an_article_missing_from_the_source_directory_is_a_problem(tmp_path: Path) -> None:
    result = run_cli("validate", POSITIONS, "--source", tmp_path)
    assert result.exit_code == 1
    assert "source.name: article" in result.stdout and "not found" in result.stdout


def test_strict_reports_quotes_not_found() -> None:
    result = run_cli("validate", POSITIONS, "--strict")
    assert result.exit_code == 1
    assert result.stdout == (
        f"{POSITIONS}: result.positions[3].evidence[1]: quote not found in the article: "
        "'The authority has no money for new bridges.'\n"
    )


def test_missing_paths_exit_3_and_bad_options_exit_2(tmp_path: Path) -> None:
    missing = run_cli("validate", POSITIONS, tmp_path / "nope.json")
    assert missing.exit_code == 3
    assert (
        missing.stderr.strip()
        == f"summarise: error: {tmp_path / 'nope.json'}: no such file or directory"
    )
    assert run_cli("validate", POSITIONS, "--schema", "nope").exit_code == 2
    assert run_cli("validate").exit_code == 2  # no PATHS


def test_a_user_schema_is_checked_when_given_with_schema(tmp_path: Path) -> None:
    schema_file = tmp_path / "quotes_schema.py"
    schema_file.write_text(
        "from pydantic import Field\n"
        "from summarise_schemas.blocks import Evidence, ResultModel\n\n"
        "class Quotes(ResultModel):\n"
        "    schema_name = 'quotes'\n"
        "    evidence: list[Evidence] = Field(min_length=1)\n",
        encoding="utf-8",
    )
    from summarise_agent.schema_registry import load_schema

    spec = load_schema(str(schema_file))

    def as_quotes(record: dict[str, Any]) -> None:
        record["schema"] = {"name": "quotes", "version": 1, "sha256": spec.sha256}
        record["result"] = {"evidence": record["result"]["positions"][0]["evidence"]}
        record["checks"] = {
            "quotes": 1,
            "exact": 1,
            "fuzzy": 0,
            "not_found": 0,
            "dangling_actor_ids": 0,
        }

    output = write_record(tmp_path / "quotes.json", edited(POSITIONS, as_quotes))
    unknown = run_cli("validate", output)
    assert unknown.exit_code == 1 and "unknown schema 'quotes'" in unknown.stdout
    known = run_cli("validate", output, "--schema", schema_file, "--source", ARTICLE)
    assert (known.exit_code, known.stdout) == (0, ""), known.stdout


@pytest.mark.parametrize("command", ["validate", "diff", "show"])
def test_help_documents_the_exit_codes(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Exit codes: 0" in " ".join(result.stdout.split())


def test_the_pre_commit_hook_runs_validate() -> None:
    hooks = (FIXTURES.parents[2] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: summarise-validate" in hooks
    assert "entry: summarise validate" in hooks and "types: [json]" in hooks


def test_a_source_directory_is_searched_by_the_relative_source_name(tmp_path: Path) -> None:
    (tmp_path / "articles" / "local").mkdir(parents=True)
    (tmp_path / "articles" / "local" / ARTICLE.name).write_bytes(ARTICLE.read_bytes())
    output = write_record(
        tmp_path / "out.json", edited(POSITIONS, _set(("source", "name"), f"local/{ARTICLE.name}"))
    )
    result = run_cli("validate", output, "--source", tmp_path / "articles")
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout
    escaping = write_record(
        tmp_path / "up.json", edited(POSITIONS, _set(("source", "name"), "../../etc/passwd"))
    )
    result = run_cli("validate", escaping, "--source", tmp_path / "articles")
    assert f"article {tmp_path / 'articles' / 'passwd'} not found" in result.stdout
