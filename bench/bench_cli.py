"""CLI latency: `summarise --help` wall time, and one article answered from a warm cache.

    .venv/bin/python bench/bench_cli.py [--runs 15]

Runs real subprocesses (what a user or a cron job pays). The cache is warmed once through the
local OpenAI-compatible server with the test fixture answer; each timed run then costs no
request. Prints medians and spreads: compare figures from the same machine only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from summarise_agent.localserver import LocalChatServer, Reply  # noqa: E402

SUMMARISE = str(Path(sys.executable).parent / "summarise")
ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "fisheries-talks.txt"
ANSWER = ROOT / "tests" / "fixtures" / "responses" / "positions_ok.json"


def timed(args: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def describe(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    return (
        f"{label:<28} median {statistics.median(ordered) * 1000:7.1f} ms"
        f"   min {ordered[0] * 1000:7.1f} ms   max {ordered[-1] * 1000:7.1f} ms"
        f"   (n={len(ordered)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "OPENAI_API_KEY": "bench-key", "SUMMARISE_CACHE_DIR": tmp,
               "SUMMARISE_CONFIG": f"{tmp}/config.toml"}  # fmt: skip
        Path(f"{tmp}/config.toml").write_bytes(b"")  # a named config file must exist
        baseline = timed([sys.executable, "-c", "pass"], env, runs)
        help_times = timed([SUMMARISE, "--help"], env, runs)
        with LocalChatServer(lambda request: Reply(body=ANSWER.read_bytes())) as server:
            warm = [SUMMARISE, str(ARTICLE), "--schema", "positions", "--base-url", server.base_url]
            subprocess.run(warm, env=env, check=True, capture_output=True)
            miss = timed([*warm, "--no-cache"], env, runs)
            requests_before = len(server.requests)
            hit = timed(warm, env, runs)
            assert len(server.requests) == requests_before, "a cache hit made a request"
    print(describe("python -c pass (floor)", baseline))
    print(describe("summarise --help", help_times))
    print(describe("one article, cache hit", hit))
    print(describe("one article, local server", miss))
    ratio = statistics.median(hit) / statistics.median(baseline)
    print(f"cache hit / interpreter floor: {ratio:.1f}x")


if __name__ == "__main__":
    main()
