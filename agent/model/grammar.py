"""The bounded schema as grammar engines get it: every string ends, whatever the model does.

llama.cpp's JSON-Schema-to-grammar converter (llama-server and llama-cpp-python) builds a string
with a `pattern` from the pattern alone and ignores its maxLength, so an id slug
`^[a-z0-9]+(-[a-z0-9]+)*$` is an endless string in the grammar: measured, Gemma 3 270M wrote
"1000000..." as an actor id until the output cap. Here every unbounded repetition of such a
pattern (`+`, `*`, `{n,}`) gets the string's maxLength as its upper bound. Every string the
schema accepts still matches (no repetition of a string of at most maxLength characters runs
more than maxLength times), and the grammar can no longer loop inside one string. Pydantic
still checks the real maxLength on the answer.

GRAMMAR_REVISION names this form: it is part of the answer cache key (pipeline.py), so answers
asked for under an older grammar are not served for the new one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

GRAMMAR_REVISION = 2  # 1: the bounded schema as it was; 2: patterns' repetitions bounded
_OPEN_REPEAT = re.compile(r"\{(\d+),\}")


def each_object(node: Any, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """A copy of the JSON value NODE with CHANGE applied to each object's copy, innermost first
    (CHANGE may alter the copy it is given)."""
    if isinstance(node, list):
        return [each_object(item, change) for item in node]
    if not isinstance(node, dict):
        return node
    return change({key: each_object(value, change) for key, value in node.items()})


def grammar_schema(node: Any) -> Any:
    """A copy of the bounded schema whose patterns cannot repeat past their maxLength."""
    return each_object(node, _with_bounded_pattern)


def _with_bounded_pattern(copied: dict[str, Any]) -> dict[str, Any]:
    limit, pattern = copied.get("maxLength"), copied.get("pattern")
    if isinstance(limit, int) and isinstance(pattern, str):
        copied["pattern"] = bounded_pattern(pattern, limit)
    return copied


def bounded_pattern(pattern: str, limit: int) -> str:
    """`pattern` with `+`, `*` and `{n,}` bounded by `limit` repetitions; unchanged when the
    result would not compile (an exotic pattern is left to the engine as it was)."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        step = 2 if char == "\\" else 1
        text = pattern[index : index + step]
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            opening = re.match(r"\[\^?\]?", pattern[index:])  # `[]...]`: a literal first ]
            text = opening.group(0) if opening else char
            step = len(text)
        elif char in "+*":
            text = f"{{{1 if char == '+' else 0},{limit}}}"
        elif char == "{" and (repeat := _OPEN_REPEAT.match(pattern, index)):
            least = int(repeat.group(1))
            text, step = f"{{{least},{max(least, limit)}}}", repeat.end() - index
        out.append(text)
        index += step
    bounded = "".join(out)
    try:
        re.compile(bounded)
    except re.error:
        return pattern
    return bounded
