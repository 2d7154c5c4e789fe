"""Checks on everything around `result`: the top-level keys and blocks, and the byte form.

Two versions of the file format are accepted (docs/output.md): v1 has no `format_version` key;
v2 starts with `"format_version": 2`. `ENVELOPES` holds each version's keys, in order: a part
added to v2 (settings, grounding fields) is added to its entry there, v1 never changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from summarise_agent.record import is_iso_date
from summarise_agent.review.problems import ProblemList, shorten


@dataclass(frozen=True)
class Envelope:
    """One file-format version: the top-level keys and each block's keys, in the file's order."""

    top_level: tuple[str, ...]
    blocks: dict[str, tuple[str, ...]]
    provenance: tuple[str, ...] = ()  # source keys holding a string or null


_V1_BLOCKS = {
    "schema": ("name", "version", "sha256"),
    "prompt": ("name", "version", "sha256"),
    "source": ("name", "sha256", "characters"),
    "checks": ("quotes", "exact", "fuzzy", "not_found", "dangling_actor_ids"),
}
_PROVENANCE = ("path", "title", "url", "published")
# How the answer was asked for (the model layer, docs/servers.md)
_SETTINGS = ("mode", "dialect", "temperature", "seed", "max_output_tokens")
ENVELOPES = {
    1: Envelope(("schema", "prompt", "model", "source", "result", "checks"), _V1_BLOCKS),
    2: Envelope(
        ("format_version", "schema", "prompt", "model", "settings", "source", "result", "checks"),
        {
            **_V1_BLOCKS,
            "settings": (*_SETTINGS, "chunking"),
            "source": (*_V1_BLOCKS["source"], *_PROVENANCE),
            "checks": (*_V1_BLOCKS["checks"], "actors", "actors_not_found"),
        },
        _PROVENANCE,
    ),
}
LATEST_FORMAT_VERSION = max(ENVELOPES)
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
_URL_PATTERN = re.compile(r"^https?://\S+$")


def format_version(data: dict[str, Any]) -> int | None:
    """The file's format version: 1 without the key, its value if known, else None."""
    if "format_version" not in data:
        return 1
    value = data["format_version"]
    known = isinstance(value, int) and not isinstance(value, bool) and value in ENVELOPES
    return value if known else None


def is_v2(data: Any) -> bool:
    """Whether the file is v2 or later: its grounding fields (`differs`, `name_match`) are
    required there; a v1 file may lack them."""
    return isinstance(data, dict) and (format_version(data) or 1) >= 2


def check_key_order(
    problems: ProblemList,
    location: tuple[str | int, ...],
    value: dict[str, Any],
    expected: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> None:
    """Missing and unknown keys, and the contract's key order (a reordered file diffs noisily).
    `optional` keys may be absent (fields a v1 file does not have)."""
    missing = [key for key in expected if key not in value and key not in optional]
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
    version = format_version(data)
    if version is None:
        known = ", ".join(str(v) for v in ENVELOPES if v > 1)
        problems.add(("format_version",), f"{data['format_version']!r} is not a known format "
                     f"version ({known}; a file without the key is version 1)")  # fmt: skip
        return False
    envelope = ENVELOPES[version]
    top_level = envelope.top_level
    if "settings" not in data:  # v2 files written before the settings block keep validating
        top_level = tuple(key for key in top_level if key != "settings")
    check_key_order(problems, (), data, top_level)
    for name, keys in envelope.blocks.items():
        block = data.get(name)
        if name not in data:
            continue  # reported as a missing key above
        if not isinstance(block, dict):
            problems.add((name,), "must be an object")
            continue
        check_key_order(problems, (name,), block, keys)
    _check_block_values(problems, data, envelope)
    _check_provenance(problems, data, envelope)
    _check_settings(problems, data)
    if "model" in data and not (isinstance(data["model"], str) and data["model"]):
        problems.add(("model",), "must be a non-empty string")
    if not isinstance(data.get("result"), dict):
        problems.add(("result",), "must be an object")
        return False
    return True


def _check_block_values(problems: ProblemList, data: dict[str, Any], envelope: Envelope) -> None:
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
        for key in envelope.blocks["checks"]:
            if key in checks and not is_count(checks[key], 0):
                problems.add(("checks", key), "must be an integer >= 0")


def _check_provenance(problems: ProblemList, data: dict[str, Any], envelope: Envelope) -> None:
    """v2's source.path/title/url/published: a non-empty string or null, URL and date in form."""
    source = data.get("source")
    if not isinstance(source, dict):
        return
    for key in envelope.provenance:
        value = source.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            problems.add(("source", key), "must be a non-empty string or null")
        elif key == "url" and not _URL_PATTERN.match(value):
            problems.add(("source", key), f"{shorten(value, 40)} is not an http(s) URL")
        elif key == "published" and not is_iso_date(value):
            problems.add(("source", key), f"{shorten(value, 40)} is not an ISO 8601 date")


def check_article_order(problems: ProblemList, data: dict[str, Any]) -> None:
    """v2: positions and proposed actions in the article's order (by their first located
    quote), as the writer puts them. Actors are placed by name in the text: not checked here."""
    from summarise_agent.record import in_article_order

    if format_version(data) in (None, 1) or not isinstance(data.get("result"), dict):
        return
    result = data["result"]
    ordered = in_article_order({k: v for k, v in result.items() if k != "actors"}, "")
    for key in ("positions", "proposed_actions"):
        if isinstance(result.get(key), list) and ordered.get(key) != result[key]:
            problems.add(("result", key), "not in the article's order (by each item's first "
                         "located quote; docs/output.md)")  # fmt: skip


def _check_settings(problems: ProblemList, data: dict[str, Any]) -> None:
    """v2's settings.chunking: null (one request) or how the article was split."""
    settings = data.get("settings")
    chunking = settings.get("chunking") if isinstance(settings, dict) else None
    if chunking is not None and not (
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
    from summarise_agent.output import render_json

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
