"""Benchmark `summarise batch` against the local OpenAI-compatible server (no real endpoint).

Sections (`--only NAME` runs one):
  throughput - 200 copies of the bundled example at concurrency 64 against a server answering
      in 250 ms with no rate limit (in a child process, so it does not share our GIL): the run
      time of `summarise batch` (process start excluded) against a plain loop of the openai SDK
      sending the same requests, and the same batch without worker processes, alternated in
      the same run; the ratio (target >= 0.9); the CPU per article of the run's own process,
      of its workers and of the plain loop; the machine's load average; then the pipeline's
      CPU per article by stage (no network), measured in process.
  storm - recovery after 429 storms (Retry-After: 1, no limit headers): 30 refusals in a row,
      and 10 seconds of refusals, before an endpoint with no limit: wall time, failures, and
      the pace the limiter ends with (0 = no client-side limit left).
  cold - a cold batch against a server enforcing a requests-per-minute limit (OpenAI-style
      x-ratelimit-* headers, 429 with retry-after-ms) the client must learn: wall vs ideal.
  cached - the re-run time of 1,000 articles when everything is current (target: under 3 s),
      and into a fresh directory served by the answer cache.
  baseline - a plain sequential loop of `summarise FILE --output ...` over a sample.
Run: .venv/bin/python bench/bench_batch.py [--only throughput] [--articles 500 ...]
Articles come from ../shared/corpus/news (made distinct by a numbered last line), or are
generated when the corpus is absent; the throughput section uses examples/ceasefire-talks.txt.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "batch"), str(REPO / "bench")]

from batch_support import ArticleResponder, batch_command, subprocess_env  # noqa: E402
from bench_batch_parts import storm_recovery, throughput  # noqa: E402

from summarise_agent.localserver import LocalChatServer  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "news"
FAKE_KEY = "sk-bench-not-a-real-key"


def make_articles(directory: Path, count: int) -> list[Path]:
    """`count` distinct articles: corpus texts with a numbered last line, or generated ones."""
    directory.mkdir(parents=True, exist_ok=True)
    sources = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []
    paths = []
    for number in range(count):
        if sources:
            text = sources[number % len(sources)].read_text(encoding="utf-8", errors="replace")
        else:
            text = f"Ministers meet for talks, round {number}\n\nProgress was slow.\n"
        path = directory / f"{number // 100:02d}" / f"article-{number:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"{text.rstrip()}\n\nBenchmark copy {number}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def run_batch(tmp: Path, server: LocalChatServer, inputs: Path, out: Path,
              *extra: str) -> tuple[float, dict[str, Any]]:  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(
        batch_command(str(inputs), "--out", str(out), "--base-url", server.base_url, "-q", *extra),
        env=subprocess_env(tmp, FAKE_KEY, SUMMARISE_RETRY_INITIAL_WAIT="0.2"),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"batch failed ({done.returncode}): {done.stderr}")
    return wall, json.loads((out / ".summarise-report.json").read_text(encoding="utf-8"))


def cold_batch(tmp: Path, args: argparse.Namespace) -> None:
    inputs = tmp / "cold"
    make_articles(inputs, args.articles)
    responder = ArticleResponder(delay=args.latency, rpm=args.rpm)
    with LocalChatServer(responder) as server:
        wall, report = run_batch(tmp, server, inputs, tmp / "out-cold",
                                 "--concurrency", str(args.concurrency))  # fmt: skip
    ideal = max(args.articles * args.latency / args.concurrency, args.articles / (args.rpm / 60))
    totals = report["totals"]
    print(f"cold batch: {args.articles} articles, latency {args.latency * 1000:.0f} ms, "
          f"limit {args.rpm} rpm, concurrency {args.concurrency}")
    print(f"  wall {wall:.2f}s (run {report['duration_seconds']:.2f}s) vs ideal {ideal:.2f}s "
          f"= {wall / ideal:.2f}x ideal")
    print(f"  written {totals['written']}, failed {totals['failed']}; requests "
          f"{totals['http_attempts']}; refused with 429: {responder.refused}; "
          f"limit learnt: {report['settings']['learned_rpm']} rpm")  # fmt: skip


def cached_reruns(tmp: Path, args: argparse.Namespace) -> None:
    inputs = tmp / "cached"
    make_articles(inputs, args.cached_articles)
    with LocalChatServer(ArticleResponder()) as server:
        fill, _ = run_batch(tmp, server, inputs, tmp / "out-cached", "--concurrency", "16")
        current, report = run_batch(tmp, server, inputs, tmp / "out-cached")
        asked = len(server.requests)
        fresh, fresh_report = run_batch(tmp, server, inputs, tmp / "out-fresh")
        assert len(server.requests) == asked, "a cached re-run made requests"
    print(f"re-run of {args.cached_articles} articles (filled in {fill:.2f}s, no latency):")
    print(f"  all current, skipped: {current:.2f}s wall (run {report['duration_seconds']:.2f}s), "
          f"skipped {report['totals']['skipped']}, requests 0")
    print(f"  into a fresh directory from the cache: {fresh:.2f}s wall, written "
          f"{fresh_report['totals']['written']}, requests 0")


def sequential_baseline(tmp: Path, args: argparse.Namespace) -> None:
    sample = make_articles(tmp / "sequential", args.baseline_articles)
    responder = ArticleResponder(delay=args.latency, rpm=args.rpm)
    env = subprocess_env(tmp / "seq", FAKE_KEY)
    with LocalChatServer(responder) as server:
        started = time.perf_counter()
        for number, path in enumerate(sample):
            out = tmp / "out-seq" / f"{number}.json"
            subprocess.run([sys.executable, "-m", "summarise_agent", str(path),
                            "--output", str(out),
                            "--base-url", server.base_url],
                           env=env, check=True, capture_output=True)  # fmt: skip
        wall = time.perf_counter() - started
    per_article = wall / len(sample)
    print(f"sequential `summarise FILE` loop: {len(sample)} articles in {wall:.2f}s "
          f"({per_article:.3f}s each) -> {per_article * args.articles:.1f}s for {args.articles}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--rpm", type=int, default=1800, help="the server's requests a minute")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--cached-articles", type=int, default=1000)
    parser.add_argument("--baseline-articles", type=int, default=40,
                        help="sample size of the sequential loop (extrapolated)")
    parser.add_argument("--throughput-articles", type=int, default=200)
    parser.add_argument("--throughput-concurrency", type=int, default=64)
    parser.add_argument("--throughput-latency", type=float, default=0.25)
    parser.add_argument("--rounds", type=int, default=5, help="throughput runs, alternated")
    parser.add_argument("--only", choices=("throughput", "storm", "cold", "cached", "baseline"))
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        print(f"articles from {CORPUS if CORPUS.is_dir() else 'generated text'}")
        for name, step in (("throughput", throughput), ("storm", storm_recovery),
                           ("cold", cold_batch), ("cached", cached_reruns),
                           ("baseline", sequential_baseline)):  # fmt: skip
            if args.only in (None, name):
                step(tmp, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
