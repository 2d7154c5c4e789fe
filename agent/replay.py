"""Recorded responses: `--record DIR` saves every endpoint response, `--replay DIR` answers
from them instead of an endpoint.

A recording is keyed by the hash of the request body (model, messages, schema, settings), so
a replay answers only the very request that was recorded; a changed prompt, article or setting
is a clear miss, never a wrong answer. Files: KEY.response.json holds the response body
byte for byte; KEY.request.json holds the request, for people reading the recordings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarise_agent.localserver import Reply, Responder, error_reply
from summarise_agent.output import write_atomically
from summarise_agent.schema_registry import canonical_sha256

REPLAY_MISS_CODE = "summarise_replay_miss"


def request_key(request: dict[str, Any]) -> str:
    return canonical_sha256(request)[:32]


def replay_responder(directory: Path) -> Responder:
    def respond(request: dict[str, Any]) -> Reply:
        key = request_key(request)
        path = directory / f"{key}.response.json"
        if not path.is_file():
            return error_reply(404, f"no recording {key} in {directory}", REPLAY_MISS_CODE)
        return Reply(status=200, body=path.read_bytes())

    return respond


def save_recording(directory: Path, request: dict[str, Any], response_body: bytes) -> Path:
    key = request_key(request)
    request_text = json.dumps(request, indent=2, ensure_ascii=False) + "\n"
    write_atomically(directory / f"{key}.request.json", request_text.encode("utf-8"))
    path = directory / f"{key}.response.json"
    write_atomically(path, response_body)
    return path
