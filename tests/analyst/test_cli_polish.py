"""The command line without rough edges: each item through the CLI (issue 14)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summarise_agent.localserver import LocalChatServer
from conftest import ARTICLE, FAKE_API_KEY, recorded, run_cli

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["run", "batch", "clean", "validate", "diff", "show", "config", "export", "eval",
            "cache stats", "cache prune", "schemas list", "schemas export"]  # fmt: skip


def one_error_line(result: Any) -> str:
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("summarise: error: "), result.stderr
    return str(result.stderr)


def test_version(env: Path) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"summarise \S+\n", result.stdout), result.stdout


def test_usage_errors_are_one_line_with_a_hint_and_exit_2(env: Path) -> None:
    result = run_cli(str(ARTICLE), "--bogus")
    line = one_error_line(result)
    assert result.exit_code == 2
    assert "--bogus" in line and "(try 'summarise run --help')" in line
    bad_value = run_cli("batch", "in", "--out", "out", "--concurrency", "many")
    assert bad_value.exit_code == 2 and "try 'summarise batch --help'" in one_error_line(bad_value)


def test_two_files_point_at_batch(env: Path) -> None:
    result = run_cli("a.txt", "b.txt")
    assert result.exit_code == 2
    assert "summarise batch" in one_error_line(result)


@pytest.mark.parametrize("url", ["https://www.example.com/news/a.html", "http://x.test/a"])
def test_a_url_is_refused_with_what_to_do(env: Path, url: str) -> None:
    for args in ([url], ["batch", url, "--out", str(env / "out")]):
        result = run_cli(*args)
        assert result.exit_code == 2
        line = one_error_line(result)
        assert "is a URL" in line and "download it first" in line and "--url" in line
        assert "no such file" not in line


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_python_type_tags(
    env: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli(*command.split(), "--help")
    assert result.exit_code == 0, result.stderr
    tags = re.findall(r"<(?:bool|int|str|float|path|Path|list\[[^\]]*\])>", result.stdout)
    assert not tags, tags


def test_help_paragraphs_are_wrapped_by_the_terminal_not_the_source(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    shown = run_cli("run", "--help").stdout
    # one paragraph of the docstring, which spans three source lines, is one line when it fits
    assert re.search(r"Prints the result to stdout.*docs/configuration\.md\)\.", shown), shown
    assert re.search(r"--mode .*\(default: auto\)", shown)


def test_readme_and_configuration_agree_on_the_mode_default() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    configuration = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert "| `mode` | `--mode` | `auto` |" in configuration
    assert (
        "`auto` (the default)" in readme
        and "json_schema` (strict structured outputs, the default" not in readme
    )


def test_markdown_is_not_taken_from_directories_by_default(env: Path, serve: Any) -> None:
    folder = env / "in"
    folder.mkdir()
    (folder / "README.md").write_text("# About this folder\n\nNotes for the team.\n")
    (folder / "talks.txt").write_bytes(ARTICLE.read_bytes())
    server = serve(recorded("positions_ok"), recorded("positions_ok"))
    result = run_cli("batch", str(folder), "--out", str(env / "out"), "-q",
                     "--base-url", server.base_url)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    report = json.loads((env / "out" / ".summarise-report.json").read_text())
    assert [entry["input"] for entry in report["articles"]] == ["talks.txt"]
    assert len(server.requests) == 1  # the README was not sent (nor billed)
    with_md = run_cli("batch", str(folder), "--out", str(env / "out2"), "-q", "--include", "*.md",
                      "--base-url", server.base_url)  # fmt: skip
    report = json.loads((env / "out2" / ".summarise-report.json").read_text())
    assert [entry["input"] for entry in report["articles"]] == ["README.md"], with_md.stderr


def test_output_equal_to_the_input_is_refused(env: Path, serve: Any) -> None:
    article = env / "talks.txt"
    article.write_bytes(ARTICLE.read_bytes())
    server = serve(recorded("positions_ok"))
    for output in (str(article), str(env / "." / "talks.txt")):
        result = run_cli(str(article), "-o", output, "--base-url", server.base_url)
        assert result.exit_code == 2 and "refusing to overwrite" in one_error_line(result)
    assert article.read_bytes() == ARTICLE.read_bytes()
    assert server.requests == []  # refused before any paid request


@pytest.mark.parametrize("create", [True, False])
def test_output_directory_gets_name_json(env: Path, serve: Any, create: bool) -> None:
    target = env / "newdir"
    if create:
        target.mkdir()
    given = str(target) if create else f"{target}/"  # existing dir, or a trailing slash
    server = serve(recorded("positions_ok"))
    result = run_cli(str(ARTICLE), "-o", given, "--base-url", server.base_url)
    assert result.exit_code == 0, result.stderr
    written = target / "fisheries-talks.json"
    assert json.loads(written.read_text())["source"]["name"] == "fisheries-talks.txt"
    assert sorted(p.name for p in target.iterdir()) == ["fisheries-talks.json"]


def test_a_failed_article_is_named_once(env: Path, serve: Any) -> None:
    folder = env / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("   \n")
    result = run_cli("batch", str(folder), "--out", str(env / "out"))
    assert result.exit_code == 8
    failures = [line for line in result.stderr.splitlines() if "empty.txt" in line]
    assert failures and all(line.count("empty.txt") == 1 for line in failures), failures


def test_stderr_closed_midway_still_writes_a_correct_report(env: Path) -> None:
    """`summarise batch ... 2>&1 | head -1`: the reader goes away after the first line."""
    folder = env / "in"
    folder.mkdir()
    for number in range(6):
        (folder / f"a{number}.txt").write_text(ARTICLE.read_text() + f"\nEdition {number}.\n")
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARISE_", "OPENAI_"))}
    child_env |= {"OPENAI_API_KEY": FAKE_API_KEY, "SUMMARISE_CACHE_DIR": str(env / "cache"),
                  "SUMMARISE_CONFIG": str(env / "config.toml"), "PYTHONPATH": str(REPO)}  # fmt: skip
    with LocalChatServer(lambda request: recorded("positions_ok")) as server:
        read_end, write_end = os.pipe()
        os.close(read_end)  # nobody reads: every write to the pipe fails with EPIPE
        result = subprocess.run(
            [sys.executable, "-m", "summarise_agent", "batch", str(folder), "--out", str(env / "out"),
             "--base-url", server.base_url, "--concurrency", "2"],
            env=child_env, stdout=write_end, stderr=write_end, timeout=60, check=False,
        )  # fmt: skip
        os.close(write_end)
    assert result.returncode == 0
    report = json.loads((env / "out" / ".summarise-report.json").read_text())
    assert report["outcome"] == "completed"
    assert (report["totals"]["written"], report["totals"]["not_started"]) == (6, 0)


def test_config_shows_each_setting_and_where_it_came_from(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (env / "config.toml").write_text("concurrency = 3\n")
    monkeypatch.setenv("SUMMARISE_TEMPERATURE", "0.5")
    result = run_cli("config", "--model", "gpt-4o", "--max-output-tokens", "700")
    assert result.exit_code == 0, result.stderr
    rows = {
        line.split()[0]: line for line in result.stdout.splitlines() if not line.startswith("#")
    }
    assert "gpt-4o" in rows["model"] and "(flag --model)" in rows["model"]
    assert "700" in rows["max_output_tokens"]  # every model flag `run` takes is taken here
    assert "(flag --max-output-tokens)" in rows["max_output_tokens"]
    assert (
        "0.5" in rows["temperature"]
        and "(environment SUMMARISE_TEMPERATURE)" in rows["temperature"]
    )
    assert "3" in rows["concurrency"] and f"(file {env / 'config.toml'})" in rows["concurrency"]
    assert "positions" in rows["schema"] and "(default)" in rows["schema"]
    assert "set (hidden)" in rows["api_key"] and "(environment OPENAI_API_KEY)" in rows["api_key"]
    assert FAKE_API_KEY not in result.stdout + result.stderr
    assert FAKE_API_KEY[:12] not in result.stdout


def test_install_docs_and_distribution_name() -> None:
    """The distribution does not take PyPI's unrelated `summarise`; the README says how to
    get the command on the PATH; no doc tells users to `pip install summarise`."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "summarise-news"
    assert project["scripts"]["summarise"] == "summarise_agent.cli:main"
    assert "pyarrow" in " ".join(project["optional-dependencies"]["parquet"])
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.split("\n```\n")[0].splitlines()[3:5] == [
        "make example   # installs into .venv, then runs the bundled example article and prints its JSON",
        "make test      # installs into .venv (with test tools), then runs the whole test suite",
    ]
    assert "source .venv/bin/activate" in readme and "pipx install ." in readme
    docs = [readme, *(path.read_text(encoding="utf-8") for path in (REPO / "docs").glob("*.md"))]
    # an instruction is a command at the start of a line (a shell line or a CI `run:` step);
    # a warning naming it in prose is fine
    command = re.compile(r"^\s*(?:-\s*run:\s*|\$\s*)?pip install summarise(?:\s|$)", re.MULTILINE)
    assert not [doc[:40] for doc in docs if command.search(doc)]
