"""Long articles through the CLI: split, extracted per chunk, merged, grounded on the whole text.

The local server answers each chunk request with exactly what is planted in the chunk text
it receives (long_article.PlantedResponder), so the output can be checked against the plan:
every planted actor, position and quote found once, offsets right, bytes deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from long_article import ACTORS, LongArticle, PlantedResponder, make_article, straddling

from summarise_agent.chunking import split_text
from summarise_agent.config import resolve_settings
from summarise_agent.localserver import LocalChatServer, Reply, error_reply
from summarise_agent.pipeline import Endpoint, RunContext
from conftest import run_cli


@pytest.fixture
def planted_server() -> Iterator[tuple[LocalChatServer, PlantedResponder]]:
    responder = PlantedResponder()
    with LocalChatServer(responder) as server:
        yield server, responder


@pytest.fixture(scope="module")
def article() -> LongArticle:
    return make_article(6000, straddle=(600, 200))


def write(tmp: Path, article: LongArticle, name: str = "long.txt") -> Path:
    path = tmp / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(article.text, encoding="utf-8")
    return path


def assert_everything_planted_found_once(record: dict[str, Any], article: LongArticle) -> None:
    result, text = record["result"], article.text
    names = {actor["id"]: actor["name"] for actor in result["actors"]}
    assert sorted(names.values()) == sorted(actor.name for actor in ACTORS)
    planted_positions = {(actor.name, topic) for actor in ACTORS for topic, _ in actor.topics}
    found_positions = [(names[p["actor"]], p["topic"]) for p in result["positions"]]
    assert sorted(found_positions) == sorted(planted_positions)  # each once
    quotes: dict[str, tuple[str, str]] = {}
    for position in result["positions"]:
        for evidence in position["evidence"]:
            assert evidence["quote"] not in quotes, f"found twice: {evidence['quote']}"
            quotes[evidence["quote"]] = (names[position["actor"]], position["topic"])
            assert evidence["match"] == "exact"
            assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
    assert quotes == {
        q.quote: (ACTORS[q.actor].name, ACTORS[q.actor].topics[q.topic][0]) for q in article.quotes
    }
    firsts = [min(e["start"] for e in p["evidence"]) for p in result["positions"]]
    assert firsts == sorted(firsts)  # article order
    assert record["checks"]["not_found"] == 0 and record["checks"]["dangling_actor_ids"] == 0


def test_long_article_is_chunked_merged_and_grounded(
    env: Path, planted_server: Any, article: LongArticle
) -> None:
    server, responder = planted_server
    source = write(env, article)
    result = run_cli(str(source), "--base-url", server.base_url, "--chunk-tokens", "600", "-v")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    chunks = record["settings"]["chunking"]
    assert chunks == {"chunk_tokens": 600, "overlap_tokens": 200, "chunks": chunks["chunks"]}
    assert chunks["chunks"] > 10 and responder.requests == chunks["chunks"]
    assert f"chunks: {chunks['chunks']}; model calls: {chunks['chunks']}" in result.stderr
    assert_everything_planted_found_once(record, article)
    assert straddling(article, 600, 200)  # the article does test boundaries
    by_name = {actor["name"]: actor["id"] for actor in record["result"]["actors"]}
    assert by_name["Ana Ruiz"] == "ana-ruiz"  # named "Minister Ruiz", "Ruiz" in other chunks
    assert by_name["Northern Fisheries Council"] == "northern-fisheries-council"  # and "NFC"


def test_rerun_writes_identical_bytes_and_a_warm_run_makes_no_request(
    env: Path, article: LongArticle
) -> None:
    source = write(env, article)
    outputs = []
    for extra in ((), ("--no-cache",), ()):  # cold, uncached again, then warm
        responder = PlantedResponder()
        with LocalChatServer(responder) as server:
            result = run_cli(str(source), "--base-url", server.base_url, "--chunk-tokens", "600",
                             *extra)  # fmt: skip
        assert result.exit_code == 0, result.stderr
        outputs.append((result.stdout, responder.requests))
    assert outputs[0][0] == outputs[1][0] == outputs[2][0]
    assert outputs[0][1] > 1 and outputs[2][1] == 0


def test_other_chunk_settings_are_other_cache_entries(env: Path, article: LongArticle) -> None:
    source = write(env, article)
    for overlap, expected_cached in (("200", False), ("100", False), ("200", True)):
        responder = PlantedResponder()
        with LocalChatServer(responder) as server:
            result = run_cli(str(source), "--base-url", server.base_url, "--chunk-tokens", "600",
                             "--chunk-overlap-tokens", overlap)  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert (responder.requests == 0) is expected_cached
        assert json.loads(result.stdout)["settings"]["chunking"]["overlap_tokens"] == int(overlap)


def test_an_article_that_fits_is_one_request_with_no_chunking_recorded(
    env: Path, planted_server: Any
) -> None:
    server, responder = planted_server
    source = write(env, make_article(300))
    result = run_cli(str(source), "--base-url", server.base_url, "--chunk-tokens", "20000")
    assert result.exit_code == 0, result.stderr
    assert responder.requests == 1
    assert json.loads(result.stdout)["settings"]["chunking"] is None


def test_batch_chunks_a_long_article_and_reports_chunks(
    env: Path, planted_server: Any, article: LongArticle, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, responder = planted_server
    monkeypatch.setenv("SUMMARISE_CONTEXT_TOKENS", "6000")  # too small for the whole article
    write(env, article)
    (env / "in" / "short.txt").write_text("Talks resume\n\nThe ministers met on Monday.\n")
    out = env / "out"
    result = run_cli("batch", str(env / "in"), "--out", str(out), "--base-url", server.base_url)
    assert result.exit_code == 0, result.stderr
    report = json.loads((out / ".summarise-report.json").read_text(encoding="utf-8"))
    entries = {entry["input"]: entry for entry in report["articles"]}
    record = json.loads((out / entries["long.txt"]["output"]).read_text(encoding="utf-8"))
    assert_everything_planted_found_once(record, article)
    chunks = record["settings"]["chunking"]["chunks"]
    assert entries["long.txt"]["chunks"] == chunks > 1
    assert entries["long.txt"]["model_calls"] == chunks
    assert entries["short.txt"]["chunks"] == 1
    assert responder.requests == chunks + 1


@pytest.mark.parametrize(
    ("context", "args", "code", "message"),
    [
        ("4500", (), 3, "too few to read it even in chunks"),
        ("128000", ("--chunk-tokens", "200000"), 2, "--chunk-tokens 200,000 does not fit"),
        ("128000", ("--chunk-tokens", "10"), 2, "chunk_tokens must be at least 64"),
    ],
)
def test_impossible_chunk_settings_are_one_line_errors(
    env: Path, planted_server: Any, article: LongArticle, monkeypatch: pytest.MonkeyPatch,
    context: str, args: tuple[str, ...], code: int, message: str,
) -> None:  # fmt: skip
    server, responder = planted_server
    monkeypatch.setenv("SUMMARISE_CONTEXT_TOKENS", context)
    result = run_cli(str(write(env, article)), "--base-url", server.base_url, *args)
    assert result.exit_code == code
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert responder.requests == 0


def test_a_60000_word_article_runs_with_an_8k_context(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's "done when": run and batch, every planted item once, deterministic."""
    monkeypatch.setenv("SUMMARISE_CONTEXT_TOKENS", "8192")
    room = 8192 - RunContext(resolve_settings({}), Endpoint()).tokens_needed("")
    article = make_article(60_000, straddle=(room, 200))  # chunks as large as fit
    assert len(article.text.split()) >= 60_000
    source = write(env, article)
    runs = []
    for extra in ((), ()):  # cold, then warm from the cache
        responder = PlantedResponder()
        with LocalChatServer(responder) as server:
            result = run_cli(str(source), "--base-url", server.base_url, *extra)
        assert result.exit_code == 0, result.stderr
        runs.append((result.stdout, responder.requests))
    (cold, cold_requests), (warm, warm_requests) = runs
    record = json.loads(cold)
    chunking = record["settings"]["chunking"]
    assert cold_requests == chunking["chunks"] > 20 and warm_requests == 0 and warm == cold
    assert chunking["chunk_tokens"] == room
    assert_everything_planted_found_once(record, article)
    chunk_tokens, overlap = chunking["chunk_tokens"], chunking["overlap_tokens"]
    assert straddling(article, chunk_tokens, overlap)

    responder = PlantedResponder()
    with LocalChatServer(responder) as server:
        result = run_cli("batch", str(source), "--out", str(env / "out"), "--base-url",
                         server.base_url, "--no-cache")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    report = json.loads((env / "out" / ".summarise-report.json").read_text(encoding="utf-8"))
    entry = report["articles"][0]
    assert entry["chunks"] == entry["model_calls"] == responder.requests == chunking["chunks"]
    batch_record = json.loads((env / "out" / entry["output"]).read_text(encoding="utf-8"))
    assert batch_record["result"] == record["result"]
    assert batch_record["settings"] == record["settings"]


def test_a_chunked_record_validates_against_its_source(
    env: Path, planted_server: Any, article: LongArticle
) -> None:
    server, _ = planted_server
    source = write(env, article)
    target = env / "long.json"
    result = run_cli(str(source), "--base-url", server.base_url, "--chunk-tokens", "800",
                     "--output", str(target))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert run_cli("validate", str(target), "--source", str(source)).exit_code == 0
    record = json.loads(target.read_text(encoding="utf-8"))
    record["settings"]["chunking"]["chunks"] = "many"
    target.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    invalid = run_cli("validate", str(target), "--source", str(source))
    assert invalid.exit_code != 0 and "settings.chunking" in invalid.stdout + invalid.stderr


class FailingOnMarker(PlantedResponder):
    """A 400 for every chunk that holds the marker; the planted answer otherwise."""

    def __call__(self, request: dict[str, Any]) -> Reply:
        if "MARKER-FAIL" in request["messages"][-1]["content"]:
            with self._lock:
                self.requests += 1
            return error_reply(400, "this chunk is refused", "invalid_request")
        return super().__call__(request)


def test_a_failed_chunk_fails_the_article_but_the_other_answers_are_kept(
    env: Path, article: LongArticle
) -> None:
    paragraphs = article.text.split("\n\n")
    middle = len(paragraphs) // 2
    text = "\n\n".join([*paragraphs[:middle], "MARKER-FAIL here.", *paragraphs[middle:]])
    source = env / "marked.txt"
    source.write_text(text, encoding="utf-8")
    failing = FailingOnMarker()
    with LocalChatServer(failing) as server:
        result = run_cli(str(source), "--base-url", server.base_url, "--chunk-tokens", "600")
    assert result.exit_code == 5 and "this chunk is refused" in result.stderr
    chunks = len(split_text(text, 600, 200).chunks)
    marked = sum("MARKER-FAIL" in chunk.text for chunk in split_text(text, 600, 200).chunks)
    assert failing.requests >= chunks  # every chunk was asked, none abandoned
    healthy = PlantedResponder()
    with LocalChatServer(healthy) as server:
        result = run_cli(str(source), "--base-url", server.base_url, "--chunk-tokens", "600")
    assert result.exit_code == 0, result.stderr
    assert healthy.requests == marked  # only the chunks that failed are asked again
