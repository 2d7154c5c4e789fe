"""Re-record examples/replay/ for the README's example command.

The recording is keyed by the exact request (cleaned article, prompt, schema, model), so a new
prompt version or a change to the cleaner makes `make example` miss: run this, review the diff
of examples/replay/, commit. It serves example-answer.json as a Chat Completions body from a
local server and runs `summarise --record` against it:
    .venv/bin/python examples/record.py
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from summarise_agent.cli import main  # noqa: E402
from summarise_agent.localserver import LocalChatServer, json_reply  # noqa: E402


def chat_completion(content: str) -> dict[str, object]:
    return {
        "id": "chatcmpl-Cx7wq2ExampleRecording",
        "object": "chat.completion",
        "created": 1764025200,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None, "annotations": []},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1093, "completion_tokens": 612, "total_tokens": 1705,
                  "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                  "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                "accepted_prediction_tokens": 0,
                                                "rejected_prediction_tokens": 0}},
        "service_tier": "default",
        "system_fingerprint": "fp_560af6e559",
    }  # fmt: skip


def record() -> int:
    answer = json.dumps(json.loads((HERE / "example-answer.json").read_text()), ensure_ascii=False)
    replay = HERE / "replay"
    shutil.rmtree(replay, ignore_errors=True)
    body = chat_completion(answer)
    with LocalChatServer(lambda request: json_reply(200, body)) as server:
        args = [str(HERE / "ceasefire-talks.txt"), "--schema", "positions", "--no-cache",
                "--base-url", server.base_url, "--record", str(replay), "--output", "/dev/null"]  # fmt: skip
        try:
            main(args)
        except SystemExit as exit_:
            return int(exit_.code or 0)
    return 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("OPENAI_API_KEY", "recording-needs-no-key")
    sys.exit(record())
