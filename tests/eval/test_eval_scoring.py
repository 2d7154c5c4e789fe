"""Scoring checked by hand: tiny gold sets (NAME.gold.json beside NAME.txt) and predictions
whose counts, precision, recall and F1 are worked out in the comments, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from eval_support import action, actor, position, record, write_json

from summarise_agent.batch.naming import output_name
from conftest import run_cli

WATER = (
    "Mayor María López said she opposed the new dam. López also supports lower water prices. "
    "The Global Health Organisation (GHO) warned about cholera. Councillor Tomas Berg said water "
    "prices should rise only if wages rise.\n"
)
BUDGET = (
    "Finance Minister Jonas Okoye said the government would cut fuel subsidies. The Teachers' "
    "Union rejected any cut to school budgets.\n"
)
PORT = (
    "The Port Authority proposed a new container terminal with the city of Delmar. Delmar's "
    "council said it would consider the plan. Dockworkers announced a strike on Monday.\n"
)


def positions_gold_set(root: Path) -> tuple[Path, Path]:
    gold, outputs = root / "gold", root / "outputs"
    (gold / "water.txt").parent.mkdir(parents=True)
    (gold / "water.txt").write_text(WATER, encoding="utf-8")
    (gold / "budget.txt").write_text(BUDGET, encoding="utf-8")
    write_json(gold / "water.gold.json", record("positions", {
        "summary": "s",
        "actors": [actor("maria-lopez", "María López"),
                   actor("global-health-organisation", "Global Health Organisation", "organisation"),
                   actor("tomas-berg", "Tomas Berg")],
        "positions": [position("maria-lopez", "the new dam", "opposes", "she opposed the new dam"),
                      position("maria-lopez", "water prices", "supports", "López also supports lower water prices"),
                      position("tomas-berg", "water prices", "conditional", "water prices should rise only if wages rise")],
    }))  # fmt: skip
    # honorific + no diacritics -> López; acronym -> GHO; Anna Berg is not Tomas Berg; Rivertown is extra:
    # actors gold 3, predicted 4, paired 2.  Positions: the dam pairs (stance right), water prices
    # pairs (stance wrong), Anna Berg's cannot pair (her actor is unpaired): gold 3, predicted 3, paired 2
    write_json(outputs / "water.json", record("positions", {
        "summary": "s",
        "actors": [actor("lopez", "Mayor Maria Lopez"), actor("gho", "GHO", "organisation"),
                   actor("anna-berg", "Anna Berg"), actor("rivertown", "Rivertown", "other")],
        "positions": [position("lopez", "New dam", "opposes", "she opposed the new dam"),
                      position("lopez", "water prices", "opposes", "López also supports lower water prices"),
                      position("anna-berg", "water prices", "conditional", "water prices should rise only if wages rise")],
    }))  # fmt: skip
    write_json(gold / "budget.gold.json", record("positions", {
        "summary": "s",
        "actors": [actor("jonas-okoye", "Jonas Okoye"),
                   actor("teachers-union", "Teachers' Union", "organisation")],
        "positions": [position("jonas-okoye", "fuel subsidies", "opposes", "the government would cut fuel subsidies"),
                      position("teachers-union", "cuts to school budgets", "opposes", "rejected any cut to school budgets")],
    }))  # fmt: skip
    # surname only -> Okoye; apostrophe folded -> Teachers Union: actors 2 / 2 / 2.
    # One position, paired, with a made-up quote: positions gold 2, predicted 1, paired 1.
    # Named as `batch` names outputs, to check that lookup too.
    write_json(outputs / output_name("budget.txt"), record("positions", {
        "summary": "s",
        "actors": [actor("okoye", "Okoye"), actor("teachers-union", "Teachers Union", "organisation")],
        "positions": [position("okoye", "fuel subsidies", "opposes", "Okoye promised to abolish all subsidies by June")],
    }))  # fmt: skip
    return gold, outputs


def run_json(*args: str) -> dict[str, Any]:
    result = run_cli("eval", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def prf(part: dict[str, Any]) -> tuple[float, float, float]:
    return part["precision"], part["recall"], part["f1"]


def test_positions_scores_per_article_and_micro_averaged(env: Path) -> None:
    gold, outputs = positions_gold_set(env)
    report = run_json(str(gold), "--outputs", str(outputs))
    articles = {article["name"]: article for article in report["articles"]}
    water, budget = articles["water"]["scores"], articles["budget"]["scores"]
    # water: actors P 2/4, R 2/3, F1 2PR/(P+R) = 4/7; positions P = R = F1 = 2/3; stance 1 of 2
    assert prf(water["actors"]) == pytest.approx((0.5, 2 / 3, 4 / 7))
    assert prf(water["positions"]) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert water["positions"]["stance_accuracy"] == 0.5
    # budget: actors perfect; positions P 1/1, R 1/2, F1 2/3; stance 1 of 1
    assert prf(budget["actors"]) == (1.0, 1.0, 1.0)
    assert prf(budget["positions"]) == pytest.approx((1.0, 0.5, 2 / 3))
    assert articles["budget"]["grounding"]["not_found"] == 1
    # overall, micro: actors 4 paired of 6 predicted and 5 gold -> P 2/3, R 4/5, F1 8/11;
    # positions 3 of 4 predicted and 5 gold -> P 3/4, R 3/5, F1 2/3; stance 2 of 3
    overall = report["overall"]
    assert set(overall) == {"actors", "positions"}
    assert prf(overall["actors"]) == pytest.approx((2 / 3, 4 / 5, 8 / 11))
    assert prf(overall["positions"]) == pytest.approx((3 / 4, 3 / 5, 2 / 3))
    assert overall["positions"]["stance_accuracy"] == pytest.approx(2 / 3)
    assert (overall["actors"]["gold"], overall["actors"]["predicted"], overall["actors"]["matched"]) == (5, 6, 4)
    # 4 quotes, 1 made up
    assert report["totals"]["grounding"] == {"quotes": 4, "exact": 3, "fuzzy": 0, "not_found": 1, "found_rate": 0.75}
    # macro F1 is the mean of the articles' F1: actors (4/7 + 1) / 2
    assert report["configurations"][0]["macro_f1"]["actors"] == pytest.approx((4 / 7 + 1) / 2)


def test_actions_scores_status_and_participants(env: Path) -> None:
    gold, outputs = env / "gold", env / "outputs"
    gold.mkdir()
    (gold / "port.txt").write_text(PORT, encoding="utf-8")
    actors = [actor("port-authority", "Port Authority", "organisation"),
              actor("delmar", "Delmar", "other"), actor("dockworkers", "Dockworkers", "group")]  # fmt: skip
    write_json(gold / "port.gold.json", record("actions", {
        "summary": "s", "actors": actors,
        "proposed_actions": [
            action("port-authority", "build a new container terminal", "proposed", ["delmar"],
                   "proposed a new container terminal with the city of Delmar"),
            action("delmar", "consider the terminal plan", "under_consideration", ["port-authority"],
                   "Delmar's council said it would consider the plan"),
            action("dockworkers", "strike on Monday", "announced", [], "Dockworkers announced a strike on Monday"),
        ],
    }))  # fmt: skip
    # The terminal pairs (status wrong; participants: 1 right, 1 extra); "consider the plan" pairs
    # (status right; its participant missed); the strike is missed; the harbour fees are extra.
    # actions: gold 3, predicted 3, paired 2 -> 2/3 each; status 1 of 2;
    # participants over paired actions: gold 2, predicted 2, right 1 -> 1/2 each
    write_json(outputs / "port.json", record("actions", {
        "summary": "s",
        "actors": [actor("the-port-authority", "The Port Authority", "organisation"),
                   actor("delmar", "Delmar", "organisation"), actor("dockworkers", "Dockworkers", "group")],
        "proposed_actions": [
            action("the-port-authority", "build a new container terminal", "announced",
                   ["delmar", "dockworkers"], "proposed a new container terminal with the city of Delmar"),
            action("delmar", "consider the plan", "under_consideration", [],
                   "Delmar's council said it would consider the plan"),
            action("the-port-authority", "raise harbour fees", "proposed", [],
                   "The Port Authority proposed a new container terminal"),
        ],
    }))  # fmt: skip
    overall = run_json(str(gold), "--outputs", str(outputs), "--schema", "actions")["overall"]
    assert prf(overall["actors"]) == (1.0, 1.0, 1.0)
    assert prf(overall["actions"]) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert overall["actions"]["status_accuracy"] == 0.5
    assert prf(overall["actions"]["participants"]) == pytest.approx((0.5, 0.5, 0.5))


@pytest.mark.parametrize(
    ("predicted_positions", "expected"),
    [([], (1.0, 1.0, 1.0)),  # nothing to find, nothing found: perfect
     ([position("jonas-okoye", "fuel subsidies", "opposes", "the government would cut fuel subsidies")],
      (0.0, 0.0, 0.0))],  # something found where gold has nothing: precision 0, recall 0 by definition
)  # fmt: skip
def test_empty_gold_conventions(env: Path, predicted_positions: list[Any], expected: tuple[float, ...]) -> None:
    gold, outputs = env / "gold", env / "outputs"
    gold.mkdir()
    (gold / "budget.txt").write_text(BUDGET, encoding="utf-8")
    actors = [actor("jonas-okoye", "Jonas Okoye")]
    write_json(gold / "budget.gold.json", record("positions", {"summary": "s", "actors": actors, "positions": []}))
    write_json(outputs / "budget.json", record("positions", {"summary": "s", "actors": actors,
                                                             "positions": predicted_positions}))  # fmt: skip
    overall = run_json(str(gold), "--outputs", str(outputs))["overall"]
    assert prf(overall["positions"]) == expected
    assert overall["positions"]["stance_accuracy"] is None  # no paired position: no accuracy


@pytest.mark.parametrize(("aliases", "paired"), [(None, 0), (["Harbour Board"], 1)])
def test_gold_aliases_pair_names_the_rules_would_not(env: Path, aliases: list[str] | None, paired: int) -> None:
    gold, outputs = env / "gold", env / "outputs"
    gold.mkdir()
    (gold / "port.txt").write_text(PORT, encoding="utf-8")
    authority = actor("port-authority", "Port Authority", "organisation")
    if aliases is not None:
        authority["aliases"] = aliases
    write_json(gold / "port.gold.json", record("actors", {"actors": [authority]}))
    write_json(outputs / "port.json", record("actors", {"actors": [actor("board", "the Harbour Board", "organisation")]}))
    overall = run_json(str(gold), "--outputs", str(outputs))["overall"]
    assert overall["actors"]["matched"] == paired


def test_the_shipped_gold_records_are_valid_outputs(env: Path) -> None:
    files = sorted(str(path) for path in (Path(__file__).resolve().parents[2] / "examples" / "gold").glob("*.gold.json"))
    assert len(files) == 24
    result = run_cli("validate", *files)
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("gold_topic", "predicted_topic", "paired"),
    [("the tram extension", "the tram line extension to the northern suburbs", 1),
     ("water prices", "price of water", 1),
     ("vaccination in pharmacies", "allowing pharmacies to vaccinate", 1),
     ("nuclear power", "nuclear weapons", 0),
     ("EU sanctions", "sanctions relief", 0),
     ("tax cuts", "tax increases", 0)],
)  # fmt: skip
def test_topics_pair_by_shared_words(env: Path, gold_topic: str, predicted_topic: str, paired: int) -> None:
    gold, outputs = env / "gold", env / "outputs"
    gold.mkdir()
    (gold / "budget.txt").write_text(BUDGET, encoding="utf-8")
    actors = [actor("jonas-okoye", "Jonas Okoye")]
    quote = "the government would cut fuel subsidies"
    for directory, topic in ((gold, gold_topic), (outputs, predicted_topic)):
        name = "budget.gold.json" if directory == gold else "budget.json"
        write_json(directory / name, record("positions", {
            "summary": "s", "actors": actors, "positions": [position("jonas-okoye", topic, "opposes", quote)]}))  # fmt: skip
    overall = run_json(str(gold), "--outputs", str(outputs))["overall"]
    assert overall["positions"]["matched"] == paired
    assert overall["positions"]["f1"] == float(paired)


@pytest.mark.parametrize(
    ("gold_actor", "predicted_actor", "paired"),
    [(actor("a", "Supreme Court of Estavia", "organisation"), actor("b", "Supreme Court", "organisation"), 1),
     (actor("a", "Chief Justice Elena Varga"), actor("b", "Varga"), 1),
     (actor("a", "Tomás Ferreira"), actor("b", "Tomas Ferreira"), 1),
     (actor("a", "United Nations", "organisation"), actor("b", "U.N.", "organisation"), 1),
     (actor("rwc", "Regional Water Commission", "organisation"), actor("rwc", "the mediators", "group"), 1),
     (actor("a", "Dravia", "country"), actor("b", "Dravia", "organisation"), 1),
     (actor("a", "Anna Berg"), actor("b", "Tomas Berg"), 0),
     (actor("a", "Berg", "organisation"), actor("b", "Anna Berg"), 0),
     (actor("a", "European Union", "organisation"), actor("b", "European Commission", "organisation"), 0)],
)  # fmt: skip
def test_actor_rules(env: Path, gold_actor: dict[str, Any], predicted_actor: dict[str, Any], paired: int) -> None:
    gold, outputs = env / "gold", env / "outputs"
    gold.mkdir()
    (gold / "port.txt").write_text(PORT, encoding="utf-8")
    write_json(gold / "port.gold.json", record("actors", {"actors": [gold_actor]}))
    write_json(outputs / "port.json", record("actors", {"actors": [predicted_actor]}))
    assert run_json(str(gold), "--outputs", str(outputs))["overall"]["actors"]["matched"] == paired
