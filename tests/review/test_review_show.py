"""`summarise show`: golden Markdown and HTML renderings, and the page's self-containment."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from review_support import (
    ACTIONS,
    ACTORS,
    ARTICLE,
    POSITIONS,
    assert_matches_golden,
    edited,
    load_fixture,
    run_cli,
    write_record,
)


@pytest.mark.parametrize("fixture", [POSITIONS, ACTIONS, ACTORS], ids=lambda path: path.stem)
def test_markdown_matches_its_snapshot(fixture: Path) -> None:
    result = run_cli("show", fixture)
    assert result.exit_code == 0, result.stderr
    assert_matches_golden(f"{fixture.stem}.md", result.stdout)


def test_html_with_the_article_matches_its_snapshot() -> None:
    result = run_cli("show", POSITIONS, "--html", "--source", ARTICLE)
    assert result.exit_code == 0, result.stderr
    assert_matches_golden("harbour-bridge.positions.html", result.stdout)


def test_html_without_the_article_says_so_and_matches_its_snapshot() -> None:
    result = run_cli("show", ACTIONS, "--html")
    assert result.exit_code == 0, result.stderr
    assert "pass --source ARTICLE to show the article" in result.stdout
    assert "<mark" not in result.stdout
    assert_matches_golden("harbour-bridge.actions.nosource.html", result.stdout)


class _PageElements(HTMLParser):
    """Collects the elements that matter: marks, anchors and anything that could load."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.loaders: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "mark":
            self.marks.append(attributes)
        if tag == "a" and attributes.get("href"):
            self.links.append(str(attributes["href"]))
        if tag in ("link", "img", "iframe", "object", "embed") or attributes.get("src"):
            self.loaders.append(tag)


def test_every_located_quote_is_highlighted_and_linked_both_ways() -> None:
    page = run_cli("show", POSITIONS, "--html", "--source", ARTICLE).stdout
    elements = _PageElements()
    elements.feed(page)
    record = load_fixture(POSITIONS)
    located = [
        evidence
        for position in record["result"]["positions"]
        for evidence in position["evidence"]
        if evidence["match"] != "not_found"
    ]
    highlighted = {
        evidence_id for mark in elements.marks for evidence_id in str(mark["data-evidence"]).split()
    }
    assert len(highlighted) == len(located) == 6
    assert all(link[1:] in elements.ids for link in elements.links)  # no dangling #anchors
    assert {f"#{evidence_id}" for evidence_id in highlighted} <= set(elements.links)
    claim_ids = {cid for mark in elements.marks for cid in str(mark["data-claims"]).split()}
    assert {f"#{claim_id}" for claim_id in claim_ids} <= set(elements.links)
    assert elements.loaders == []
    assert "default-src 'none'" in page  # the CSP forbids any network access
    assert not re.search(r"https?://", page)


def test_the_article_text_survives_highlighting_unchanged() -> None:
    page = run_cli("show", POSITIONS, "--html", "--source", ARTICLE).stdout
    article_html = page.split('<div class="article">', 1)[1].split("</div>", 1)[0]
    without_refs = re.sub(r'<sup class="refs">.*?</sup>', "", article_html)
    text = re.sub(r"<[^>]+>", "", without_refs)
    import html

    assert html.unescape(text) == ARTICLE.read_text(encoding="utf-8")


def test_model_text_is_escaped(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        record["result"]["summary"] = "<script>alert(1)</script> *bold* | pipe"

    output = write_record(tmp_path / "x.json", edited(POSITIONS, edit))
    page = run_cli("show", output, "--html").stdout
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    markdown = run_cli("show", output).stdout
    assert "\\<script\\>alert(1)\\</script\\> \\*bold\\* \\| pipe" in markdown


def test_show_errors(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another article entirely.\n", encoding="utf-8")
    wrong = run_cli("show", POSITIONS, "--html", "--source", other)
    assert wrong.exit_code == 2 and "is not the article" in wrong.stderr
    assert run_cli("show", tmp_path / "missing.json").exit_code == 3
    assert run_cli("show", POSITIONS, "--html", "--source", tmp_path / "none.txt").exit_code == 3


def test_output_option_writes_the_page(tmp_path: Path) -> None:
    target = tmp_path / "pages" / "positions.html"
    result = run_cli("show", POSITIONS, "--html", "--source", ARTICLE, "-o", target)
    assert (result.exit_code, result.stdout) == (0, "")
    assert (
        target.read_text(encoding="utf-8")
        == run_cli("show", POSITIONS, "--html", "--source", ARTICLE).stdout
    )
