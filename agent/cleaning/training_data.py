"""Labelled documents for the boilerplate model, built from the shared corpus (training only).

A document is a list of blocks with a label each (1 = boilerplate, 0 = article) and the site it
comes from (cross-validation never puts a site in both training and test folds):
- `page`: an extraction/ page through the cleaner's own HTML path (trafilatura, normalise,
  one block per line); a block is article when it is in the page's true article text.
- `visible`: the same page's whole visible text, as a reader copying the page would paste it.
- `glued`: an article (true article texts of extraction/, news/ articles) with boilerplate
  glued at its edges, one line per block: real blocks of boilerplate/, boilerplate lines of
  the pages, and synthetic boilerplate (synthetic.py).
Extracted pages are cached as JSON in the temp directory: trafilatura runs once per corpus.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from summarise_agent.cleaning.normalise import normalise_text, repair_mojibake
from summarise_agent.cleaning.segment import split_blocks
from summarise_agent.cleaning.synthetic import boilerplate_chunk

_WORDS = re.compile(r"\w+")
_BLOCK_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "section",
    "article", "header", "footer", "nav", "aside", "blockquote", "figcaption", "dt", "dd",
    "ul", "ol", "table", "form", "button", "option", "pre", "title",
)  # fmt: skip
NEWS_SITE = "bbc.co.uk"


@dataclass(frozen=True)
class Doc:
    site: str
    kind: str  # page | visible | glued | news
    blocks: tuple[str, ...]
    labels: tuple[int, ...]


@dataclass(frozen=True)
class Page:
    page_id: str
    site: str
    article: str
    title: str
    cleaner_blocks: tuple[str, ...]
    visible_blocks: tuple[str, ...]


def site_of(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host.removeprefix("www.")


def load_pages(corpus: Path) -> list[Page]:
    """The extraction/ pages, their blocks on both paths; cached in the temp directory."""
    folder = corpus / "extraction"
    files = sorted(folder.glob("*.html"))
    key = hashlib.sha256("".join(p.name for p in files).encode() + b"v4").hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"summarise-clean-blocks-{key}.json"
    if cache.exists():
        return [Page(**{**p, "cleaner_blocks": tuple(p["cleaner_blocks"]),
                        "visible_blocks": tuple(p["visible_blocks"])})
                for p in json.loads(cache.read_text("utf-8"))]  # fmt: skip
    pages = [_page(path) for path in files]
    cache.write_text(json.dumps([p.__dict__ for p in pages], ensure_ascii=False), "utf-8")
    return pages


def _page(path: Path) -> Page:
    from summarise_agent.cleaning.html import extract_article

    truth = json.loads(path.with_suffix(".json").read_text("utf-8"))
    html = path.read_text("utf-8", errors="replace")
    try:
        found = extract_article(html, path.name)
        extracted, title = found.text, found.title or ""
    except Exception:  # a page trafilatura finds nothing in still gives visible blocks
        extracted, title = "", ""
    return Page(
        page_id=path.stem,
        site=site_of(truth.get("url", path.stem)),
        article=truth["articleBody"],
        title=title,
        cleaner_blocks=tuple(_blocks(extracted)),
        visible_blocks=tuple(_blocks(visible_text(html))),
    )


def _blocks(text: str) -> list[str]:
    return [
        " ".join(b) for b in split_blocks(normalise_text(repair_mojibake(text)), one_per_line=True)
    ]


def visible_text(html: str) -> str:
    """All text a browser would show, one line per block element (scripts and styles dropped)."""
    import lxml.html  # type: ignore[import-untyped]

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return ""
    for element in list(root.iter("script", "style", "noscript", "template", "svg")):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        if len(element) == 0 or element.text:
            element.text = "\n" + (element.text or "")
    return str(root.text_content())


class Article:
    """An article's words, to ask whether a block is part of it."""

    def __init__(self, text: str) -> None:
        words = [w.casefold() for w in _WORDS.findall(text)]
        self.joined = " " + " ".join(words) + " "
        self.shingles = {tuple(words[i : i + 4]) for i in range(len(words) - 3)}

    def covers(self, block: str) -> bool | None:
        """True/False for long blocks; None when a short block merely occurs in the article."""
        words = [w.casefold() for w in _WORDS.findall(block)]
        if not words:
            return False
        if len(words) < 4:
            return None if " " + " ".join(words) + " " in self.joined else False
        grams = [tuple(words[i : i + 4]) for i in range(len(words) - 3)]
        return sum(g in self.shingles for g in grams) / len(grams) >= 0.5


def label_blocks(blocks: Iterable[str], article: Article, title: str = "") -> tuple[int, ...]:
    """1 = boilerplate. A short block found in the article counts as article only when an
    article block within two places of it confirms that it sits inside the article. The
    headline is article too (the benchmark's truth leaves it out; a reader would not)."""
    headline = _key(title)
    covered = [True if _is_headline(b, headline) else article.covers(b) for b in blocks]
    labels = []
    for i, hit in enumerate(covered):
        if hit is None:
            near = covered[max(i - 2, 0) : i + 3]
            hit = any(other is True for other in near)
        labels.append(0 if hit else 1)
    return tuple(labels)


def _is_headline(block: str, headline: str) -> bool:
    key = _key(block)
    return bool(key) and (key == headline or (key.count(" ") >= 3 and key in headline))


def _key(text: str) -> str:
    return " ".join(w.casefold() for w in _WORDS.findall(text))


def page_docs(pages: Iterable[Page]) -> list[Doc]:
    docs = []
    for page in pages:
        article = Article(page.article)
        for kind, blocks in (("page", page.cleaner_blocks), ("visible", page.visible_blocks)):
            if blocks:
                docs.append(Doc(page.site, kind, blocks, label_blocks(blocks, article, page.title)))
    return docs


def boilerplate_blocks(corpus: Path) -> list[tuple[str, list[str]]]:
    """(site, lines) of each real block of boilerplate/blocks.txt."""
    folder = corpus / "boilerplate"
    texts = re.split(r"^-----$", (folder / "blocks.txt").read_text("utf-8"), flags=re.M)
    rows = [r.split("\t") for r in (folder / "index.tsv").read_text("utf-8").splitlines()[1:] if r]
    return [
        (site_of(row[2]), [line.strip() for line in text.strip().splitlines() if line.strip()])
        for row, text in zip(rows, texts, strict=True)
    ]


def news_articles(corpus: Path) -> list[list[str]]:
    return [
        [b for b in _blocks(path.read_text("utf-8"))]
        for path in sorted((corpus / "news").glob("*.txt"))
    ]


def glued_docs(
    articles: list[tuple[str, list[str]]],
    real_chunks: list[list[str]],
    rng: random.Random,
    copies: int = 3,
) -> list[Doc]:
    """Each article COPIES times with boilerplate glued before and after it."""
    docs = []
    for site, paragraphs in articles:
        for _ in range(copies):
            before = _chunks(rng, real_chunks, rng.choice((0, 0, 1, 2)))
            after = _chunks(rng, real_chunks, rng.choice((1, 1, 2, 3)))
            blocks = [*before, *paragraphs, *after]
            labels = [1] * len(before) + [0] * len(paragraphs) + [1] * len(after)
            docs.append(Doc(site, "glued", tuple(blocks), tuple(labels)))
    return docs


def _chunks(rng: random.Random, real_chunks: list[list[str]], count: int) -> list[str]:
    lines: list[str] = []
    for _ in range(count):
        use_real = real_chunks and rng.random() < 0.4
        lines.extend(rng.choice(real_chunks) if use_real else boilerplate_chunk(rng))
    return lines


def edge_boilerplate(doc: Doc) -> list[list[str]]:
    """The runs of boilerplate blocks at the start and end of a labelled page document."""
    runs: list[list[str]] = []
    for order in (range(len(doc.blocks)), range(len(doc.blocks) - 1, -1, -1)):
        run = []
        for i in order:
            if not doc.labels[i]:
                break
            run.append(doc.blocks[i])
        if 1 <= len(run) <= 25:
            runs.append(run if order.step == 1 else run[::-1])
    return runs
