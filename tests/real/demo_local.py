"""`make demo-local`: the bundled example through a real local model.

Starts llama-cpp-python's server with SmolLM2-135M-Instruct on 127.0.0.1 (provision.py
installs both), runs `summarise examples/ceasefire-talks.txt --schema positions` against it
in the default mode, prints the output, and stops the server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from provision import running_server

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    with running_server() as base_url:
        env = {**os.environ, "OPENAI_API_KEY": os.environ.get("OPENAI_API_KEY") or "local",
               "SUMMARISE_CONTEXT_TOKENS": "8192"}  # fmt: skip
        command = [str(Path(sys.executable).parent / "summarise"),
                   str(ROOT / "examples/ceasefire-talks.txt"), "--schema", "positions",
                   "--model", "smollm2-135m", "--base-url", base_url, "--no-cache", "-v"]  # fmt: skip
        return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
