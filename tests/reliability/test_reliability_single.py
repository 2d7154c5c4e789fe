"""Every row of the fault and bad-input matrices through `summarise FILE`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from reliability_matrix import BAD_INPUTS, CLIENT_TIMEOUT, FAULTS, RETRY_ATTEMPTS, BadInput, Fault

from conftest import ARTICLE, FAKE_API_KEY, recorded, run_cli


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch, fault: Fault) -> None:
    monkeypatch.setenv("SUMMARISE_RETRY_ATTEMPTS", str(RETRY_ATTEMPTS))
    server = serve(*fault.replies)
    target = env / "out" / "article.json"
    result = run_cli(
        str(ARTICLE), "--base-url", server.base_url, "--timeout", str(CLIENT_TIMEOUT),
        "--strict", "-o", str(target),
    )  # fmt: skip
    assert result.exit_code == fault.exit_code, result.stderr
    assert len(server.requests) == fault.requests  # no retry storms, no silent extra calls
    assert "Traceback" not in result.stderr and FAKE_API_KEY not in result.stderr
    if fault.writes_output:
        json.loads(target.read_text(encoding="utf-8"))
    else:
        assert not target.exists()
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("summarise: error: ")
    assert [p.name for p in target.parent.glob("*")] == ([target.name] if fault.writes_output else [])


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c.id for c in BAD_INPUTS])
def test_bad_input(env: Path, serve: Any, case: BadInput) -> None:
    server = serve(recorded("positions_ok"))
    source = case.make(env)
    target = env / "out.json"
    result = run_cli(str(source), "--base-url", server.base_url, "-o", str(target))
    assert result.exit_code == case.exit_code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarise: error: "), result.stderr
    assert case.message in lines[0]
    assert server.requests == [] and not target.exists()
