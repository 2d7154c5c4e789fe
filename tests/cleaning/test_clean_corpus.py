"""The cleaner on the shared corpus of real articles (read in place, never copied here).

Skipped when ../shared/corpus is absent. The full benchmark is bench/bench_clean.py; these
are its guarantees that must never regress: clean articles lose nothing, real pages clean.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarise_agent.cleaning import clean_document

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
NEWS = sorted((CORPUS / "news").glob("*.txt")) if CORPUS.is_dir() else []
PAGES = sorted((CORPUS / "extraction").glob("*.html"))[::4] if CORPUS.is_dir() else []
_WORDS = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+")

pytestmark = pytest.mark.skipif(not NEWS, reason=f"no shared corpus at {CORPUS}")


def _words(text: str) -> str:
    return " " + " ".join(_WORDS.findall(text)) + " "


def _sentences(text: str) -> list[str]:
    return [s for line in text.splitlines() for s in _SENTENCE_END.split(line) if s.strip()]


def test_plain_text_news_articles_lose_nothing() -> None:
    for article in NEWS:
        original = article.read_text("utf-8")
        document = clean_document(article.read_bytes(), article.name)
        assert document.removed == (), article.name
        kept = _words(document.text)
        lost = [s for s in _sentences(original) if _words(s) not in kept]
        assert lost == [], article.name


def test_real_boilerplate_next_to_a_news_article_costs_no_article_sentence() -> None:
    blocks = re.split(
        r"^-----$", (CORPUS / "boilerplate" / "blocks.txt").read_text("utf-8"), flags=re.M
    )
    article = NEWS[0].read_text("utf-8").strip()
    removed_any = 0
    for block in blocks:
        for joined in (f"{block.strip()}\n\n{article}\n", f"{article}\n\n{block.strip()}\n"):
            document = clean_document(joined.encode(), NEWS[0].name)
            kept = _words(document.text)
            assert [s for s in _sentences(article) if _words(s) not in kept] == []
            removed_any += bool(document.removed)
    assert removed_any == 2 * len(blocks)  # every real block is at least partly recognised


@pytest.mark.parametrize("page", PAGES, ids=[page.stem[:8] for page in PAGES])
def test_real_pages_clean_and_keep_their_article(page: Path) -> None:
    truth = json.loads(page.with_suffix(".json").read_text("utf-8"))["articleBody"]
    document = clean_document(page.read_bytes(), page.name)
    true_words = _WORDS.findall(truth)
    kept = set(_WORDS.findall(document.text))
    share_kept = sum(1 for word in true_words if word in kept) / max(len(true_words), 1)
    assert share_kept > 0.6
