"""One article through the CLI against the local server: the main path and its variants."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from conftest import ARTICLE, FAKE_API_KEY, recorded, run_cli


def summarise(server: Any, *extra: str) -> Any:
    return run_cli(str(ARTICLE), "--schema", "positions", "--base-url", server.base_url, *extra)


def test_positions_result_follows_the_contract(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_ok"))
    result = summarise(server)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert list(record) == [
        "format_version", "schema", "prompt", "model", "settings", "source", "result", "checks",
    ]  # fmt: skip
    assert record["format_version"] == 2
    assert record["settings"] == {"mode": "auto", "dialect": "openai-json-schema", "temperature": 0.0,
                                  "seed": None, "max_output_tokens": 4096, "chunking": None}
    assert record["schema"]["name"] == "positions" and record["schema"]["version"] == 1
    assert record["prompt"] == {
        "name": "positions",
        "version": 1,
        "sha256": record["prompt"]["sha256"],
    }
    assert record["model"] == "gpt-4o-mini"
    assert record["source"]["name"] == "fisheries-talks.txt"
    # provenance: a plain-text file carries only its path (relative to the working directory)
    assert {key: record["source"][key] for key in ("title", "url", "published")} == dict.fromkeys(
        ("title", "url", "published")
    )
    assert record["source"]["path"] == Path(os.path.relpath(ARTICLE)).as_posix()
    assert list(record["result"]) == ["summary", "actors", "positions"]
    assert record["checks"] == {
        "quotes": 3, "exact": 3, "fuzzy": 0, "not_found": 0, "dangling_actor_ids": 0,
            "actors": 5, "actors_not_found": 0,
    }  # fmt: skip
    assert len(server.requests) == 1


def test_written_offsets_point_at_the_quoted_text(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_ok"))
    record = json.loads(summarise(server).stdout)
    cleaned = run_cli("clean", str(ARTICLE)).stdout
    assert record["source"]["characters"] == len(cleaned)
    evidence = record["result"]["positions"][1]["evidence"][0]
    assert cleaned[evidence["start"] : evidence["end"]] == evidence["quote"]
    assert list(evidence) == ["quote", "start", "end", "match", "differs"]
    curly = record["result"]["positions"][0]["evidence"][0]  # model wrote a curly apostrophe
    assert (
        cleaned[curly["start"] : curly["end"]]
        == "will not accept any quota below last year's level"
    )


def test_the_request_carries_the_strict_schema_and_delimited_article(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_ok"))
    summarise(server)
    request = server.requests[0]
    response_format = request["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    user = request["messages"][1]["content"]
    assert "<article>\nFisheries talks to resume" in user and user.rstrip().endswith("</article>")
    assert request["temperature"] == 0.0


def test_output_option_writes_the_same_bytes_as_stdout(env: Path, serve: Any) -> None:
    printed = summarise(serve(recorded("positions_ok"))).stdout
    target = env / "out" / "talks.json"
    result = summarise(serve(recorded("positions_ok")), "--output", str(target), "--no-cache")
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == printed
    assert printed.endswith("}\n") and "\\u" not in printed


def test_stdin_is_read_with_dash(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_ok"))
    result = run_cli("-", "--base-url", server.base_url, stdin=ARTICLE.read_bytes())
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["source"]["name"] == "stdin"


def test_warm_cache_writes_identical_bytes_without_a_request(env: Path, serve: Any) -> None:
    first_server = serve(recorded("positions_ok"))
    first = summarise(first_server)
    second_server = serve()  # answers nothing but a 500: a request would fail the run
    second = summarise(second_server)
    assert second.exit_code == 0, second.stderr
    assert second.stdout == first.stdout
    assert second_server.requests == []


def test_cache_key_changes_with_model_settings(env: Path, serve: Any) -> None:
    summarise(serve(recorded("positions_ok")))
    server = serve(recorded("positions_ok"))
    summarise(server, "--temperature", "0.5")
    assert len(server.requests) == 1  # a different temperature is a different answer


def test_tools_mode_reads_the_tool_call(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_tool_call"))
    result = summarise(server, "--mode", "tools")
    assert result.exit_code == 0, result.stderr
    request = server.requests[0]
    assert request["tool_choice"]["function"]["name"] == "positions"
    assert request["tools"][0]["function"]["strict"] is True
    assert json.loads(result.stdout)["checks"]["exact"] == 3


def test_json_object_mode_puts_the_schema_in_the_prompt(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_ok"))
    result = summarise(server, "--mode", "json_object")
    assert result.exit_code == 0, result.stderr
    request = server.requests[0]
    assert request["response_format"] == {"type": "json_object"}
    assert '"additionalProperties":false' in request["messages"][0]["content"]


def test_actions_and_actors_schemas(env: Path, serve: Any) -> None:
    actions = run_cli(
        str(ARTICLE), "--schema", "actions", "--base-url", serve(recorded("actions_ok")).base_url
    )
    assert actions.exit_code == 0, actions.stderr
    record = json.loads(actions.stdout)
    assert list(record["result"]) == ["summary", "actors", "proposed_actions"]
    assert record["result"]["proposed_actions"][0]["evidence"][0]["match"] == "exact"
    actors = run_cli(
        str(ARTICLE), "--schema", "actors", "--base-url", serve(recorded("actors_ok")).base_url
    )
    assert list(json.loads(actors.stdout)["result"]) == ["actors"]
    assert json.loads(actors.stdout)["checks"]["quotes"] == 0


def test_api_key_is_sent_but_never_printed(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_ok"))
    result = summarise(server, "-vv")
    assert FAKE_API_KEY not in result.stdout + result.stderr
    assert "model calls: 1; requests: 1; tokens: prompt 812, completion 356" in result.stderr
    cache_bytes = b"".join(p.read_bytes() for p in (env / "cache").iterdir())
    assert FAKE_API_KEY.encode() not in cache_bytes
