"""Grounding through the CLI: a local server answers with chosen quotes and actors; run, batch,
diff, validate and show say which claims the article does not back, and --strict fails on them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from summarise_agent.errors import ExitCode
from summarise_agent.localserver import Reply
from conftest import run_cli

ARTICLE = Path(__file__).parent / "articles" / "harbour-levy.txt"
EXACT = "her council would not support a new harbour levy"
FUZZY = "the levy was a well established practise in other regions"  # hyphen and spelling
NEGATED = "her council would support a new harbour levy"  # the article says "would not"
ELIDED = "her council would ... support a new harbour levy"  # the ellipsis swallows "not"
NUMBER = "which would add 15 euros to every berth fee"  # the article says 12


def actor(actor_id: str, name: str, kind: str = "person") -> dict[str, Any]:
    return {"id": actor_id, "name": name, "kind": kind, "role": None, "affiliation": None}


def answer(quotes: list[str], actors: list[dict[str, Any]] | None = None) -> Reply:
    actors = actors or [actor("helene-marchand", "Hélène Marchand")]
    result = {
        "summary": "Port towns disagree over a harbour levy.",
        "actors": actors,
        "positions": [
            {"actor": actors[0]["id"], "topic": f"topic {index}", "stance": "opposes",
             "summary": "A position.", "evidence": [{"quote": quote}]}
            for index, quote in enumerate(quotes)
        ],
    }  # fmt: skip
    body = {
        "id": "chatcmpl-grounding", "object": "chat.completion", "created": 1764025200,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": json.dumps(result)}}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
    }  # fmt: skip
    return Reply(status=200, body=json.dumps(body).encode("utf-8"))


def summarise(server: Any, *args: str) -> Any:
    return run_cli(str(ARTICLE), "--base-url", server.base_url, "--no-cache", *args)


def test_each_status_is_recorded_and_every_unverified_quote_is_named(env: Path, serve: Any) -> None:
    server = serve(answer([EXACT, FUZZY, NEGATED, ELIDED, NUMBER]))
    result = summarise(server, "--max-reasks", "0")
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 1  # --max-reasks 0: no re-ask of any kind
    record = json.loads(result.stdout)
    evidence = [p["evidence"][0] for p in record["result"]["positions"]]
    assert [e["match"] for e in evidence] == [
        "exact",
        "fuzzy",
        "not_found",
        "not_found",
        "not_found",
    ]
    assert evidence[0]["differs"] is None and evidence[1]["differs"]
    assert evidence[2]["differs"] == "quote 'would support' / article 'would not support'"
    assert "negation 'not'" in evidence[3]["differs"]
    assert evidence[4]["differs"] == "quote 'add 15 euros' / article 'add 12 euros'"
    assert all(e["start"] is None and e["end"] is None for e in evidence[2:])
    assert record["checks"] == {"quotes": 5, "exact": 1, "fuzzy": 1, "not_found": 3,
                                "dangling_actor_ids": 0, "actors": 1, "actors_not_found": 0}  # fmt: skip
    warnings = [
        line for line in result.stderr.splitlines() if line.startswith("summarise: warning")
    ]
    assert len(warnings) == 4  # three quotes, then the summary line
    assert "positions[2].evidence[0]: quote 'her council would support" in warnings[0]
    assert "article 'would not support'" in warnings[0]
    assert warnings[-1].endswith(
        "5 quote(s): 1 exact, 1 fuzzy, 3 not found; 1 actor(s): 0 not found"
    )


def test_strict_fails_on_not_found_and_strict_exact_on_fuzzy(env: Path, serve: Any) -> None:
    server = serve(*[answer([EXACT, FUZZY])] * 2, *[answer([EXACT, NEGATED])] * 2)
    assert summarise(server, "--strict").exit_code == 0  # fuzzy is verified
    strict_exact = summarise(server, "--strict=exact", "-o", str(env / "out.json"))
    assert strict_exact.exit_code == ExitCode.STRICT
    assert "--strict=exact: 1 quote(s) not verified" in strict_exact.stderr
    assert (env / "out.json").is_file()  # the output is written before the exit
    assert summarise(server, "--strict=sometimes").exit_code == ExitCode.USAGE
    negated = summarise(server, "--max-reasks", "1", "--strict")
    assert negated.exit_code == ExitCode.STRICT
    reask = server.requests[-1]["messages"][-1]["content"]
    assert "your quote 'would support'; the article says 'would not support'" in reask


def test_an_invented_actor_fails_strict_and_a_surname_only_actor_does_not(
    env: Path, serve: Any
) -> None:
    actors = [actor("jose-nunez", "José Núñez Ortega"), actor("ana-ivers", "Ana Ivers"),
              actor("france", "France", "country"), actor("coastal-centre", "Coastal Economics Centre", "organisation")]  # fmt: skip
    server = serve(answer([EXACT], actors))
    result = summarise(server, "--max-reasks", "0", "--strict")
    assert result.exit_code == ExitCode.STRICT
    record = json.loads(result.stdout)
    matches = {a["id"]: a["name_match"] for a in record["result"]["actors"]}
    assert matches == {"jose-nunez": "part", "ana-ivers": "not_found", "france": "not_found",
                       "coastal-centre": "full"}  # fmt: skip
    assert record["checks"]["actors_not_found"] == 2
    at = [a["id"] for a in record["result"]["actors"]].index("ana-ivers")  # the file's order
    assert f"actors[{at}]: actor name 'Ana Ivers' is not in the article" in result.stderr
    assert "2 actor(s) not found in the article" in result.stderr


def test_two_ids_for_one_name_are_reasked(env: Path, serve: Any) -> None:
    twice = [actor("marchand", "Hélène Marchand"), actor("helene-marchand", "Helene  Marchand")]
    server = serve(answer([EXACT], twice), answer([EXACT]))
    result = summarise(server)
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 2
    assert "have the same name" in server.requests[1]["messages"][-1]["content"]


def test_two_ids_for_one_name_still_there_after_the_reasks_are_merged_into_one(
    env: Path, serve: Any
) -> None:
    # small models repeat one person under many ids: the answer is repaired, not thrown away
    twice = [actor("marchand", "Hélène Marchand"), actor("helene-marchand", "Helene  Marchand")]
    server = serve(answer([EXACT], twice), answer([EXACT], twice))
    result = summarise(server, "--max-reasks", "1")
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 2  # the re-ask was spent first
    record = json.loads(result.stdout)
    (merged,) = record["result"]["actors"]
    assert [position["actor"] for position in record["result"]["positions"]] == [merged["id"]]
    assert "merged" in result.stderr


def test_batch_strict_counts_and_exits_7(env: Path, serve: Any) -> None:
    inputs = env / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_bytes(ARTICLE.read_bytes())
    (inputs / "b.txt").write_bytes(ARTICLE.read_bytes() + b"\nA last line.\n")
    server = serve(answer([EXACT]), answer([NEGATED]))
    result = run_cli("batch", str(inputs), "--out", str(env / "out"), "--base-url",
                     server.base_url, "--concurrency", "1", "--max-reasks", "0", "--strict")  # fmt: skip
    assert result.exit_code == ExitCode.STRICT, result.stderr
    report = json.loads((env / "out" / ".summarise-report.json").read_text())
    assert report["totals"]["strict_failed"] == 1
    assert report["totals"]["grounding"]["not_found"] == 1
    failing = [a for a in report["articles"] if a["strict_failed"]]
    assert len(failing) == 1 and failing[0]["grounding"]["not_found"] == 1
    assert "quotes: 1 exact, 0 fuzzy, 0 not found" in result.stderr
    assert "holds claims the article does not back" in result.stderr


def test_diff_validate_and_show_flag_unverified_claims(env: Path, serve: Any) -> None:
    server = serve(answer([EXACT]), answer([EXACT, NEGATED]))
    old, new = env / "old.json", env / "new.json"
    assert summarise(server, "--max-reasks", "0", "-o", str(old)).exit_code == 0
    assert summarise(server, "--max-reasks", "0", "-o", str(new)).exit_code == 0
    text = run_cli("diff", str(old), str(new))
    assert "[UNVERIFIED: not_found]" in text.stdout
    markdown = run_cli("diff", str(old), str(new), "--format", "markdown")
    assert "**unverified**: not\\_found" in markdown.stdout
    report = json.loads(run_cli("diff", str(old), str(new), "--format", "json").stdout)
    added = [c for f in report["files"] for c in f["changes"] if c["kind"] == "position_added"]
    assert added and added[0]["verified"] is False and added[0]["grounding"] == "not_found"

    shown = run_cli("show", str(new))
    assert "> **Warning: 1 unverified claim(s)" in shown.stdout and "**UNVERIFIED**" in shown.stdout
    page = run_cli("show", str(new), "--html", "--source", str(ARTICLE.parent)).stdout
    assert 'class="warning" role="alert"' in page and 'class="claim unverified"' in page
    assert "line-through" not in page

    record = json.loads(new.read_text())
    forged = record["result"]["positions"][1]["evidence"][0]
    start = ARTICLE.read_text().index("her council would not support")
    forged.update({"start": start, "end": start + len(EXACT), "match": "exact", "differs": None})
    record["checks"].update({"exact": 2, "not_found": 0})
    edited = env / "edited.json"
    edited.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_cli("validate", str(edited), "--source", str(ARTICLE.parent))
    assert result.exit_code != 0
    assert "says exact, but the article supports not_found" in result.stdout
    assert run_cli("validate", str(new), "--source", str(ARTICLE.parent)).exit_code == 0


def test_a_bad_strict_setting_fails_before_any_request(
    env: Path, serve: Any, monkeypatch: Any
) -> None:
    server = serve(answer([EXACT]))
    monkeypatch.setenv("SUMMARISE_STRICT", "sometimes")
    result = summarise(server)
    assert result.exit_code == ExitCode.CONFIG and "strict" in result.stderr
    assert server.requests == []
    monkeypatch.setenv("SUMMARISE_STRICT", "exact")  # the setting works like the flag
    assert summarise(server).exit_code == 0
