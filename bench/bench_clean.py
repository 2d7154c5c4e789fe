#!/usr/bin/env python3
"""Benchmark the cleaning stage on the shared corpus (a script, not a test).

By default the boilerplate model is cross-validated by site: five models are trained
(summarise_agent.cleaning.train.fold_models, needs the `train` extra), each without one fold of
sites and without the news articles, and every page or block is cleaned by the model that never saw
its site. `--packaged` uses the shipped model instead (in-sample figures, no scikit-learn).

1. extraction/: real news pages with their true article text. Runs `clean_document` and plain
   `trafilatura.extract` on every page, writes both outputs as prediction files and scores
   them with the corpus's own scorer (`score_extraction.py --score-existing`: word 4-shingle
   precision, recall, F1 averaged over pages), plus the median time per page.
2. news/*.txt: plain-text articles with no boilerplate. Counts what the cleaner removes and
   how many of their sentences it loses (target: none).
3. The same articles with each real boilerplate block of boilerplate/blocks.txt put before
   and after them, one line per paragraph: how many boilerplate lines are removed, how many
   blocks are removed whole, and again how many article sentences are lost.

Usage: .venv/bin/python bench/bench_clean.py [--corpus ../shared/corpus] [--out DIR] [--packaged]
       .venv/bin/python bench/bench_clean.py --per-article examples/ceasefire-talks.txt
       (only the time per article: CPU milliseconds of `clean_document`, caches cleared each
       time as every article of a batch is new text; run it on two trees to compare them)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from summarise_agent.cleaning import BlockModel, clean_document  # noqa: E402
from summarise_agent.cleaning.model import packaged_model  # noqa: E402
from summarise_agent.cleaning.training_data import NEWS_SITE, load_pages, site_of  # noqa: E402
from summarise_agent.errors import SummariseError  # noqa: E402

try:  # the feature caches (absent in older trees, which this script may be timing too)
    from summarise_agent.cleaning import shape
except ImportError:  # pragma: no cover
    shape = None  # type: ignore[assignment]

ModelFor = Callable[[str], BlockModel]  # the model to clean a given site's text with

_WORDS = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+")
_SCORE_LINE = re.compile(r"^(\S+)\s+\S*\s+([\d.]+) ± [\d.]+\s+([\d.]+) ± [\d.]+\s+([\d.]+) ±")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, help="where to write the prediction files")
    parser.add_argument("--n-bootstrap", type=int, default=200)
    parser.add_argument("--packaged", action="store_true", help="no cross-validation")
    parser.add_argument("--per-article", type=Path, help="only time cleaning this text file")
    parser.add_argument("--runs", type=int, default=500, help="with --per-article")
    args = parser.parse_args()
    if args.per_article:
        per_article(args.per_article, args.runs)
        return
    if not (args.corpus / "extraction").is_dir():
        sys.exit(f"bench_clean: no corpus at {args.corpus} (give --corpus)")
    warnings.filterwarnings("ignore")
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_clean_"))
    out.mkdir(parents=True, exist_ok=True)
    model_for = _packaged if args.packaged else _cross_validated(args.corpus)
    print("model:", "packaged (in-sample)" if args.packaged else "cross-validated by site")
    extraction_table(args.corpus, out, args.n_bootstrap, model_for)
    news_table(args.corpus, model_for)


def per_article(path: Path, runs: int) -> None:
    """CPU time of cleaning PATH (process time: less moved by other jobs than wall time)."""
    import statistics

    data = path.read_bytes()
    clean_document(data, path.name)  # imports, the rules file and the model are loaded once
    times = []  # what cleaning remembers of a block lasts one article: nothing to clear
    for _ in range(runs):
        started = time.process_time()
        clean_document(data, path.name)
        times.append(time.process_time() - started)
    print(
        f"{path.name}: {1000 * sum(times) / runs:.2f} ms CPU per article (mean of {runs}; "
        f"median {1000 * statistics.median(times):.2f} ms)"
    )


def _packaged(site: str) -> BlockModel:
    return packaged_model()


def _cross_validated(corpus: Path) -> ModelFor:
    from summarise_agent.cleaning.train import fold_models, fold_of

    started = time.perf_counter()
    models = fold_models(corpus, load_pages(corpus))
    print(f"trained {len(models)} fold models in {time.perf_counter() - started:.0f} s")
    return lambda site: models[fold_of(site)]


# ------------------------------------------------------------------ extraction benchmark
def extraction_table(corpus: Path, out: Path, n_bootstrap: int, model_for: ModelFor) -> None:
    import trafilatura

    pages = sorted((corpus / "extraction").glob("*.html"))
    cleaner_rules: Counter[str] = Counter()

    def cleaner(page: Path) -> str:
        site = site_of(json.loads(page.with_suffix(".json").read_text("utf-8"))["url"])
        document = clean_document(page.read_bytes(), page.name, model=model_for(site))
        cleaner_rules.update(removal.rule for removal in document.removed)
        return document.text

    def plain_trafilatura(page: Path) -> str:
        # The scorer's own call: trafilatura.extract(html, include_comments=False).
        return trafilatura.extract(page.read_text("utf-8"), include_comments=False) or ""

    tools: dict[str, Callable[[Path], str]] = {
        "summarise-clean": cleaner,
        "trafilatura": plain_trafilatura,
    }
    timings: dict[str, float] = {}
    errors: dict[str, int] = {}
    for tool, extract in tools.items():
        predictions, times, errors[tool] = _run(extract, pages)
        timings[tool] = 1000 * statistics.median(times)
        payload = {"version": tool, "output": {p.stem: {"articleBody": t} for p, t in predictions}}
        (out / f"{tool}.json").write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
    files = [str(out / f"{tool}.json") for tool in tools]
    scores = _scores(corpus, out, files, n_bootstrap)
    print(f"Extraction benchmark: {len(pages)} pages of {corpus / 'extraction'}")
    print(f"(scored by: score_extraction.py --score-existing {' '.join(files)})\n")
    header = ("tool", "precision", "recall", "F1", "ms/page (median)", "errors")
    print("| {:<16} | {:>9} | {:>6} | {:>5} | {:>16} | {:>6} |".format(*header))
    print(f"|{'-' * 18}|{'-' * 11}|{'-' * 8}|{'-' * 7}|{'-' * 18}|{'-' * 8}|")
    for tool in tools:
        f1, precision, recall = scores.get(tool, ("?", "?", "?"))
        print(
            f"| {tool:<16} | {precision:>9} | {recall:>6} | {f1:>5} | {timings[tool]:>16.1f} |"
            f" {errors[tool]:>6} |"
        )
    print(
        "\nRules that fired on these pages (removals):",
        ", ".join(f"{rule} {count}" for rule, count in cleaner_rules.most_common()),
    )


def _scores(
    corpus: Path, out: Path, files: list[str], n_bootstrap: int
) -> dict[str, tuple[str, ...]]:
    """F1, precision and recall of each prediction file, by the corpus's own scorer."""
    command = [
        sys.executable,
        str(corpus / "score_extraction.py"),
        "--n-bootstrap",
        str(n_bootstrap),
        "--out",
        str(out / "scores.json"),
        "--score-existing",
        *files,
    ]
    scored = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return {m.group(1): m.groups()[1:] for m in map(_SCORE_LINE.match, scored.splitlines()) if m}


def _run(
    extract: Callable[[Path], str], pages: list[Path]
) -> tuple[list[tuple[Path, str]], list[float], int]:
    predictions, times, errors = [], [], 0
    for page in pages:
        started = time.perf_counter()
        try:
            text = extract(page)
        except SummariseError as error:  # counted as an empty prediction, like the scorer does
            text, errors = "", errors + 1
            print(f"  {error.message}", file=sys.stderr)
        times.append(time.perf_counter() - started)
        predictions.append((page, text))
    return predictions, times, errors


# ------------------------------------------------------------------ plain-text news
def news_table(corpus: Path, model_for: ModelFor) -> None:
    articles = sorted((corpus / "news").glob("*.txt"))
    blocks = _boilerplate_blocks(corpus / "boilerplate")
    print(f"\nPlain-text news: {len(articles)} articles of {corpus / 'news'}")
    removed, lost, total = 0, 0, 0
    for article in articles:
        document = clean_document(article.read_bytes(), article.name, model=model_for(NEWS_SITE))
        removed += len(document.removed)
        sentences = _sentences(article.read_text("utf-8"))
        total += len(sentences)
        lost += len(_lost(sentences, document.text, article.name))
    print(f"  as they are: {removed} blocks removed, {lost} of {total} sentences lost")
    _injected(articles, blocks, model_for)


def _injected(articles: list[Path], blocks: list[tuple[str, str]], model_for: ModelFor) -> None:
    """Each real boilerplate block put before and after every article, one line a paragraph.

    The block's site decides the model (cross-validation: a model that never saw that site).
    """
    lines_total = lines_removed = lost = cleaned = whole = 0
    per_block: list[str] = []
    for number, (site, block) in enumerate(blocks, start=1):
        block_lines = [line for line in block.splitlines() if line.strip()]
        block_removed = 0
        for article in articles:
            text = "\n".join(p for p in article.read_text("utf-8").splitlines() if p.strip())
            for joined in (
                "\n".join(block_lines) + "\n" + text,
                text + "\n" + "\n".join(block_lines),
            ):
                document = clean_document(joined.encode(), article.name, model=model_for(site))
                left = sum(1 for line in block_lines if _line_kept(line, document.text))
                block_removed += len(block_lines) - left
                whole += left == 0
                lost += len(_lost(_sentences(text), document.text, article.name))
                cleaned += 1
        lines_total += 2 * len(block_lines) * len(articles)
        lines_removed += block_removed
        per_block.append(f"{number}:{block_removed / (2 * len(articles)):.1f}/{len(block_lines)}")
    print(
        f"  with a real boilerplate block before or after, one paragraph per line ({len(blocks)}"
        f" blocks x {len(articles)} articles x 2 positions = {cleaned} documents): "
        f"{lines_removed} of {lines_total} boilerplate lines removed "
        f"({lines_removed / max(lines_total, 1):.0%}), blocks removed whole in {whole} of "
        f"{cleaned} documents, {lost} article sentences lost"
    )
    print(f"  boilerplate lines removed per block (mean/lines): {' '.join(per_block)}")


def _line_kept(line: str, cleaned: str) -> bool:
    """Whether LINE is still in the CLEANED text. A line of one or two words (a topic tag)
    counts only as a whole cleaned line: the article may use the same word."""
    words = " ".join(_WORDS.findall(line))
    if not words:
        return False
    if len(words.split()) <= 2:
        return any(" ".join(_WORDS.findall(kept)) == words for kept in cleaned.splitlines())
    return f" {words} " in " " + " ".join(_WORDS.findall(cleaned)) + " "


def _boilerplate_blocks(folder: Path) -> list[tuple[str, str]]:
    """(site, text) of each real block."""
    texts = re.split(r"^-----$", (folder / "blocks.txt").read_text("utf-8"), flags=re.M)
    rows = (folder / "index.tsv").read_text("utf-8").splitlines()[1:]
    sites = [site_of(row.split("\t")[2]) for row in rows if row.strip()]
    return [(site, text.strip()) for site, text in zip(sites, texts, strict=True)]


def _sentences(text: str) -> list[str]:
    return [s for para in text.splitlines() for s in _SENTENCE_END.split(para) if _WORDS.search(s)]


def _lost(sentences: list[str], cleaned: str, name: str) -> list[str]:
    kept = " " + " ".join(_WORDS.findall(cleaned)) + " "
    missing = [s for s in sentences if " " + " ".join(_WORDS.findall(s)) + " " not in kept]
    for sentence in missing:
        print(f"  LOST in {name}: {sentence[:100]}", file=sys.stderr)
    return missing


if __name__ == "__main__":
    main()
