"""Benchmark grounding: meaning changes caught, true quotes rejected, time per quote.

Cases come from tests/grounding/perturb.py (true quotes of each article, altered in meaning or
benignly) over tests/grounding/articles and ../shared/corpus/news when present. Each article's
cases are answered by the local OpenAI-compatible server as the evidence of one `positions`
result and grounded through the CLI (`summarise FILE`), exactly as a user's run would be.
Reported:
  1. per class, the share of meaning changes not verified (target 100%) and of benign variants
     rejected (target at most 1%);
  2. the time to ground one quote on a long article (all articles joined, ~200k characters).
Run: .venv/bin/python bench/bench_grounding.py [--seeds 1 2 3] [--per-sentence 1]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "grounding")]

from perturb import BENIGN, MEANING, Case, cases  # noqa: E402

from summarise_agent.localserver import LocalChatServer, Reply  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "news"
OWN = REPO / "tests" / "grounding" / "articles"


def completion(result: dict[str, Any]) -> Reply:
    body = {"id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": "bench",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": json.dumps(result)}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}  # fmt: skip
    return Reply(status=200, body=json.dumps(body).encode("utf-8"))


def answer_for(batch: list[Case]) -> dict[str, Any]:
    return {
        "summary": "Benchmark.",
        "actors": [{"id": "a", "name": "A", "kind": "other", "role": None, "affiliation": None}],
        "positions": [{"actor": "a", "topic": f"t{i}", "stance": "neutral", "summary": "s",
                       "evidence": [{"quote": case.quote}]} for i, case in enumerate(batch)],
    }  # fmt: skip


def run_through_cli(path: Path, batch: list[Case]) -> list[str]:
    """The match status `summarise FILE` records for each case, in order."""
    from summarise_agent.cli import main

    with LocalChatServer(lambda request: completion(answer_for(batch))) as server:
        out = io.BytesIO()
        stdout = io.TextIOWrapper(out, encoding="utf-8")
        saved, sys.stdout = sys.stdout, stdout
        try:
            with redirect_stderr(io.StringIO()):
                main([str(path), "--base-url", str(server.base_url), "--no-cache",
                      "--max-reasks", "0"])  # fmt: skip
        except SystemExit as exit_:
            if exit_.code not in (0, None):
                raise
        finally:
            stdout.flush()
            sys.stdout = saved
    record = json.loads(out.getvalue())
    # the file lists positions in the article's order: the topic says which case each is
    by_topic = {p["topic"]: p["evidence"][0]["match"] for p in record["result"]["positions"]}
    return [by_topic[f"t{index}"] for index in range(len(batch))]


def score(paths: list[Path], seeds: list[int], per_sentence: int) -> tuple[Counter[str], list[str]]:
    tally: Counter[str] = Counter()
    wrong: list[str] = []
    for seed in seeds:
        rng = random.Random(seed)
        for path in paths:
            batch = list(cases(path.read_text(encoding="utf-8"), rng, per_sentence))
            if not batch:
                continue
            for case, match in zip(batch, run_through_cli(path, batch), strict=True):
                verified = match != "not_found"
                tally[(case.kind, case.name, "n")] += 1  # type: ignore[index]
                if verified == (case.kind == MEANING):
                    tally[(case.kind, case.name, "wrong")] += 1  # type: ignore[index]
                    wrong.append(f"{case.kind} {case.name} {match}: {case.quote!r}")
    return tally, wrong


def report(tally: Counter[Any], wrong: list[str], show: int) -> None:
    for kind, verb in ((MEANING, "caught"), (BENIGN, "rejected")):
        names = sorted({name for k, name, _ in tally if k == kind})
        total = sum(tally[(kind, name, "n")] for name in names)
        bad = sum(tally[(kind, name, "wrong")] for name in names)
        share = (total - bad) / total if kind == MEANING else bad / total
        print(f"{kind} ({verb}): {share:.2%} of {total}")
        for name in names:
            n, w = tally[(kind, name, "n")], tally[(kind, name, "wrong")]
            value = (n - w) / n if kind == MEANING else w / n
            print(f"  {name:20} {verb} {value:7.2%} of {n}")
    for line in wrong[:show]:
        print("  wrong:", line)


def time_per_quote(paths: list[Path], quotes: int) -> None:
    from summarise_agent.grounding import Article, locate_quote

    text = "\n\n".join(path.read_text(encoding="utf-8") for path in paths)
    rng = random.Random(0)
    batch = [case.quote for case in cases(text, rng)][:quotes]
    started = time.perf_counter()
    article = Article(text)
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    for quote in batch:
        locate_quote(quote, article)
    elapsed = time.perf_counter() - started
    print(f"long article: {len(text):,} characters, indexed in {indexed * 1000:.0f} ms; "
          f"{elapsed / len(batch) * 1000:.2f} ms per quote over {len(batch)} quotes")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--per-sentence", type=int, default=1)
    parser.add_argument("--show", type=int, default=20, help="wrong cases to list")
    parser.add_argument("--quotes", type=int, default=500, help="quotes timed on the long article")
    args = parser.parse_args()
    paths = sorted(OWN.glob("*.txt")) + (sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else [])
    with tempfile.TemporaryDirectory() as home:
        os.environ.update({"OPENAI_API_KEY": "sk-bench-not-a-real-key",
                           "SUMMARISE_CONFIG": str(Path(home) / "none.toml")})  # fmt: skip
        tally, wrong = score(paths, args.seeds, args.per_sentence)
    print(f"articles: {len(paths)}; seeds: {args.seeds}; through `summarise FILE`")
    report(tally, wrong, args.show)
    time_per_quote(paths, args.quotes)


if __name__ == "__main__":
    main()
