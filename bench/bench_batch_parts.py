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


async def sdk_loop(
    base_url: str, bodies: list[dict[str, Any]], concurrency: int
) -> tuple[float, float]:
    """A plain openai-SDK loop: the same requests, `concurrency` at a time, answers parsed.
    Its wall time, and its CPU time per request in milliseconds."""
    import openai

    client = openai.AsyncOpenAI(api_key=FAKE_KEY, base_url=base_url, max_retries=0, timeout=60)
    limit = asyncio.Semaphore(concurrency)

    async def one(body: dict[str, Any]) -> None:
        async with limit:
            completion = await client.chat.completions.create(**body)
            json.loads(completion.choices[0].message.content or "{}")

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(body) for body in bodies))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    await client.close()
    return elapsed, cpu / len(bodies) * 1000


def batch_run(
    tmp: Path, base_url: str, inputs: Path, concurrency: int, workers: bool = True
) -> tuple[float, float, float]:
    """`summarise batch` in a child process that imports and warms up first (process start
    excluded): the run's wall time, and its CPU time per article in milliseconds in the run's
    own process (the event loop, the HTTP client, the write's thread) and in its workers.
    `workers=False`: every stage in the event loop, as before agent/batch/workers.py."""
    out = tmp / f"out-{time.monotonic_ns()}"
    # the cache dir exists, as a user's does after a first run: the server's family is probed
    # once and remembered (servers.json), not probed by every run (--no-cache: no answers kept)
    (tmp / "cache").mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, __file__, "run", base_url, str(inputs), str(out), str(concurrency),
         "workers" if workers else "loop"],
        env=subprocess_env(tmp, FAKE_KEY), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"batch failed ({done.returncode}): {done.stderr}")
    report = json.loads((out / ".summarise-report.json").read_text(encoding="utf-8"))
    assert report["totals"]["written"] == len(list(inputs.iterdir()))
    wall, cpu, workers_cpu = done.stdout.split()
    return float(wall), float(cpu), float(workers_cpu)


def throughput(tmp: Path, args: argparse.Namespace) -> None:
    count, concurrency = args.throughput_articles, args.throughput_concurrency
    paths = example_copies(tmp / "throughput", count)
    bodies = request_bodies(paths)
    server = ChildServer(args.throughput_latency)
    inputs, load = tmp / "throughput", [os.getloadavg()[0]]
    runs: dict[str, list[tuple[float, float, float]]] = {"plain": [], "workers": [], "loop": []}
    try:
        for _ in range(args.rounds):  # alternate, so load on the machine hits all alike
            plain_wall, plain_ms = asyncio.run(sdk_loop(server.base_url, bodies, concurrency))
            runs["plain"].append((plain_wall, plain_ms, 0.0))
            runs["workers"].append(batch_run(tmp, server.base_url, inputs, concurrency))
            runs["loop"].append(batch_run(tmp, server.base_url, inputs, concurrency, False))
            load.append(os.getloadavg()[0])
    finally:
        server.close()
    ideal = count * args.throughput_latency / concurrency
    plain, ours, in_loop = ([run[0] for run in runs[name]] for name in runs)
    ratios = [p / o for p, o in zip(plain, ours, strict=True)]
    ratio = statistics.median(plain) / statistics.median(ours)
    print(f"throughput: {count} articles ({EXAMPLE.name} copies), concurrency {concurrency}, "
          f"latency {args.throughput_latency * 1000:.0f} ms, no rate limit (ideal {ideal:.2f}s); "
          f"load average {min(load):.1f} to {max(load):.1f}, {os.cpu_count()} cores")
    print(f"  summarise batch with worker processes: {_runs(ours)}; plain openai-SDK loop: "
          f"{_runs(plain)}")
    print(f"  ratio (plain time / batch time, medians): {ratio:.2f} (target >= 0.90); "
          f"per alternated pair: {', '.join(f'{r:.2f}' for r in ratios)} (median "
          f"{statistics.median(ratios):.2f}: a pair shares the machine's moment)")
    print(f"  without worker processes (every stage in the event loop, as a run does when no core "
          f"is spare): {_runs(in_loop)}, ratio "
          f"{statistics.median(plain) / statistics.median(in_loop):.2f}")
    loop_cpu, workers_cpu = [r[1] for r in runs["workers"]], [r[2] for r in runs["workers"]]
    loop_ms, plain_ms = statistics.median(loop_cpu), statistics.median(r[1] for r in runs["plain"])
    print(f"  client CPU per article (medians of {len(loop_cpu)}): the run's own process (event "
          f"loop, HTTP client, writes) {loop_ms:.2f} ms, its worker processes "
          f"{statistics.median(workers_cpu):.2f} ms; the plain loop {plain_ms:.2f} ms a request; "
          f"so besides the HTTP client the run's event loop spends {loop_ms - plain_ms:.2f} ms "
          "an article")
    local_cpu_per_article(paths)


def local_cpu_per_article(paths: list[Path]) -> None:
    """The pipeline's own CPU per article, no network: clean, render, check the answer, ground,
    build and serialise the record (what runs on the event loop besides the HTTP client)."""
    from batch_support import answer_for

    from summarise_agent.batch.model_adapter import online_request_body
    from summarise_agent.config import resolve_settings
    from summarise_agent.pipeline import Endpoint, RunContext
    from summarise_agent.record import Provenance
    from summarise_agent.stages import check_stage, clean_stage, record_stage

    run = RunContext(resolve_settings({"cache": False}), Endpoint())
    clean_stage(run, paths[0].read_bytes(), paths[0].name)  # lazy imports: start-up, not work
    spent = dict.fromkeys(("clean", "prompt", "check", "record"), 0.0)

    def timed(stage: str, work: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        value = work(*args, **kwargs)
        spent[stage] += time.process_time() - started
        return value

    for path in paths:  # the stages summarise_article runs, in its order
        document = timed("clean", clean_stage, run, path.read_bytes(), path.name)
        messages = timed("prompt", run.prompt.render, document.text)
        timed("prompt", run.check_fits_context, path.name, messages)
        timed("prompt", online_request_body, run, messages)
        answer = json.dumps(answer_for(document.text))
        result = timed("check", check_stage, run, answer, document.text).result
        assert result is not None
        timed("record", record_stage, run, path.name, Provenance(), document.text, result,
              run.record_settings(), None)  # fmt: skip
    per = {stage: seconds / len(paths) * 1000 for stage, seconds in spent.items()}
    print(f"  pipeline CPU per article (no HTTP, in one process): {sum(per.values()):.2f} ms: "
          f"cleaning {per['clean']:.2f}, prompt and request {per['prompt']:.2f}, "
          f"validation and grounding {per['check']:.2f}, record, its grounding and JSON "
          f"{per['record']:.2f}")


def _run_child(base_url: str, inputs: str, out: str, concurrency: str, where: str) -> None:
    import summarise_agent.batch.workers
    from summarise_agent.cli import main

    if where == "loop":
        # as on one core: no worker processes
        summarise_agent.batch.workers.usable_cores = lambda: 1
    else:  # measured even when other work leaves no core to spare (the run would not use them)
        summarise_agent.batch.workers.busy_cores = lambda: 0.0

    def batch(directory: str, out_dir: str) -> None:
        try:
            main(["batch", directory, "--out", out_dir, "--base-url", base_url, "-q",
                  "--no-cache", "--concurrency", concurrency])  # fmt: skip
        except SystemExit as stop:
            if stop.code:
                raise

    # Process start is excluded, as for the plain loop (whose process has imported the SDK
    # and made its client before its clock starts): a run on another, one-article input
    # first, so every module a run imports on first use (the SDK's chat resources and HTTP
    # stack, the model client...) is loaded before the clock starts.
    warm_up = Path(out).parent / f"warm-up-{Path(out).name}"
    (warm_up / "in").mkdir(parents=True)
    (warm_up / "in" / "warm-up.txt").write_text(WARM_UP_ARTICLE, encoding="utf-8")
    batch(str(warm_up / "in"), str(warm_up / "out"))
    warm_children = os.times()
    before, started = time.process_time(), time.perf_counter()
    batch(inputs, out)
    wall, spent = time.perf_counter() - started, time.process_time() - before
    children = os.times()  # the run's workers, reaped when it shut them down
    workers = (children.children_user + children.children_system
               - warm_children.children_user - warm_children.children_system)  # fmt: skip
    per_article = 1000 / len(os.listdir(inputs))
    print(f"{wall:.4f} {spent * per_article:.3f} {workers * per_article:.3f}")


WARM_UP_ARTICLE = (
    "Council approves new bus routes\n\nThe city council voted on Tuesday to add three bus "
    "routes to the northern districts, the transport committee's chair said.\n\nThe routes "
    "start in March and will run every twenty minutes, officials said.\n"
)


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
        _run_child(*sys.argv[2:7])
