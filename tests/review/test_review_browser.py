"""The HTML page in a real headless browser: highlights present, script runs, no console output.

Chromium logs every console message (errors, CSP violations, uncaught exceptions) to stderr as
`...:CONSOLE...` lines with --enable-logging=stderr; --dump-dom prints the DOM after scripts ran.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from ensure_chromium import ensure_chromium
from review_support import ARTICLE, POSITIONS, run_cli

BROWSER_TIMEOUT_SECONDS = 60
# appended to a copy of the page only: clicks the first highlight, reports the lit claims
CLICK_PROBE = (
    "<script>document.querySelector('mark.quote').click();"
    "document.body.setAttribute('data-active-claims',"
    " String(document.querySelectorAll('.claim.active').length));</script>"
)


@pytest.fixture(scope="session")
def chromium() -> Iterator[str]:
    path, reason = ensure_chromium()
    if path is None:
        pytest.skip(reason)
    yield path


def _load_in_browser(chromium: str, page: Path) -> tuple[str, list[str]]:
    """(the DOM after scripts ran, the console lines)."""
    with tempfile.TemporaryDirectory(prefix="summarise-chromium-") as profile:
        completed = subprocess.run(
            [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                "--dump-dom", page.resolve().as_uri(),
            ],
            capture_output=True, text=True, timeout=BROWSER_TIMEOUT_SECONDS, check=False,
        )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    console = [line for line in completed.stderr.splitlines() if ":CONSOLE" in line]
    return completed.stdout, console


@pytest.mark.timeout(BROWSER_TIMEOUT_SECONDS * 2 + 900)  # room for an install on a CI runner
def test_the_page_shows_highlights_and_logs_nothing(chromium: str, tmp_path: Path) -> None:
    page_text = run_cli("show", POSITIONS, "--html", "--source", ARTICLE).stdout
    page = tmp_path / "positions.html"
    page.write_text(page_text.replace("</body>", CLICK_PROBE + "\n</body>"), encoding="utf-8")

    dom, console = _load_in_browser(chromium, page)

    assert console == [], console
    marks = re.findall(r'<mark class="quote[^"]*"', dom)
    assert len(marks) == page_text.count('<mark class="quote') == 7
    # the page's own script ran to its end and found every highlight
    assert f'data-highlights="{len(marks)}"' in dom
    # clicking the first highlight lit the claim it supports
    assert 'data-active-claims="1"' in dom
    assert re.search(r'<article class="claim active" id="c1"', dom)
