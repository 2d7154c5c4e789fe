"""`make eval-local`: prompt v1 against v2 on the shipped gold set, with a real local model.

Starts llama-cpp-python's server with SmolLM2-135M-Instruct alone on 127.0.0.1 (installed by
tests/real/provision.py; one thread, so it shares a small machine), then runs

    summarise eval examples/gold --schema positions --model smollm2-135m --base-url URL \\
      --no-cache --max-output-tokens 1024 --max-reasks 1 \\
      --compare v1:prompt_version=1 --compare v2:prompt_version=2 \\
      --record examples/gold/replay-smollm2 --format markdown

The answer cap (1,024 tokens instead of the schema's 4,096) and the single re-ask keep the run
under half an hour on a loaded 2-core machine: the model sometimes repeats itself until the
cap, and each such answer costs minutes at a few tokens per second.

with SUMMARISE_DIALECT=json-object-schema (what `auto` picks on this server, named so that
`--replay` sends the very same requests: a replay has no server to probe). The Markdown report
is printed and kept as replay-smollm2/report.md, beside the recorded answers, so that

    SUMMARISE_DIALECT=json-object-schema summarise eval examples/gold --schema positions \\
      --model smollm2-135m --replay examples/gold/replay-smollm2 --no-cache \\
      --max-output-tokens 1024 --max-reasks 1 \\
      --compare v1:prompt_version=1 --compare v2:prompt_version=2

scores the same answers again offline (tests/eval/test_eval_real_recordings.py checks it does).
Old recordings in the directory are removed first: it holds exactly one run.

    .venv/bin/python examples/gold/eval_local.py [--schema S] [--threads N] [--out DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests" / "real"))

from provision import N_CTX, running_server, smollm2  # noqa: E402

MODEL = "smollm2-135m"
DIALECT = "json-object-schema"
COMPARE = ("v1:prompt_version=1", "v2:prompt_version=2")
LIMITS = ("--max-output-tokens", "1024", "--max-reasks", "1")  # see the module docstring


def smollm2_server(threads: int) -> contextlib.AbstractContextManager[str]:
    """llama_cpp.server with SmolLM2 only (no Gemma download), THREADS threads; its base URL."""
    settings: dict[str, object] = {
        "model": str(smollm2()), "model_alias": MODEL, "n_ctx": N_CTX,
        "n_threads": threads, "n_threads_batch": threads, "verbose": False,
    }  # fmt: skip
    return running_server(models=[settings])


def eval_command(schema: str, out: Path, base_url: str) -> list[str]:
    summarise = str(Path(sys.executable).parent / "summarise")
    compare = [arg for pair in COMPARE for arg in ("--compare", pair)]
    return [summarise, "eval", str(HERE), "--schema", schema, "--model", MODEL,
            "--base-url", base_url, "--no-cache", *LIMITS, *compare, "--record", str(out),
            "--format", "markdown", "-v"]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schema", default="positions")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "replay-smollm2")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    for old in options.out.glob("*.json"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp, smollm2_server(options.threads) as base_url:
        (Path(tmp) / "none.toml").write_text("")  # no user config file changes the run
        env = {**os.environ, "OPENAI_API_KEY": os.environ.get("OPENAI_API_KEY") or "local",
               "SUMMARISE_DIALECT": DIALECT, "SUMMARISE_CONTEXT_TOKENS": str(N_CTX),
               "SUMMARISE_CACHE_DIR": f"{tmp}/cache",
               "SUMMARISE_CONFIG": f"{tmp}/none.toml"}  # fmt: skip
        run = subprocess.run(eval_command(options.schema, options.out, base_url), env=env,
                             stdout=subprocess.PIPE, text=True, check=False)  # fmt: skip
    sys.stdout.write(run.stdout)
    (options.out / "report.md").write_text(run.stdout, encoding="utf-8")
    print(f"exit {run.returncode}; report and recordings in {options.out}", file=sys.stderr)
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
