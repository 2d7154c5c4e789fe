"""Finding and reading output files: the PATHS a review command is given.

A path is a file, or a directory whose `*.json` files (recursively, hidden ones skipped) are the
outputs. A path that cannot be read is an InputError (exit 3); what the bytes hold is judged later.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise_agent.errors import InputError
from summarise_agent.load import read_file_bytes

OUTPUT_SUFFIX = ".json"


@dataclass(frozen=True)
class OutputFile:
    path: Path
    raw: bytes


class DuplicateKeyError(ValueError):
    """A JSON object repeats a key: json.loads would silently keep the last one."""


def collect_output_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, directories expanded to their output files in a stable (sorted) order."""
    collected: list[Path] = []
    for path in paths:
        if path.is_dir():
            collected.extend(outputs_in_directory(path))
        elif path.exists():
            collected.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return collected


def outputs_in_directory(directory: Path) -> list[Path]:
    found = [
        path
        for path in directory.rglob(f"*{OUTPUT_SUFFIX}")
        if path.is_file() and not _is_hidden(path.relative_to(directory))
    ]
    return sorted(found, key=lambda path: path.relative_to(directory).as_posix())


def _is_hidden(relative: Path) -> bool:
    # atomic writes leave `.name.tmp` files behind only on a crash, and tools keep state in
    # dot-directories (.git, .cache): neither is an output
    return any(part.startswith(".") for part in relative.parts)


def read_output_file(path: Path) -> OutputFile:
    return OutputFile(path=path, raw=read_file_bytes(path))


MAX_NESTING = 64  # an output nests about 6 deep; far deeper is not one, and would recurse


def parse_json(raw: bytes) -> Any:
    """Parse strict UTF-8 JSON; raises ValueError (UnicodeDecodeError, JSONDecodeError,
    DuplicateKeyError) with a message fit for one line. JSON nested deeper than MAX_NESTING is
    an InputError (exit 3): no later step has to recurse through it."""
    text = raw.decode("utf-8")
    if text.startswith("\ufeff"):
        raise ValueError("starts with a byte order mark")
    try:
        data = json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_constant=_reject_constant
        )
    except RecursionError:
        data = None
        depth = MAX_NESTING + 1
    else:
        depth = _nesting(data)
    if depth > MAX_NESTING:
        raise InputError(f"JSON nested more than {MAX_NESTING} levels deep: not an output file")
    return data


def _nesting(value: Any) -> int:
    """How deep VALUE nests, without recursion (stops counting past MAX_NESTING)."""
    deepest, stack = 0, [(value, 1)]
    while stack and deepest <= MAX_NESTING:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(f"duplicate key {key!r}")
        result[key] = value
    return result


def load_output_json(path: Path) -> Any:
    """For diff and show: the parsed file, or an InputError (exit 3) saying why it is unusable."""
    output = read_output_file(path)
    try:
        return parse_json(output.raw)
    except ValueError as error:
        raise InputError(f"{path}: not valid JSON ({error})") from None
    except InputError as error:
        raise InputError(f"{path}: {error.message}") from None
