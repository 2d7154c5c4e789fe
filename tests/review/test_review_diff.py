"""`summarise diff`: changes by meaning, not by line; exit 1 when anything changed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from review_support import ACTIONS, ACTORS, POSITIONS, edited, run_cli, write_record

Edit = Callable[[dict[str, Any]], None]


def _changes(tmp_path: Path, fixture: Path, edit: Edit) -> list[tuple[str, str, Any, Any]]:
    new = write_record(tmp_path / "new.json", edited(fixture, edit))
    result = run_cli("diff", fixture, new, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["changed"] == (result.exit_code == 1)
    return [
        (change["kind"], change["subject"], change["old"], change["new"])
        for file in report["files"]
        for change in file["changes"]
    ]


def _reorder_everything(record: dict[str, Any]) -> None:
    result = record["result"]
    for key in ("actors", "positions", "proposed_actions"):
        if key in result:
            result[key].reverse()
    for claim in result.get("positions", []) + result.get("proposed_actions", []):
        claim["evidence"].reverse()
        for key in ("participants", "conditions"):
            if key in claim:
                claim[key].reverse()


@pytest.mark.parametrize("fixture", [POSITIONS, ACTIONS, ACTORS], ids=lambda path: path.name)
def test_reordering_alone_is_no_change(tmp_path: Path, fixture: Path) -> None:
    assert _changes(tmp_path, fixture, _reorder_everything) == []
    new = write_record(tmp_path / "new.json", edited(fixture, _reorder_everything))
    result = run_cli("diff", fixture, new)
    assert (result.exit_code, result.stdout) == (0, "No differences (1 file(s) compared).\n")


def test_a_stance_change(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        record["result"]["positions"][1]["stance"] = "supports"

    assert _changes(tmp_path, POSITIONS, edit) == [
        ("stance_changed", "Tomas Berg on a second harbour bridge", "opposes", "supports")
    ]


def test_an_actor_renamed_keeps_its_claims(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        record["result"]["actors"][2]["name"] = "Tomas Berg Jr."

    assert _changes(tmp_path, POSITIONS, edit) == [
        ("actor_renamed", "Tomas Berg Jr.", "Tomas Berg", "Tomas Berg Jr.")
    ]


def test_an_actor_under_a_new_id_is_the_same_actor(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        record["result"]["actors"][2]["id"] = "berg"
        for position in record["result"]["positions"]:
            if position["actor"] == "tomas-berg":
                position["actor"] = "berg"

    assert _changes(tmp_path, POSITIONS, edit) == [
        ("actor_id_changed", "Tomas Berg", "tomas-berg", "berg")
    ]


def test_evidence_moved_and_match_changed(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        evidence = record["result"]["positions"][0]["evidence"][0]
        evidence["start"] += 1
        evidence["match"] = "fuzzy"

    quote = "the single most important investment this city can make in the next decade"
    subject = f"Åsa Lindqvist on a second harbour bridge: {quote!r}"
    assert _changes(tmp_path, POSITIONS, edit) == [
        ("evidence_moved", subject, "186..260", "187..260"),
        ("evidence_match_changed", subject, "exact", "fuzzy"),
    ]


def test_evidence_added_and_removed(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        evidence = record["result"]["positions"][1]["evidence"]
        evidence[0] = {"quote": "opposed the plan", "start": 388, "end": 404, "match": "exact"}

    subject = "Tomas Berg on a second harbour bridge"
    assert _changes(tmp_path, POSITIONS, edit) == [
        (
            "evidence_removed",
            subject,
            "Councillor Tomas Berg, who leads the Green group, opposed the plan.",
            None,
        ),
        ("evidence_added", subject, None, "opposed the plan"),
    ]


def test_a_new_action_and_a_status_change(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        actions = record["result"]["proposed_actions"]
        actions[1]["status"] = "rejected"
        actions.append(
            {
                "proposer": "leila-haddad",
                "action": "Publish the transport study",
                "participants": [],
                "status": "under_consideration",
                "conditions": [],
                "evidence": [
                    {"quote": "still studying the proposal", "start": 0, "end": 1, "match": "fuzzy"}
                ],
            }
        )

    assert _changes(tmp_path, ACTIONS, edit) == [
        (
            "action_status_changed",
            "Tomas Berg: Expand the ferry service instead of building the bridge",
            "proposed",
            "rejected",
        ),
        ("action_added", "Leila Haddad: Publish the transport study", None, "under_consideration"),
    ]


def test_a_reworded_topic_pairs_but_a_new_topic_does_not(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        record["result"]["positions"][0]["topic"] = "the second harbour bridges"
        record["result"]["positions"][2]["topic"] = "ferry timetables"

    assert _changes(tmp_path, POSITIONS, edit) == [
        (
            "topic_reworded",
            "Åsa Lindqvist on the second harbour bridges",
            "a second harbour bridge",
            "the second harbour bridges",
        ),
        ("position_removed", "Tomas Berg on a smaller footbridge", "conditional", None),
        ("position_added", "Tomas Berg on ferry timetables", None, "conditional"),
    ]


def test_conditions_and_participants(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        action = record["result"]["proposed_actions"][2]
        action["conditions"] = ["a national grant"]
        action["participants"] = []

    subject = "regional transport authority: Co-fund the bridge"
    assert _changes(tmp_path, ACTIONS, edit) == [
        ("participants_changed", subject, ["riverton-city-council"], []),
        (
            "conditions_changed",
            subject,
            ["the city secures a grant from the national infrastructure fund"],
            ["a national grant"],
        ),
    ]


def test_directories_pair_files_by_name_and_render_markdown(tmp_path: Path) -> None:
    old, new = tmp_path / "v1", tmp_path / "v2"
    for directory in (old, new):
        directory.mkdir()
        shutil.copy(POSITIONS, directory / POSITIONS.name)
    shutil.copy(ACTIONS, old / ACTIONS.name)
    shutil.copy(ACTORS, new / ACTORS.name)

    def edit(record: dict[str, Any]) -> None:
        record["prompt"]["version"] = 2
        record["result"]["positions"][0]["stance"] = "neutral"

    write_record(new / POSITIONS.name, edited(POSITIONS, edit))
    result = run_cli("diff", old, new, "--format", "markdown")
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ["## summarise diff", "", "3 file(s): 1 changed, 1 added, 1 removed."]
    assert "### `harbour-bridge.actions.json` (removed, 1 change(s))" in lines
    assert "### `harbour-bridge.actors.json` (added, 1 change(s))" in lines
    assert (
        "| `~` | stance changed | Åsa Lindqvist on a second harbour bridge | supports | neutral "
        "| exact |" in lines
    )
    assert any(
        line.startswith("| `~` | prompt changed | prompt | positions v1 (") for line in lines
    )


def test_text_output_lists_changes_under_each_file(tmp_path: Path) -> None:
    def edit(record: dict[str, Any]) -> None:
        record["result"]["actors"].pop()

    new = write_record(tmp_path / "new.json", edited(ACTORS, edit))
    result = run_cli("diff", ACTORS, new, "-o", tmp_path / "report.txt")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == (
        f"{new} (changed, 1 change(s))\n"
        "  - actor removed: Riverton café owners' association: "
        "cafe-owners-association (group, Riverton)\n"
        "1 file(s): 1 changed.\n"
    )


def test_usage_and_input_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    not_a_record = tmp_path / "list.json"
    not_a_record.write_text("[]\n", encoding="utf-8")
    assert run_cli("diff", POSITIONS, tmp_path).exit_code == 2  # a file with a directory
    assert run_cli("diff", POSITIONS, POSITIONS, "--format", "html").exit_code == 2
    missing = run_cli("diff", POSITIONS, tmp_path / "nope.json")
    assert missing.exit_code == 3 and "no such file" in missing.stderr
    invalid = run_cli("diff", POSITIONS, broken)
    assert invalid.exit_code == 3 and invalid.stderr.startswith("summarise: error: ")
    assert "not valid JSON" in invalid.stderr and len(invalid.stderr.splitlines()) == 1
    assert run_cli("diff", POSITIONS, not_a_record).exit_code == 3
