"""Helpers shared by the review tests (a plain module, not a conftest: tests/conftest.py is
imported by name elsewhere, and a second `conftest` module would shadow it)."""

from __future__ import annotations

import copy
import io
import json
import os
import sys
from collections.abc import Callable
from contextlib import redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise_agent.cli import main
from summarise_agent.output import render_json

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
ARTICLE = FIXTURES / "harbour-bridge.txt"
POSITIONS = FIXTURES / "harbour-bridge.positions.json"
ACTIONS = FIXTURES / "harbour-bridge.actions.json"
ACTORS = FIXTURES / "harbour-bridge.actors.json"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> CliResult:
    """`summarise ARGS` in this process, exit code taken from SystemExit or main()'s return."""
    out = io.BytesIO()
    err = io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8")
    saved = sys.stdout
    sys.stdout = stdout
    code = 0
    try:
        with redirect_stderr(err):
            returned = main([str(arg) for arg in args])
        code = int(returned or 0)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    finally:
        stdout.flush()
        sys.stdout = saved
    return CliResult(code, out.getvalue().decode("utf-8"), err.getvalue())


def load_fixture(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_record(path: Path, record: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_json(record))
    return path


def edited(path: Path, edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """A deep copy of a fixture record with `edit` applied to it."""
    record = copy.deepcopy(load_fixture(path))
    edit(record)
    return record


def assert_matches_golden(name: str, actual: str) -> None:
    """Compare with tests/review/golden/NAME; UPDATE_GOLDEN=1 rewrites the snapshot instead.
    Snapshots are committed and reviewed like code."""
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no snapshot {golden}: run with UPDATE_GOLDEN=1 and review it"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its snapshot; UPDATE_GOLDEN=1 to accept"
