"""What grammar engines are sent: patterns that cannot repeat past their maxLength, the family's
sampling fields; and the repairs of repeated items and ids made before any re-ask."""

from __future__ import annotations

import json
import logging
import re

import pytest

from summarise_agent.extract import check_answer, repair_duplicates
from summarise_agent.model.dialects import DIALECTS, ModelSettings, candidate_dialects
from summarise_agent.model.grammar import bounded_pattern, grammar_schema
from summarise_agent.schema_registry import load_schema

SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"
SETTINGS = ModelSettings("m", 0.0, None, 1024)
ACTORS = load_schema("actors")


def test_a_patterns_repetitions_are_bounded_by_its_max_length() -> None:
    bounded = bounded_pattern(SLUG, 60)
    assert bounded == "^[a-z0-9]{1,60}(-[a-z0-9]{1,60}){0,60}$"
    for valid in ("a", "emmanuel-macron", "x" * 60, "-".join(["ab"] * 20)):
        assert re.fullmatch(bounded, valid)  # every string the schema accepts still matches
    assert not re.fullmatch(bounded, "1" + "0" * 200)  # the endless id Gemma wrote does not


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"^\d+\.\d*$", r"^\d{1,8}\.\d{0,8}$"),
    (r"^a\+b{2,}c{3}$", r"^a\+b{2,8}c{3}$"),  # an escaped + is a character; {3} is bounded
    ("^[+*]+$", "^[+*]{1,8}$"),  # inside a class, + and * are characters
    ("^[]+]x$", "^[]+]x$"),
    ("^(a$", "^(a$"),  # not a regex: left as it was
])  # fmt: skip
def test_only_unbounded_repetitions_are_rewritten(pattern: str, expected: str) -> None:
    assert bounded_pattern(pattern, 8) == expected


def test_the_grammar_form_bounds_every_patterned_string_and_keeps_the_rest() -> None:
    schema = load_schema("actions").bounded_json_schema
    sent = grammar_schema(schema)
    text = json.dumps(sent)
    assert SLUG.replace("\\", "") not in text and "{1,60}" in text
    assert json.dumps(schema) != text and sent["properties"] == {
        **schema["properties"]}  # the top level has no pattern: unchanged


def test_llama_cpp_family_servers_get_the_repeat_penalty_and_openai_does_not() -> None:
    local = candidate_dialects("llama-cpp-python", "auto", "gemma")[0]
    body = local.request([{"role": "system", "content": "s"}, {"role": "user", "content": "u"}], ACTORS, SETTINGS)
    assert body["repeat_penalty"] == 1.3 and local.answer_settings == {"repeat_penalty": 1.3, "grammar": 2}
    openai = candidate_dialects("openai", "auto", "gpt-4o-mini")[0]
    body = openai.request([{"role": "system", "content": "s"}, {"role": "user", "content": "u"}], ACTORS, SETTINGS)
    assert "repeat_penalty" not in body and openai.answer_settings == {}  # its cache keys unchanged
    assert DIALECTS["json-object-schema"].sampling == ()  # a forced dialect: exactly the row


def actor(actor_id: str, name: str) -> dict[str, object]:
    return {"id": actor_id, "name": name, "kind": "person", "role": None, "affiliation": None}


def test_exact_duplicates_are_dropped_and_shared_ids_made_unique(caplog: pytest.LogCaptureFixture) -> None:
    answer = {"actors": [actor("x1", "Lena Varga"), actor("x1", "Lena Varga"),
                         actor("x1", "Tomas Brill"), actor("x1", "Ada Okafor")]}  # fmt: skip
    with caplog.at_level(logging.WARNING):
        repaired = repair_duplicates(json.loads(json.dumps(answer)), ACTORS)
    assert [a["id"] for a in repaired["actors"]] == ["x1", "tomas-brill", "ada-okafor"]
    assert [a["name"] for a in repaired["actors"]] == ["Lena Varga", "Tomas Brill", "Ada Okafor"]
    assert "1 exact duplicate item(s) dropped, 2 actor(s)" in caplog.text


def test_a_made_id_never_collides_with_an_existing_one() -> None:
    answer = {"actors": [actor("tomas-brill", "Lena Varga"), actor("tomas-brill", "Tomas Brill")]}
    repaired = repair_duplicates(answer, ACTORS)
    assert [a["id"] for a in repaired["actors"]] == ["tomas-brill", "tomas-brill-2"]


def test_an_answer_with_repeated_ids_is_accepted_without_a_reask() -> None:
    article = "Lena Varga and Tomas Brill met."
    text = json.dumps({"actors": [actor("a", "Lena Varga"), actor("a", "Tomas Brill")]})
    check = check_answer(text, ACTORS, article)
    assert check.errors == [] and check.result is not None
    assert [a["id"] for a in check.result["actors"]] == ["a", "tomas-brill"]


def test_nothing_is_repaired_in_an_answer_without_duplicates() -> None:
    answer = {"actors": [actor("a", "Lena Varga"), actor("b", "Tomas Brill")]}
    assert repair_duplicates(answer, ACTORS) is answer


def test_a_raw_newline_inside_a_string_is_read_as_a_newline() -> None:
    text = '{"actors": [{"id": "a", "name": "Lena\nVarga", "kind": "person", "role": null, "affiliation": null}]}'
    check = check_answer(text, ACTORS, "Lena Varga said so.")
    assert check.errors == [] and check.result is not None
    assert check.result["actors"][0]["name"] == "Lena\nVarga"
    assert check_answer('{"actors": [\n', ACTORS, "x").result is None  # broken JSON stays broken
