"""A gold set scored against itself is perfect; each known alteration lowers exactly the scores
it should and no other (through `summarise eval --outputs`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from eval_support import copy_gold_set, gold_as_outputs, load, write_json

from conftest import run_cli

PERFECT = {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def evaluate(gold: Path, outputs: Path, *args: str) -> dict[str, Any]:
    result = run_cli("eval", str(gold), "--outputs", str(outputs), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def scores(part: dict[str, Any]) -> dict[str, float]:
    return {key: part[key] for key in ("precision", "recall", "f1")}


def test_the_shipped_gold_set_against_itself_is_perfect(env: Path) -> None:
    gold = copy_gold_set(env / "gold")
    report = evaluate(gold, gold_as_outputs(gold, env / "out"))
    overall = report["overall"]
    assert set(overall) == {"actors", "positions", "actions"}
    for part in overall.values():
        assert scores(part) == PERFECT
    assert overall["positions"]["stance_accuracy"] == 1.0
    assert overall["actions"]["status_accuracy"] == 1.0
    assert overall["actions"]["participants"] == PERFECT
    assert report["totals"]["grounding"]["not_found"] == 0
    assert report["totals"]["grounding"]["found_rate"] == 1.0
    assert report["totals"]["articles"] == 24 and report["totals"]["failed"] == 0
    assert report["totals"]["run"] is None  # nothing was run: outputs were scored


def _alter(gold: Path, outputs: Path, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = outputs / name
    data = load(path)
    change(data["result"])
    write_json(path, data)


def _remove_actor(result: dict[str, Any]) -> None:
    # Ingrid Solheim has no position: removing her touches nothing else
    result["actors"] = [a for a in result["actors"] if a["id"] != "ingrid-solheim"]


def _flip_stance(result: dict[str, Any]) -> None:
    result["positions"][0]["stance"] = "opposes"  # gold: supports


def _make_up_quote(result: dict[str, Any]) -> None:
    result["positions"][1]["evidence"][0]["quote"] = "Dravia will never release a single figure"


def _change_status(result: dict[str, Any]) -> None:
    result["proposed_actions"][3]["status"] = "rejected"  # gold: proposed


def _drop_participant(result: dict[str, Any]) -> None:
    result["proposed_actions"][3]["participants"] = ["dravia"]  # gold: dravia, morenia


@pytest.mark.parametrize(
    ("schema", "change", "expected"),
    [
        ("positions", _remove_actor, {"actors": {"precision": 1.0, "recall": 5 / 6, "f1": 10 / 11}}),
        ("positions", _flip_stance, {"stance_accuracy": 4 / 5}),
        ("positions", _make_up_quote, {"not_found": 1, "found_rate": 5 / 6}),
        ("actions", _change_status, {"status_accuracy": 5 / 6}),
        # gold participants of the river actions: 1 + 1 + 1 + 2 + 0 + 2 = 7
        ("actions", _drop_participant, {"participants": {"precision": 1.0, "recall": 6 / 7, "f1": 12 / 13}}),
    ],
    ids=["actor-removed", "stance-flipped", "made-up-quote", "status-changed", "participant-dropped"],
)
def test_an_alteration_lowers_exactly_its_scores(
    env: Path, schema: str, change: Callable[[dict[str, Any]], None], expected: dict[str, Any]
) -> None:
    gold = copy_gold_set(env / "gold", ["river-treaty"])
    outputs = gold_as_outputs(gold, env / "out")
    _alter(gold, outputs, f"river-treaty.{schema}.json", change)
    report = evaluate(gold, outputs, "--schema", schema)
    overall, grounding = report["overall"], report["totals"]["grounding"]
    part = "positions" if schema == "positions" else "actions"
    observed = {
        "actors": scores(overall["actors"]),
        "stance_accuracy": overall[part].get("stance_accuracy"),
        "status_accuracy": overall[part].get("status_accuracy"),
        "participants": overall[part].get("participants"),
        "not_found": grounding["not_found"],
        "found_rate": grounding["found_rate"],
    }
    unaltered = {
        "actors": PERFECT,
        "stance_accuracy": 1.0 if part == "positions" else None,
        "status_accuracy": 1.0 if part == "actions" else None,
        "participants": PERFECT if part == "actions" else None,
        "not_found": 0,
        "found_rate": 1.0,
    }
    for key, value in expected.items():
        assert observed[key] == pytest.approx(value), key
    for key, value in unaltered.items():
        if key not in expected:
            assert observed[key] == value, key
    assert scores(overall[part]) == PERFECT  # the claims themselves all still pair


def test_an_actor_removed_with_its_claims_costs_its_positions_recall_only(env: Path) -> None:
    gold = copy_gold_set(env / "gold", ["river-treaty"])
    outputs = gold_as_outputs(gold, env / "out")

    def remove_ferreira(result: dict[str, Any]) -> None:
        result["actors"] = [a for a in result["actors"] if a["id"] != "tomas-ferreira"]
        result["positions"] = [p for p in result["positions"] if p["actor"] != "tomas-ferreira"]

    _alter(gold, outputs, "river-treaty.positions.json", remove_ferreira)
    overall = evaluate(gold, outputs, "--schema", "positions")["overall"]
    assert scores(overall["actors"]) == pytest.approx({"precision": 1.0, "recall": 5 / 6, "f1": 10 / 11})
    # gold 5 positions, 2 of them Ferreira's: 3 of 3 predicted pair
    assert scores(overall["positions"]) == pytest.approx({"precision": 1.0, "recall": 3 / 5, "f1": 0.75})
    assert overall["positions"]["stance_accuracy"] == 1.0


def test_reordered_lists_and_renamed_ids_change_nothing(env: Path) -> None:
    gold = copy_gold_set(env / "gold", ["river-treaty"])
    outputs = gold_as_outputs(gold, env / "out")

    def shuffle_and_rename(result: dict[str, Any]) -> None:
        result["actors"].reverse()
        result["positions"].reverse()
        for item in result["actors"]:
            if item["id"] == "amal-haddad":
                item["id"], item["name"] = "minister-haddad", "Dr Amal Haddad"
        for item in result["positions"]:
            if item["actor"] == "amal-haddad":
                item["actor"] = "minister-haddad"

    _alter(gold, outputs, "river-treaty.positions.json", shuffle_and_rename)
    overall = evaluate(gold, outputs, "--schema", "positions")["overall"]
    assert scores(overall["actors"]) == PERFECT and scores(overall["positions"]) == PERFECT
    assert overall["positions"]["stance_accuracy"] == 1.0
