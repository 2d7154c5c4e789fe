"""Output format v2: provenance in `source` (path, title, url, published) from the input, never
the model; review commands find the article through `source.path`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from analyst_support import answer_with, html_page

from conftest import ARTICLE, recorded, run_cli

HEAD = (
    "<title>Fishing talks resume | Narrow Sea Times</title>"
    '<link rel="canonical" href="https://news.example/fishing-talks">'
    '<meta property="article:published_time" content="2025-02-03">'
)


@pytest.fixture
def workdir(env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The run's working directory: source.path is relative to it."""
    articles = env / "work" / "articles"
    articles.mkdir(parents=True)
    (articles / "talks.txt").write_bytes(ARTICLE.read_bytes())
    monkeypatch.chdir(env / "work")
    return env / "work"


def _source(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.stderr
    source: dict[str, Any] = json.loads(result.stdout)["source"]
    return source


def test_a_plain_file_records_its_path_relative_to_the_run(workdir: Path, serve: Any) -> None:
    server = serve(recorded("positions_ok"))
    source = _source(run_cli("articles/talks.txt", "--base-url", server.base_url))
    assert source["name"] == "talks.txt"
    assert (source["path"], source["title"], source["url"], source["published"]) == (
        "articles/talks.txt", None, None, None,
    )  # fmt: skip


def test_an_html_page_gives_its_title_canonical_url_and_date(workdir: Path, serve: Any) -> None:
    page = workdir / "articles" / "talks.html"
    page.write_bytes(html_page(ARTICLE.read_text(encoding="utf-8"), head=HEAD))
    server = serve(recorded("positions_ok"))
    source = _source(run_cli(str(page.relative_to(workdir)), "--base-url", server.base_url))
    assert source["path"] == "articles/talks.html"
    assert source["title"].startswith("Fishing talks resume")
    assert source["url"] == "https://news.example/fishing-talks"
    assert source["published"] == "2025-02-03"


def test_a_date_in_the_prose_is_not_a_publication_date(workdir: Path, serve: Any) -> None:
    """Without date markup, the extractor would take a date written in the text (when
    something happened): `published` stays null rather than record that guess."""
    text = ARTICLE.read_text(encoding="utf-8") + "\n\nThe previous round ended on 2021-06-14.\n"
    page = workdir / "articles" / "talks.html"
    page.write_bytes(html_page(text, head="<title>Fishing talks resume</title>"))
    server = serve(recorded("positions_ok"))
    source = _source(run_cli("articles/talks.html", "--base-url", server.base_url))
    assert source["title"] == "Fishing talks resume" and source["published"] is None


def test_flags_give_provenance_and_beat_the_page(workdir: Path, serve: Any) -> None:
    page = workdir / "articles" / "talks.html"
    page.write_bytes(html_page(ARTICLE.read_text(encoding="utf-8"), head=HEAD))
    server = serve(recorded("positions_ok"))
    source = _source(run_cli(
        "articles/talks.html", "--base-url", server.base_url, "--title", "Given title",
        "--url", "https://given.example/a", "--published", "2025-02-04T08:30:00+01:00",
    ))  # fmt: skip
    assert (source["title"], source["url"], source["published"]) == (
        "Given title", "https://given.example/a", "2025-02-04T08:30:00+01:00",
    )  # fmt: skip


def test_stdin_takes_a_name(workdir: Path, serve: Any) -> None:
    server = serve(recorded("positions_ok"))
    result = run_cli("-", "--name", "wire-0042.txt", "--base-url", server.base_url,
                     stdin=ARTICLE.read_bytes())  # fmt: skip
    source = _source(result)
    assert (source["name"], source["path"]) == ("wire-0042.txt", None)


@pytest.mark.parametrize(
    ("flag", "value", "says"),
    [("--published", "3 Feb 2025", "not an ISO 8601 date"), ("--url", "news.example/a", "http")],
)
def test_bad_provenance_flags_are_usage_errors(
    workdir: Path, flag: str, value: str, says: str
) -> None:
    result = run_cli("articles/talks.txt", flag, value)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("summarise: error: ")
    assert says in result.stderr


def test_a_manifest_gives_id_path_and_fields(workdir: Path, serve: Any) -> None:
    manifest = workdir / "list.jsonl"
    entry = {"path": "articles/talks.txt", "id": "wire/0042", "title": "Talks",
             "url": "https://news.example/t", "published": "2025-02-03"}  # fmt: skip
    manifest.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    server = serve(recorded("positions_ok"))
    result = run_cli("batch", "--manifest", "list.jsonl", "-o", "out", "-q",
                     "--base-url", server.base_url)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [output] = sorted((workdir / "out").glob("[!.]*.json"))
    source = json.loads(output.read_text(encoding="utf-8"))["source"]
    assert (source["name"], source["path"], source["title"]) == (
        "wire/0042", "articles/talks.txt", "Talks",
    )  # fmt: skip
    assert (source["url"], source["published"]) == ("https://news.example/t", "2025-02-03")


def test_changed_manifest_fields_rewrite_the_output_without_a_request(
    workdir: Path, serve: Any
) -> None:
    manifest = workdir / "list.jsonl"
    server = serve(recorded("positions_ok"))

    def batch(title: str) -> dict[str, Any]:
        entry = {"path": "articles/talks.txt", "id": "talks", "title": title}
        manifest.write_text(json.dumps(entry) + "\n", encoding="utf-8")
        result = run_cli("batch", "--manifest", "list.jsonl", "-o", "out", "-q", "--base-url",
                         server.base_url)  # fmt: skip
        assert result.exit_code == 0, result.stderr
        report: dict[str, Any] = json.loads(
            (workdir / "out" / ".summarise-report.json").read_text()
        )
        return report["totals"]

    assert batch("First title")["written"] == 1
    assert batch("First title")["skipped"] == 1
    totals = batch("Corrected title")
    assert (totals["written"], totals["http_attempts"]) == (1, 0)
    [output] = sorted((workdir / "out").glob("[!.]*.json"))
    record = json.loads(output.read_text(encoding="utf-8"))
    assert record["source"]["title"] == "Corrected title"
    assert len(server.requests) == 1
    assert run_cli("validate", str(output)).exit_code == 0


def _summarise_to(workdir: Path, serve: Any) -> Path:
    server = serve(recorded("positions_ok"))
    target = workdir / "talks.json"
    result = run_cli("articles/talks.txt", "-o", "talks.json", "--base-url", server.base_url)
    assert result.exit_code == 0, result.stderr
    return target


def test_validate_and_show_find_the_article_from_source_path(workdir: Path, serve: Any) -> None:
    target = _summarise_to(workdir, serve)
    assert run_cli("validate", str(target)).exit_code == 0
    page = run_cli("show", str(target), "--html")
    assert page.exit_code == 0 and "<mark" in page.stdout  # the article, quotes highlighted
    # the offsets are now checked against the article found at source.path
    record = json.loads(target.read_text(encoding="utf-8"))
    record["result"]["positions"][0]["evidence"][0]["start"] += 3
    from summarise_agent.output import render_json

    target.write_bytes(render_json(record))
    broken = run_cli("validate", str(target))
    assert broken.exit_code == 1 and "positions[0].evidence[0]" in broken.stdout, broken.stdout


def test_validate_rejects_bad_v2_provenance_and_unknown_versions(workdir: Path, serve: Any) -> None:
    from summarise_agent.output import render_json

    target = _summarise_to(workdir, serve)
    record = json.loads(target.read_text(encoding="utf-8"))
    record["source"]["published"] = "yesterday"
    target.write_bytes(render_json(record))
    result = run_cli("validate", str(target))
    assert result.exit_code == 1 and "source.published" in result.stdout, result.stdout
    record["source"]["published"] = "2025-02-03"
    record["result"]["positions"].reverse()  # v2 promises the article's order
    target.write_bytes(render_json(record))
    result = run_cli("validate", str(target))
    assert result.exit_code == 1 and "result.positions: not in the article's order" in result.stdout
    record["format_version"] = 3
    target.write_bytes(render_json(record))
    result = run_cli("validate", str(target))
    assert result.exit_code == 1 and "format_version" in result.stdout, result.stdout


def test_lists_follow_the_article_order_whatever_the_model_order(workdir: Path, serve: Any) -> None:
    def reverse(result: dict[str, Any]) -> None:
        result["positions"].reverse()
        result["actors"].reverse()

    in_order = _source_and_result(workdir, serve(recorded("positions_ok")))
    reversed_ = _source_and_result(
        workdir, serve(answer_with("positions_ok", reverse)), "--no-cache"
    )
    assert reversed_ == in_order
    starts = [p["evidence"][0]["start"] for p in in_order["positions"]]
    assert starts == sorted(starts)
    text = ARTICLE.read_text(encoding="utf-8")
    mentions = [text.find(actor["name"]) for actor in in_order["actors"]]
    assert mentions == sorted(mentions)


def _source_and_result(workdir: Path, server: Any, *extra: str) -> dict[str, Any]:
    result = run_cli("articles/talks.txt", "--base-url", server.base_url, *extra)
    assert result.exit_code == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)["result"]
    return answer
