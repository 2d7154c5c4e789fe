"""Benchmark how grounding time grows with the article: Q quotes on an article of N words.

Long articles are chunked, and their merged result carries hundreds of quotes that are all
grounded against the whole article; this measures that step alone (summarise_agent's
`ground_result`), with one quote in ten altered so the fuzzy path runs too. The article is
tests/grounding/articles plus ../shared/corpus/news when present, repeated to length.
Run: .venv/bin/python bench/bench_grounding_scale.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from summarise_agent.grounding_report import ground_result  # noqa: E402

SIZES = [(17_000, 150), (34_000, 300), (67_000, 600)]


def source_words() -> list[str]:
    folders = [REPO / "tests" / "grounding" / "articles",
               REPO.parent / "shared" / "corpus" / "news"]
    texts = [path.read_text(encoding="utf-8", errors="ignore")
             for folder in folders if folder.is_dir()
             for path in sorted(folder.iterdir()) if path.is_file()]  # fmt: skip
    words = "\n\n".join(texts).split()
    return words * (1 + SIZES[-1][0] // max(1, len(words)))


def quotes_for(text: str, count: int) -> list[dict[str, Any]]:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if 6 < len(s.split()) < 40]
    chooser = random.Random(1)
    quotes = []
    for index in range(count):
        sentence = chooser.choice(sentences)
        if index % 10 == 0:  # a meaning change: the fuzzy path must run and reject it
            words = sentence.split()
            words[len(words) // 2] = "not"
            sentence = " ".join(words)
        quotes.append({"quote": sentence})
    return quotes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    words = source_words()
    print(f"{'words':>7} {'quotes':>7} {'median s':>9} {'ms/quote':>9}")
    for size, count in SIZES:
        text = " ".join(words[:size])
        quotes = quotes_for(text, count)
        result = {"positions": [{"evidence": quotes[i : i + 3]} for i in range(0, count, 3)]}
        times = []
        for _ in range(options.repeats):
            started = time.perf_counter()
            ground_result(result, text)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print(f"{size:>7} {count:>7} {median:>9.2f} {1000 * median / count:>9.2f}")


if __name__ == "__main__":
    main()
