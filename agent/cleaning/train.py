"""Train the boilerplate model and write the packaged weights (development only).

    .venv/bin/pip install -e '.[train]'        # scikit-learn, scipy: never needed at run time
    .venv/bin/python -m summarise_agent.cleaning.train   # corpus at ../shared/corpus (or --corpus DIR)

Logistic regression (scikit-learn) over `features.block_features`; the weights are written to
agent/cleaning/boilerplate_model.json, which `model.py` reads with plain Python. Training is
deterministic (fixed seed, liblinear), so the same corpus gives the same file.
`bench/bench_clean.py` reuses `fold_models` for by-site cross-validation: a site's pages, and
the boilerplate blocks taken from it, are never in the training folds of the model tested on it.
"""

from __future__ import annotations

import argparse
import json
import random
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from summarise_agent.cleaning.features import DENSE_NAMES, HASH_BUCKETS, block_features
from summarise_agent.cleaning.model import MODEL_FILE, BlockModel, Thresholds
from summarise_agent.cleaning.training_data import (
    NEWS_SITE,
    Doc,
    Page,
    boilerplate_blocks,
    edge_boilerplate,
    glued_docs,
    load_pages,
    news_articles,
    page_docs,
)

FOLDS = 5
SEED = 9
# A kept boilerplate line costs less than a lost article sentence: article blocks weigh more.
ARTICLE_WEIGHT = 2.0
# trafilatura's output is what HTML pages become; its few boilerplate blocks count for more.
PAGE_WEIGHT = 3.0
# A page's whole visible text is mostly menus: many blocks, few kinds; they must not dominate.
VISIBLE_WEIGHT = 0.1
REGULARISATION_C = 0.3
# Articles with boilerplate glued on are the closest to pasted text: they count double.
GLUED_WEIGHT = 2.0
_KIND_WEIGHT = {"page": PAGE_WEIGHT, "visible": VISIBLE_WEIGHT, "glued": GLUED_WEIGHT}
# Chosen on the cross-validated figures (docs/cleaning.md): the largest share of boilerplate
# removed while held-out articles lose (almost) nothing.
THRESHOLDS = Thresholds(edge=0.85, edge_long=0.97, gap=0.5, middle=0.98)
HTML_THRESHOLDS = Thresholds(edge=0.93, edge_long=0.98, gap=0.7, middle=0.995)
_PRECISION = 4
_MIN_WEIGHT = 0.005
REPO = Path(__file__).resolve().parents[2]


def fold_of(site: str) -> int:
    """The cross-validation fold of a site: stable, by CRC32 of its host name."""
    return zlib.crc32(site.encode("utf-8")) % FOLDS


def training_docs(
    corpus: Path, pages: Sequence[Page], held_out: int | None, *, with_news: bool
) -> list[Doc]:
    """Every labelled document whose site is not in fold HELD_OUT (None: all of them)."""
    kept = [page for page in pages if held_out is None or fold_of(page.site) != held_out]
    docs = page_docs(kept)
    chunks = [
        lines
        for site, lines in boilerplate_blocks(corpus)
        if held_out is None or fold_of(site) != held_out
    ]
    chunks += [run for doc in docs if doc.kind == "page" for run in edge_boilerplate(doc)]
    articles = [(page.site, _with_headline(page)) for page in kept]
    if with_news:
        news = news_articles(corpus)
        docs += [Doc(NEWS_SITE, "news", tuple(a), (0,) * len(a)) for a in news]
        articles += [(NEWS_SITE, a) for a in news]
    return docs + glued_docs(articles, chunks, random.Random(SEED))


def _with_headline(page: Page) -> list[str]:
    """The page's true article as pasted text: its headline (when known), then its paragraphs."""
    paragraphs = [p.strip() for p in page.article.split("\n") if p.strip()]
    title = page.title.split(" | ")[0].strip()
    return [title, *paragraphs] if title else paragraphs


def fit(docs: Iterable[Doc]) -> dict[str, Any]:
    """Logistic regression on DOCS' blocks, as the JSON the model file holds."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    labels: list[int] = []
    weights: list[float] = []
    for doc in docs:
        from_html = doc.kind == "page"
        vectors = block_features(doc.blocks, from_html=from_html)
        for vector, label in zip(vectors, doc.labels, strict=True):
            for column, value in vector.items():
                rows.append(len(labels))
                columns.append(column)
                values.append(value)
            labels.append(label)
            weight = ARTICLE_WEIGHT if label == 0 else 1.0
            weights.append(weight * _KIND_WEIGHT.get(doc.kind, 1.0))
    matrix = csr_matrix(
        (values, (rows, columns)), shape=(len(labels), len(DENSE_NAMES) + HASH_BUCKETS)
    )
    classifier = LogisticRegression(
        C=REGULARISATION_C, fit_intercept=False, solver="liblinear", max_iter=5000
    )
    classifier.fit(matrix, labels, sample_weight=weights)
    coefficients = [float(c) for c in classifier.coef_[0]]
    return _as_json(coefficients, len(labels), sum(labels))


def _as_json(coefficients: list[float], blocks: int, boilerplate: int) -> dict[str, Any]:
    dense_count = len(DENSE_NAMES)
    hashed = {
        str(index): round(weight, _PRECISION)
        for index, weight in enumerate(coefficients[dense_count:])
        if abs(weight) >= _MIN_WEIGHT
    }
    return {
        "format": 1,
        "about": "Boilerplate block classifier of agent/cleaning (python -m summarise_agent.cleaning.train)",
        "trained_on": {"blocks": blocks, "boilerplate_blocks": boilerplate},
        "hash_buckets": HASH_BUCKETS,
        "thresholds": THRESHOLDS.__dict__,
        "html_thresholds": HTML_THRESHOLDS.__dict__,
        "dense": {n: round(w, _PRECISION) for n, w in zip(DENSE_NAMES, coefficients, strict=False)},
        "hashed": hashed,
    }


def fold_models(corpus: Path, pages: Sequence[Page]) -> dict[int, BlockModel]:
    """One model per fold, trained without that fold's sites and without the news articles
    (so the news articles are unseen text for every fold model)."""
    return {
        fold: BlockModel.from_json(fit(training_docs(corpus, pages, fold, with_news=False)))
        for fold in range(FOLDS)
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the boilerplate model.")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(MODEL_FILE))
    args = parser.parse_args(argv)
    pages = load_pages(args.corpus)
    model = fit(training_docs(args.corpus, pages, None, with_news=True))
    text = json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text):,} bytes, {len(model['hashed'])} hashed weights)")


if __name__ == "__main__":
    main()
