"""The throughput and 429-storm sections of bench/bench_batch.py (see its docstring).

`python bench/bench_batch_parts.py serve LATENCY` runs the local server in a child process
(printing its base URL, stopping when stdin closes), so the server's threads do not compete
with the client for one interpreter's GIL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "batch")]

from batch_support import ArticleResponder, batch_command, subprocess_env  # noqa: E402

from summarise_agent.localserver import LocalChatServer, Reply, error_reply  # noqa: E402

EXAMPLE = REPO / "examples" / "ceasefire-talks.txt"
FAKE_KEY = "sk-bench-not-a-real-key"


def example_copies(directory: Path, count: int) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8").rstrip()
    paths = []
    for number in range(count):
        path = directory / f"example-{number:04d}.txt"
        path.write_text(f"{text}\n\nBenchmark copy {number}.\n", encoding="utf-8")
        paths.append(path)
    return paths


class ChildServer:
    """The local server in its own process."""

    def __init__(self, latency: float) -> None:
        self._process = subprocess.Popen(
            [sys.executable, __file__, "serve", str(latency)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self._process.stdout is not None
        self.base_url = self._process.stdout.readline().strip()

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(10)


def request_bodies(paths: list[Path]) -> list[dict[str, Any]]:
    """The requests `summarise batch` sends for these articles (built, not timed)."""
    from summarise_agent.batch.model_adapter import online_request_body
    from summarise_agent.cleaning import clean_document
    from summarise_agent.config import resolve_settings
    from summarise_agent.pipeline import Endpoint, RunContext

    run = RunContext(resolve_settings({"cache": False}), Endpoint())
    bodies = []
    for path in paths:
        document = clean_document(path.read_bytes(), path.name)
        bodies.append(online_request_body(run, run.prompt.render(document.text)))
    return bodies


async def sdk_loop(base_url: str, bodies: list[dict[str, Any]], concurrency: int) -> float:
    """A plain openai-SDK loop: the same requests, `concurrency` at a time, answers parsed."""
    import openai

    client = openai.AsyncOpenAI(api_key=FAKE_KEY, base_url=base_url, max_retries=0, timeout=60)
    limit = asyncio.Semaphore(concurrency)

    async def one(body: dict[str, Any]) -> None:
        async with limit:
            completion = await client.chat.completions.create(**body)
            json.loads(completion.choices[0].message.content or "{}")

    started = time.perf_counter()
    await asyncio.gather(*(one(body) for body in bodies))
    elapsed = time.perf_counter() - started
    await client.close()
    return elapsed


def batch_run(tmp: Path, base_url: str, inputs: Path, concurrency: int) -> tuple[float, float]:
    """`summarise batch` in a child process that imports and warms up first (process start
    excluded): the run's wall time, and its CPU time per article in milliseconds."""
    out = tmp / f"out-{time.monotonic_ns()}"
    done = subprocess.run(
        [sys.executable, __file__, "run", base_url, str(inputs), str(out), str(concurrency)],
        env=subprocess_env(tmp, FAKE_KEY), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"batch failed ({done.returncode}): {done.stderr}")
    report = json.loads((out / ".summarise-report.json").read_text(encoding="utf-8"))
    assert report["totals"]["written"] == len(list(inputs.iterdir()))
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def throughput(tmp: Path, args: argparse.Namespace) -> None:
    count, concurrency = args.throughput_articles, args.throughput_concurrency
    paths = example_copies(tmp / "throughput", count)
    bodies = request_bodies(paths)
    server = ChildServer(args.throughput_latency)
    try:
        ours, plain, cpu = [], [], []
        for _ in range(args.rounds):  # alternate, so load on the machine hits both alike
            plain.append(asyncio.run(sdk_loop(server.base_url, bodies, concurrency)))
            wall, cpu_ms = batch_run(tmp, server.base_url, tmp / "throughput", concurrency)
            ours.append(wall)
            cpu.append(cpu_ms)
    finally:
        server.close()
    idle = ChildServer(0.0)  # no latency: the CPU per article is all there is to measure
    try:
        idle_cpu = [batch_run(tmp, idle.base_url, tmp / "throughput", concurrency)[1]
                    for _ in range(args.rounds)]  # fmt: skip
    finally:
        idle.close()
    ideal = count * args.throughput_latency / concurrency
    ratio = statistics.median(plain) / statistics.median(ours)
    print(f"throughput: {count} articles ({EXAMPLE.name} copies), concurrency {concurrency}, "
          f"latency {args.throughput_latency * 1000:.0f} ms, no rate limit (ideal {ideal:.2f}s)")
    print(f"  summarise batch: {_runs(ours)}; plain openai-SDK loop: {_runs(plain)}")
    print(f"  ratio (plain time / batch time, medians): {ratio:.2f} (target >= 0.90)")
    print(f"  client CPU per article, whole run (HTTP client included): "
          f"{statistics.median(idle_cpu):.2f} ms median of {len(idle_cpu)}")
    local_cpu_per_article(paths)


def local_cpu_per_article(paths: list[Path]) -> None:
    """The pipeline's own CPU per article, no network: clean, render, check the answer, ground,
    build and serialise the record (what runs on the event loop besides the HTTP client)."""
    from batch_support import answer_for

    from summarise_agent.batch.model_adapter import online_request_body
    from summarise_agent.cleaning import clean_document
    from summarise_agent.config import resolve_settings
    from summarise_agent.extract import check_answer
    from summarise_agent.grounding import ground_quotes
    from summarise_agent.integrity import dangling_references
    from summarise_agent.output import render_json
    from summarise_agent.pipeline import Endpoint, RunContext
    from summarise_agent.record import build_record

    run = RunContext(resolve_settings({"cache": False}), Endpoint())
    clean_document(paths[0].read_bytes(), paths[0].name)  # lazy imports: start-up, not work
    spent = dict.fromkeys(("clean", "prompt", "check", "record"), 0.0)

    def timed(stage: str, work: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        value = work(*args, **kwargs)
        spent[stage] += time.process_time() - started
        return value

    for path in paths:
        document = timed("clean", clean_document, path.read_bytes(), path.name)
        messages = timed("prompt", run.prompt.render, document.text)
        timed("prompt", run.check_fits_context, path.name, messages)
        timed("prompt", online_request_body, run, messages)
        answer = json.dumps(answer_for(document.text))
        result = timed("check", check_answer, answer, run.schema, document.text).result
        assert result is not None

        def record(result: dict[str, Any] = result, text: str = document.text,
                   name: str = path.name) -> bytes:  # fmt: skip
            return render_json(build_record(
                schema=run.schema, prompt=run.prompt, model=run.settings.model,
                source_name=name, text=text, grounding=ground_quotes(result, text),
                dangling_actor_ids=len(dangling_references(result)),
            ))  # fmt: skip

        timed("record", record)
    per = {stage: seconds / len(paths) * 1000 for stage, seconds in spent.items()}
    print(f"  pipeline CPU per article (no HTTP): {sum(per.values()):.2f} ms (target < 3 ms): "
          f"cleaning {per['clean']:.2f}, prompt and request {per['prompt']:.2f}, "
          f"validation and grounding {per['check']:.2f}, record and JSON {per['record']:.2f}")


def _run_child(base_url: str, inputs: str, out: str, concurrency: str) -> None:
    import summarise_agent.batch.runner
    import summarise_agent.model.transport  # noqa: F401  (imports are start-up, not per-article work)
    from summarise_agent.cleaning import clean_document
    from summarise_agent.cli import main

    clean_document(EXAMPLE.read_bytes(), EXAMPLE.name)  # the cleaners' own lazy imports
    before, started = time.process_time(), time.perf_counter()
    try:
        main(["batch", inputs, "--out", out, "--base-url", base_url, "-q", "--no-cache",
              "--concurrency", concurrency])  # fmt: skip
    except SystemExit as stop:
        if stop.code:
            raise
    wall, spent = time.perf_counter() - started, time.process_time() - before
    print(f"{wall:.4f} {spent / len(os.listdir(inputs)) * 1000:.3f}")


def _runs(seconds: list[float]) -> str:
    runs = ", ".join(f"{s:.2f}" for s in seconds)
    return f"median {statistics.median(seconds):.2f}s (runs: {runs})"


class StormResponder(ArticleResponder):
    """429 with Retry-After: 1 and no limit headers for the first `refusals` requests or the
    first `seconds` after the first request; then every article is answered."""

    def __init__(self, refusals: int = 0, seconds: float = 0.0, delay: float = 0.2) -> None:
        super().__init__(delay=delay)
        self.refusals, self.seconds = refusals, seconds
        self.storm_started: float | None = None
        self.last_answered_at = 0.0
        self._storm_lock = threading.Lock()

    def __call__(self, request: dict[str, Any]) -> Reply:
        with self._storm_lock:
            now = time.monotonic()
            self.storm_started = self.storm_started or now
            storm = self.refused < self.refusals or now - self.storm_started < self.seconds
            if storm:
                self.refused += 1
        self.last_answered_at = now
        if storm:
            return error_reply(429, "Rate limit reached", "rate_limit_exceeded",
                               **{"retry-after": "1"})  # fmt: skip
        return super().__call__(request)


def storm_recovery(tmp: Path, args: argparse.Namespace) -> None:
    print("429-storm recovery (Retry-After: 1, no limit headers; then no limit), 200 ms latency:")
    for label, responder, articles in (
        ("30 refusals in a row, batch of 8", StormResponder(refusals=30), 8),
        ("10-second storm, batch of 200", StormResponder(seconds=10.0), 200),
    ):
        inputs = tmp / f"storm-{articles}"
        example_copies(inputs, articles)
        with LocalChatServer(responder) as server:
            started = time.perf_counter()
            done = subprocess.run(
                batch_command(str(inputs), "--out", str(tmp / f"out-{inputs.name}"), "--base-url",
                              server.base_url, "-q", "--no-cache", "--concurrency", "8"),
                env=subprocess_env(tmp, FAKE_KEY, SUMMARISE_RETRY_ATTEMPTS="20",
                                   SUMMARISE_RETRY_MAX_SECONDS="120"),
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            wall = time.perf_counter() - started
        report = json.loads((tmp / f"out-{inputs.name}" / ".summarise-report.json").read_text())
        totals = report["totals"]
        line = (f"  {label}: {wall:.1f}s wall (exit {done.returncode}), written "
                f"{totals['written']}, failed {totals['failed']}, refused {responder.refused}; "
                f"pace at the end: {report['settings']['learned_rpm']} rpm (0 = no limit)")
        if responder.seconds and responder.storm_started is not None:
            after = responder.last_answered_at - responder.storm_started - responder.seconds
            answered_after = articles - 8  # at most 8 were answered as the storm ended
            print(line + f"; the rest answered {after:.1f}s after the storm "
                  f"(ideal {answered_after * 0.2 / 8:.1f}s at 8 x 200 ms)")  # fmt: skip
        else:
            print(line)


def _serve(latency: float) -> None:
    import summarise_agent.localserver

    # socketserver's listen backlog is 5: 64 clients connecting at once would be reset
    summarise_agent.localserver._QuietHTTPServer.request_queue_size = 256
    with LocalChatServer(ArticleResponder(delay=latency)) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        _serve(float(sys.argv[2]))
    elif sys.argv[1] == "run":
        _run_child(*sys.argv[2:6])
