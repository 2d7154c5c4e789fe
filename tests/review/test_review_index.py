"""`summarise show DIR --html -o SITE`: the index page of a folder of records, its per-record
pages, and a screenshot of the index in headless Chromium (unverified articles painted first)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ensure_chromium import ensure_chromium
from png_pixels import read_png
from review_support import ARTICLE, FIXTURES, POSITIONS, edited, run_cli, write_record

BROWSER_TIMEOUT_SECONDS = 60
WINDOW = (1280, 1200)
WARN_BACKGROUND = (0xFD, 0xE2, 0xE1)  # index.css --warn: rows of articles with unverified claims
RULE = (0xD9, 0xDC, 0xE1)  # index.css --line: the rule under every table row


def _unverified(record: dict[str, Any]) -> None:
    """A second quote the article does not hold, in the second position."""
    evidence = record["result"]["positions"][1]["evidence"][0]
    evidence.update(quote="The bridge will never be built while I am here", start=None,
                    end=None, match="not_found")  # fmt: skip
    record["checks"]["exact"] -= 1
    record["checks"]["not_found"] += 1


@pytest.fixture
def site(tmp_path: Path) -> Path:
    records = tmp_path / "records"
    for fixture in FIXTURES.glob("*.json"):
        write_record(records / fixture.name, edited(fixture, lambda record: None))
    write_record(records / "world" / "bridge.unverified.json", edited(POSITIONS, _unverified))
    result = run_cli("show", records, "--html", "-o", tmp_path / "site", "--source", FIXTURES)
    assert result.exit_code == 0, result.stderr
    return tmp_path / "site"


def test_the_index_lists_unverified_claims_first_and_links_every_page(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in index and "<script" not in index and "http" not in index.split("</head>")[1]
    assert "4 article(s)" in index
    links = re.findall(r'href="([^"#]+)(#c\d+)?"', index)
    pages = {href for href, _ in links}
    assert pages == {f"pages/{p.relative_to(site / 'pages').as_posix()}" for p in (site / "pages").rglob("*.html")}
    assert len(pages) == 4
    articles = index.split('id="articles"')[1]
    order = re.findall(r'<a href="pages/([^"]+)\.html">', articles)
    assert order[:2] == ["world/bridge.unverified", "harbour-bridge.positions"]  # most unverified first
    unverified = index.split('id="unverified"')[1].split('id="articles"')[0]
    assert "The bridge will never be built while I am here" in unverified
    # each page shows its article (found through --source) with the quotes highlighted
    page = (site / "pages" / "harbour-bridge.positions.html").read_text(encoding="utf-8")
    assert '<mark class="quote' in page and ARTICLE.read_text(encoding="utf-8")[:30] in page
    # and links back to the index, however deep it sits
    deep = (site / "pages" / "world" / "bridge.unverified.html").read_text(encoding="utf-8")
    assert '<a href="../../index.html">' in deep and '<a href="../index.html">' in page


def test_a_directory_needs_html_and_an_output(tmp_path: Path) -> None:
    result = run_cli("show", FIXTURES, "--html")
    assert result.exit_code == 2 and "--html -o SITE" in result.stderr


@pytest.fixture(scope="session")
def chromium() -> Iterator[str]:
    path, reason = ensure_chromium()
    if path is None:
        pytest.skip(reason)
    yield path


def _chromium(chromium: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="summarise-chromium-") as profile:
        return subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
             "--hide-scrollbars", *args],
            capture_output=True, text=True, timeout=BROWSER_TIMEOUT_SECONDS, check=False,
        )  # fmt: skip


def _bands(rows: list[list[tuple[int, int, int]]], colour: tuple[int, int, int]) -> list[tuple[int, int]]:
    """(first, last) pixel row of each run of rows holding COLOUR across most of the width."""
    painted = [sum(1 for pixel in row if pixel == colour) > len(row) // 2 for row in rows]
    bands: list[tuple[int, int]] = []
    for y, hit in enumerate(painted):
        if hit and bands and bands[-1][1] == y - 1:
            bands[-1] = (bands[-1][0], y)
        elif hit:
            bands.append((y, y))
    return bands


@pytest.mark.timeout(BROWSER_TIMEOUT_SECONDS * 3 + 900)  # room for an install on a CI runner
def test_screenshot_of_the_index(chromium: str, site: Path, tmp_path: Path) -> None:
    index = (site / "index.html").resolve().as_uri()
    dom = _chromium(chromium, "--dump-dom", index)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert [line for line in dom.stderr.splitlines() if ":CONSOLE" in line] == []  # no CSP errors
    shot = tmp_path / "index.png"
    taken = _chromium(chromium, f"--screenshot={shot}", f"--window-size={WINDOW[0]},{WINDOW[1]}", index)
    assert taken.returncode == 0 and shot.is_file(), taken.stderr[-2000:]
    width, height, rows = read_png(shot)
    assert (width, height) == WINDOW
    # the inline style applied (the CSP allows it): the two articles with unverified claims are
    # painted, one band each, next to each other (a row rule between them), and the two other
    # articles' rows come below them: the unverified ones are listed first
    bands = _bands(rows, WARN_BACKGROUND)
    assert len(bands) == 2, bands
    assert bands[1][0] - bands[0][1] <= 3, bands
    rules_below = [first for first, _ in _bands(rows, RULE) if first > bands[1][1] + 1]
    assert len(rules_below) >= 2, (bands, rules_below)
    # and the page is not blank: dark text in the header
    assert any(pixel[0] < 60 and pixel[1] < 60 for pixel in rows[30])
