"""The real local-model comparison of prompt v1 and v2 (examples/gold/eval_local.py, shown in
docs/evaluation.md), re-run offline from the answers SmolLM2-135M gave: both configurations
are scored from recordings, with the prompt each names, and the report is the documented one
(the real run's latency aside: a replay is not the model)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from eval_support import GOLD_SET

from conftest import run_cli
from summarise_agent.prompts import load_prompt

RECORDINGS = GOLD_SET / "replay-smollm2"
RERECORD = "if a prompt, schema or the cleaner changed, re-record: make eval-local"
ARGS = ("eval", str(GOLD_SET), "--schema", "positions", "--model", "smollm2-135m",
        "--replay", str(RECORDINGS), "--no-cache", "--max-output-tokens", "1024", "--max-reasks", "1",
        "--compare", "v1:prompt_version=1", "--compare", "v2:prompt_version=2")  # fmt: skip
SECONDS_CELL = re.compile(r"^[+-]?[\d,]+\.\d\d s( \([+-]\d+%\))?$")


@pytest.fixture
def replay_env(env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUMMARISE_DIALECT", "json-object-schema")  # as the real run
    monkeypatch.setenv("SUMMARISE_CONTEXT_TOKENS", "8192")
    return env


def replayed(output_format: str) -> tuple[int, str]:
    result = run_cli(*ARGS, "--format", output_format)
    assert result.exit_code in (0, 8), result.stderr
    assert "no recording" not in result.stdout + result.stderr, RERECORD
    return result.exit_code, result.stdout


def test_both_prompt_versions_are_scored_from_the_real_answers(replay_env: Path) -> None:
    exit_code, stdout = replayed("json")
    report = json.loads(stdout)
    assert report["schemas"] == ["positions"]
    configurations = report["configurations"]
    assert [c["name"] for c in configurations] == ["v1", "v2"]
    assert [c["settings"] for c in configurations] == [{"prompt_version": "1"},
                                                       {"prompt_version": "2"}]  # fmt: skip
    for configuration in configurations:
        articles = configuration["articles"]
        assert len(articles) == 8 and {a["schema"] for a in articles} == {"positions"}
        assert all(a["run"]["cache_hits"] == 0 for a in articles)  # answered, not cached
        errors = [a["error"] for a in articles if a["error"]]
        assert all("no recording" not in error for error in errors), RERECORD
        assert len(errors) < len(articles)  # some answers were usable and scored
        assert configuration["totals"]["run"]["requests"] >= len(articles) - len(errors)
        overall = configuration["overall"]
        assert set(overall) == {"actors", "positions"}
        for part in overall.values():
            assert {"precision", "recall", "f1", "gold", "predicted", "matched"} <= set(part)
            assert all(0 <= part[key] <= 1 for key in ("precision", "recall", "f1"))
        assert overall["positions"]["gold"] == 34 and overall["actors"]["gold"] == 45
    failed = sum(c["totals"]["failed"] for c in configurations)
    assert exit_code == (8 if failed else 0)
    (difference,) = report["differences"]
    assert difference["configuration"] == "v2" and difference["baseline"] == "v1"


def _request_systems() -> list[str]:
    return [json.loads(path.read_text(encoding="utf-8"))["messages"][0]["content"]
            for path in RECORDINGS.glob("*.request.json")]  # fmt: skip


def test_the_recorded_requests_carry_each_prompt_version() -> None:
    systems = _request_systems()
    for version in (1, 2):
        prompt = load_prompt("positions", version).system
        assert sum(system.startswith(prompt) for system in systems) >= 8, f"v{version}"


def _without_seconds(markdown: str) -> list[str]:
    """The report's lines with every latency cell blanked (a replay is not the model)."""
    lines = []
    for line in markdown.splitlines():
        cells = [("s" if SECONDS_CELL.match(cell.strip()) else cell) for cell in line.split("|")]
        lines.append("|".join(cells))
    return lines


def test_the_documented_report_is_what_the_recordings_give(replay_env: Path) -> None:
    _, stdout = replayed("markdown")
    documented = (RECORDINGS / "report.md").read_text(encoding="utf-8")
    assert _without_seconds(stdout) == _without_seconds(documented), RERECORD
    page = (GOLD_SET.parents[1] / "docs" / "evaluation.md").read_text(encoding="utf-8")
    shown = documented.split("\n", 2)[2].rstrip("\n")  # all but the report's own heading
    assert shown in page, "docs/evaluation.md must show report.md as it was measured"
