"""Checks on everything around `result`: the top-level keys and blocks, and the byte form."""

from __future__ import annotations

import re
from typing import Any

from agent.review.problems import ProblemList, shorten

TOP_LEVEL_KEYS = ("schema", "prompt", "model", "source", "result", "checks")
BLOCK_KEYS = {
    "schema": ("name", "version", "sha256"),
    "prompt": ("name", "version", "sha256"),
    "source": ("name", "sha256", "characters"),
    "checks": ("quotes", "exact", "fuzzy", "not_found", "dangling_actor_ids"),
}
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def check_key_order(
    problems: ProblemList,
    location: tuple[str | int, ...],
    value: dict[str, Any],
    expected: tuple[str, ...],
) -> None:
    """Missing and unknown keys, and the contract's key order (a reordered file diffs noisily)."""
    missing = [key for key in expected if key not in value]
    unknown = [key for key in value if key not in expected]
    if missing:
        problems.add(location, f"missing key(s): {', '.join(missing)}")
    if unknown:
        problems.add(location, f"unknown key(s): {', '.join(unknown)}")
    present = [key for key in value if key in expected]
    if not missing and present != [key for key in expected if key in value]:
        order = ", ".join(expected)
        problems.add(
            location, f"keys out of order: {', '.join(present)}; the contract's order is {order}"
        )


def check_envelope(problems: ProblemList, data: Any) -> bool:
    """Top level and its blocks. False when the shape is too broken to look inside `result`."""
    if not isinstance(data, dict):
        problems.add((), f"the top level must be a JSON object, not {type(data).__name__}")
        return False
    expected: tuple[str, ...] = TOP_LEVEL_KEYS
    if "settings" in data:  # a chunked article's record (docs/pipeline.md): after `model`
        expected = (*TOP_LEVEL_KEYS[:3], "settings", *TOP_LEVEL_KEYS[3:])
        _check_settings(problems, data["settings"])
    check_key_order(problems, (), data, expected)
    for name, keys in BLOCK_KEYS.items():
        block = data.get(name)
        if name not in data:
            continue  # reported as a missing key above
        if not isinstance(block, dict):
            problems.add((name,), "must be an object")
            continue
        check_key_order(problems, (name,), block, keys)
    _check_block_values(problems, data)
    if "model" in data and not (isinstance(data["model"], str) and data["model"]):
        problems.add(("model",), "must be a non-empty string")
    if not isinstance(data.get("result"), dict):
        problems.add(("result",), "must be an object")
        return False
    return True


def _check_block_values(problems: ProblemList, data: dict[str, Any]) -> None:
    for name in ("schema", "prompt", "source"):
        block = data.get(name)
        if not isinstance(block, dict):
            continue
        if "name" in block and not (isinstance(block["name"], str) and block["name"]):
            problems.add((name, "name"), "must be a non-empty string")
        if "sha256" in block and not (
            isinstance(block["sha256"], str) and SHA256_PATTERN.match(block["sha256"])
        ):
            problems.add((name, "sha256"), "must be 64 lower-case hex digits")
        counted_key = "characters" if name == "source" else "version"
        minimum = 0 if name == "source" else 1
        if counted_key in block and not is_count(block[counted_key], minimum):
            problems.add((name, counted_key), f"must be an integer >= {minimum}")
    checks = data.get("checks")
    if isinstance(checks, dict):
        for key in BLOCK_KEYS["checks"]:
            if key in checks and not is_count(checks[key], 0):
                problems.add(("checks", key), "must be an integer >= 0")


def _check_settings(problems: ProblemList, settings: Any) -> None:
    chunking = settings.get("chunking") if isinstance(settings, dict) else None
    if not isinstance(settings, dict) or list(settings) != ["chunking"]:
        problems.add(("settings",), 'must be an object with one key, "chunking"')
    elif chunking is not None and not (
        isinstance(chunking, dict)
        and list(chunking) == ["chunk_tokens", "overlap_tokens", "chunks"]
        and all(is_count(value, 0) for value in chunking.values())
    ):
        problems.add(("settings", "chunking"), "must be null or "
                     "{chunk_tokens, overlap_tokens, chunks} with integers >= 0")  # fmt: skip


def is_count(value: Any, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def check_byte_form(problems: ProblemList, raw: bytes, data: Any) -> None:
    """The file must be exactly what the writer produces for its content: a hand edit or a
    different writer (indent, escapes, line endings) would make every later diff noisy."""
    from agent.output import render_json

    try:
        expected = render_json(data)
    except ValueError as error:  # e.g. a number the writer refuses
        problems.add((), f"cannot be written in the contract's byte form: {error}")
        return
    if expected == raw:
        return
    problems.add((), f"not in the contract's byte form: {_first_difference(raw, expected)}")


def _first_difference(raw: bytes, expected: bytes) -> str:
    if b"\r\n" in raw:
        return "has CRLF line endings (the contract uses \\n)"
    if not raw.endswith(b"\n"):
        return "no newline at the end"
    if raw.endswith(b"\n\n"):
        return "more than one newline at the end"
    actual_lines = raw.decode("utf-8").split("\n")
    expected_lines = expected.decode("utf-8").split("\n")
    for number, (actual, wanted) in enumerate(zip(actual_lines, expected_lines, strict=False), 1):
        if actual != wanted and actual.strip() == wanted.strip():
            return (
                f"line {number} is indented {_indent(actual)} spaces, the writer indents it "
                f"{_indent(wanted)} (2 per level)"
            )
        if actual != wanted:
            return (
                f"line {number} is {shorten(actual.strip(), 40)}, the writer makes it "
                f"{shorten(wanted.strip(), 40)} (2-space indent, UTF-8 without \\u escapes)"
            )
    return "line breaks differ from the writer's (2-space indent, one value per line)"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
