"""The writer's byte form (summarise_agent.output.render_json) is what reviewers diff: it must not depend
on the Python version, platform, hash seed or anything but the record's content and order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from review_support import ACTIONS, ACTORS, POSITIONS, load_fixture

from summarise_agent.output import render_json

FIXTURES = [POSITIONS, ACTIONS, ACTORS]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem)
def test_rendering_a_parsed_output_gives_back_its_exact_bytes(fixture: Path) -> None:
    raw = fixture.read_bytes()
    assert render_json(json.loads(raw)) == raw


def test_letters_stay_utf8_and_key_order_is_insertion_order() -> None:
    record = {"zeta": "Åsa Lindqvist café", "alpha": ["naïve", "東京"], "mid": None}
    data = render_json(record)
    assert data.decode("utf-8") == (
        '{\n  "zeta": "Åsa Lindqvist café",\n  "alpha": [\n    "naïve",\n    "東京"\n  ],\n'
        '  "mid": null\n}\n'
    )
    assert b"\\u" not in data and not data.endswith(b"\n\n") and b"\r" not in data


def test_numbers_have_one_spelling() -> None:
    record = {"a": 0.1, "b": 1e-7, "c": 1.0, "d": 1e22, "e": 2**64, "f": True}
    assert render_json(record) == (
        b'{\n  "a": 0.1,\n  "b": 1e-07,\n  "c": 1.0,\n  "d": 1e+22,\n'
        b'  "e": 18446744073709551616,\n  "f": true\n}\n'
    )
    with pytest.raises(ValueError):
        render_json({"nan": float("nan")})  # NaN is not JSON; the writer refuses it


def test_bytes_do_not_depend_on_the_hash_seed() -> None:
    script = (
        "import sys, json; from summarise_agent.output import render_json; "
        "sys.stdout.buffer.write(render_json(json.load(open(sys.argv[1], encoding='utf-8'))))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(POSITIONS)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert outputs == {POSITIONS.read_bytes()}


def test_rendering_is_idempotent_over_the_fixtures() -> None:
    for fixture in FIXTURES:
        once = render_json(load_fixture(fixture))
        assert render_json(json.loads(once)) == once


def test_a_lone_surrogate_in_model_text_becomes_a_replacement_character() -> None:
    """A model's JSON may escape half a surrogate pair; UTF-8 cannot hold it."""
    record = {"quote": json.loads('"half an emoji \\ud83d"')}
    assert render_json(record) == '{\n  "quote": "half an emoji \ufffd"\n}\n'.encode()
