"""Configuration, and the input errors beyond the matrix rows (tests/reliability): one clear
line, a documented exit code, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from summarise_agent.config import resolve_settings
from summarise_agent.errors import ConfigError, ExitCode
from conftest import ARTICLE, FAKE_API_KEY, recorded, run_cli


def one_line_error(result: Any, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("summarise: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.stderr and FAKE_API_KEY not in result.stderr
    assert result.stdout == ""


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_unreadable_file(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(write(env / "secret.txt", b"text"))
    path.chmod(0)
    if os.geteuid() == 0:  # root reads whatever the mode says: make the open fail as it would
        real_open = os.open

        def refuse(name: Any, *args: Any, **kwargs: Any) -> Any:
            if Path(name) == path:
                raise PermissionError(13, "Permission denied", str(name))
            return real_open(name, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    one_line_error(run_cli(str(path)), ExitCode.INPUT, "permission denied")


def test_unknown_schema_lists_the_known_ones(env: Path) -> None:
    one_line_error(run_cli(str(ARTICLE), "--schema", "opinions"), ExitCode.USAGE, "use one of actions, actors, positions")


def test_unknown_prompt_version(env: Path) -> None:
    one_line_error(run_cli(str(ARTICLE), "--prompt-version", "99"), ExitCode.USAGE, "no version 99")


def test_unknown_mode_is_a_usage_error(env: Path) -> None:
    result = run_cli(str(ARTICLE), "--mode", "xml")
    assert result.exit_code == ExitCode.USAGE and "Traceback" not in result.stderr


def test_missing_api_key_names_the_variable(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    one_line_error(run_cli(str(ARTICLE)), ExitCode.CONFIG, "OPENAI_API_KEY")


def test_cache_hit_needs_no_api_key(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run_cli(str(ARTICLE), "--base-url", serve(recorded("positions_ok")).base_url)
    monkeypatch.delenv("OPENAI_API_KEY")
    second = run_cli(str(ARTICLE))
    assert second.exit_code == 0 and second.stdout == first.stdout


def test_settings_come_from_flag_then_environment_then_file(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (env / "config.toml").write_text('model = "from-file"\ntemperature = 0.3\ntimeout = 9\n')
    monkeypatch.setenv("SUMMARISE_MODEL", "from-env")
    monkeypatch.delenv("SUMMARISE_TIMEOUT")
    settings = resolve_settings({"model": None, "temperature": 0.7})
    assert (settings.model, settings.temperature, settings.timeout) == ("from-env", 0.7, 9.0)
    assert resolve_settings({"model": "from-flag"}).model == "from-flag"
    assert resolve_settings({}).api_key == FAKE_API_KEY
    assert FAKE_API_KEY not in repr(resolve_settings({}))


def test_bad_config_values_are_config_errors(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARISE_TEMPERATURE", "warm")
    with pytest.raises(ConfigError, match="SUMMARISE_TEMPERATURE: 'warm' is not a valid float"):
        resolve_settings({})
    monkeypatch.delenv("SUMMARISE_TEMPERATURE")
    (env / "config.toml").write_text("api_key = 'sk-in-a-file'\n")
    one_line_error(run_cli(str(ARTICLE)), ExitCode.CONFIG, "unknown keys api_key")
    (env / "config.toml").write_text("model = \n")
    one_line_error(run_cli(str(ARTICLE)), ExitCode.CONFIG, "config file")


def test_base_url_from_openai_base_url(env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server = serve(recorded("positions_ok"))
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    assert run_cli(str(ARTICLE)).exit_code == 0
    assert len(server.requests) == 1


def test_an_article_over_the_context_window_is_refused_before_any_request(
    env: Path, serve: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = serve(recorded("positions_ok"))
    monkeypatch.setenv("SUMMARISE_CONTEXT_TOKENS", "2000")  # the prompt, schema and answer need more
    result = run_cli(str(ARTICLE), "--base-url", server.base_url)
    one_line_error(result, ExitCode.INPUT, "the model's context window of 2,000", "SUMMARISE_CONTEXT_TOKENS")
    assert server.requests == []
    monkeypatch.setenv("SUMMARISE_CONTEXT_TOKENS", "8000")
    assert run_cli(str(ARTICLE), "--base-url", server.base_url).exit_code == 0


@pytest.mark.parametrize("breakage", ["not-a-database", "dir-is-a-file"])
def test_an_unusable_cache_is_a_config_error_with_a_way_out(env: Path, breakage: str) -> None:
    cache_dir = env / "cache"
    if breakage == "not-a-database":
        cache_dir.mkdir()
        (cache_dir / "answers.sqlite3").write_bytes(b"this is not SQLite" * 100)
    else:
        cache_dir.write_text("a file where the cache directory should be")
    one_line_error(run_cli(str(ARTICLE)), ExitCode.CONFIG, "answer cache", "--no-cache")
