"""How single runs meet faults, beyond the matrix rows (tests/reliability): what a re-ask
contains, that Retry-After is waited for, and what an unreachable endpoint says."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from summarise_agent.errors import ExitCode
from summarise_agent.localserver import error_reply
from conftest import ARTICLE, recorded, run_cli


def summarise_to_file(server: Any, target: Path, *extra: str) -> Any:
    return run_cli(
        str(ARTICLE), "--schema", "positions", "--base-url", server.base_url,
        "--output", str(target), *extra,
    )  # fmt: skip


def test_retry_after_is_honoured(env: Path, serve: Any) -> None:
    server = serve(error_reply(429, "slow down", None, **{"Retry-After": "1"}), recorded("positions_ok"))
    started = time.monotonic()
    result = summarise_to_file(server, env / "out.json")
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started >= 0.95  # backoff alone would wait ~0.01 s


def test_unreachable_endpoint(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARISE_RETRY_ATTEMPTS", "2")
    result = run_cli(str(ARTICLE), "--base-url", "http://127.0.0.1:9/v1")
    assert result.exit_code == ExitCode.ENDPOINT
    assert "cannot reach http://127.0.0.1:9/v1" in result.stderr and "after 2 attempts" in result.stderr


def test_invalid_answer_is_reasked_from_the_original_messages(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_invalid"), recorded("positions_ok"))
    result = run_cli(str(ARTICLE), "--base-url", server.base_url)
    assert result.exit_code == 0, result.stderr
    first, second = server.requests
    assert second["messages"][:2] == first["messages"]
    assert [m["role"] for m in second["messages"]] == ["system", "user", "assistant", "user"]
    feedback = second["messages"][3]["content"]
    assert "positions.0.stance" in feedback and "positions.1.summary" in feedback


def test_reasks_never_grow_the_history(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_invalid"), recorded("positions_not_json"), recorded("positions_ok"))
    result = run_cli(str(ARTICLE), "--base-url", server.base_url)
    assert result.exit_code == 0, result.stderr
    assert [len(r["messages"]) for r in server.requests] == [2, 4, 4]
    third = server.requests[2]["messages"]
    assert third[2]["content"].startswith("Here are the positions")  # only the last answer


def test_tool_call_reask_answers_with_a_tool_message(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_invalid"), recorded("positions_tool_call"))
    run_cli(str(ARTICLE), "--base-url", server.base_url, "--mode", "tools")
    # the first answer was content, not a tool call, so the re-ask is a user turn
    assert server.requests[1]["messages"][3]["role"] == "user"


def test_quote_not_found_gets_one_reask_naming_it(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_bad_quote"), recorded("positions_ok"))
    result = run_cli(str(ARTICLE), "--base-url", server.base_url)
    assert result.exit_code == 0, result.stderr
    feedback = server.requests[1]["messages"][3]["content"]
    assert "Ostrova will send its navy to escort the trawlers" in feedback
    assert json.loads(result.stdout)["checks"]["not_found"] == 0


def test_persisting_bad_quote_is_kept_as_not_found_and_strict_fails(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_bad_quote"), recorded("positions_bad_quote"))
    target = env / "out.json"
    result = summarise_to_file(server, target, "--strict")
    assert result.exit_code == ExitCode.STRICT
    assert len(server.requests) == 2  # exactly one grounding re-ask
    record = json.loads(target.read_text())
    assert record["checks"]["not_found"] == 1
    # a claim with no located quote goes after the placed ones (lists follow the article)
    evidence = record["result"]["positions"][-1]["evidence"][0]
    assert {key: evidence[key] for key in ("start", "end", "match")} == {"start": None, "end": None, "match": "not_found"}
    assert evidence["differs"].startswith("quote ")  # the quote's words beside the article's
    assert "evidence[0]: quote " in result.stderr  # named on stderr, then the summary
    assert "1 not found" in result.stderr and "--strict: 1 quote(s) not verified" in result.stderr
    reask = server.requests[1]["messages"][-1]["content"]
    assert "the article says" in reask  # the re-ask names the article's words


def test_dangling_actor_id_is_reasked_then_counted(env: Path, serve: Any) -> None:
    server = serve(*[recorded("positions_dangling")] * 3)
    result = run_cli(str(ARTICLE), "--base-url", server.base_url, "--max-reasks", "2")
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 3
    assert "positions[0].actor is 'fisheries-ministry'" in server.requests[1]["messages"][3]["content"]
    assert json.loads(result.stdout)["checks"]["dangling_actor_ids"] == 1


def test_dangling_actor_id_fixed_by_reask(env: Path, serve: Any) -> None:
    server = serve(recorded("positions_dangling"), recorded("positions_ok"))
    result = run_cli(str(ARTICLE), "--base-url", server.base_url)
    assert json.loads(result.stdout)["checks"]["dangling_actor_ids"] == 0


def test_the_local_server_never_prints_a_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    """--replay runs this server inside the user's process: a client resetting a connection
    mid-request must not put a traceback on the user's terminal."""
    import socket
    import struct

    from summarise_agent.localserver import LocalChatServer

    with LocalChatServer(lambda request: recorded("positions_ok")) as server:
        host, port = server.base_url.split("//")[1].split("/")[0].split(":")
        client = socket.create_connection((host, int(port)))
        client.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 500\r\n\r\n{")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
        deadline = time.monotonic() + 5
        while not server._server.handler_errors and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server._server.handler_errors, "the reset reached the handler"
    assert capfd.readouterr().err == ""
