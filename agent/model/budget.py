"""The output-token cap a schema needs, so a request never runs without one.

A server generating without a cap can fill the whole context (a small model loops in a list);
it cannot be cancelled from the client either. The cap is the size of the largest answer the
bounded schema allows (maxItems, maxLength), clamped to [MIN_CAP, MAX_CAP]; an unbounded string
or list counts as UNBOUNDED_STRING_TOKENS or UNBOUNDED_ITEMS. `--max-output-tokens` overrides it.
"""

from __future__ import annotations

from typing import Any

MIN_CAP = 512
MAX_CAP = 4_096
UNBOUNDED_STRING_TOKENS = 100
UNBOUNDED_ITEMS = 10
CHARACTERS_PER_TOKEN = 3  # cautious: JSON escapes and names split into many tokens
KEY_TOKENS = 4  # a property name, its quotes, colon and comma


def output_token_cap(bounded_schema: dict[str, Any]) -> int:
    worst = _tokens(bounded_schema, bounded_schema.get("$defs", {}), depth=0)
    return max(MIN_CAP, min(MAX_CAP, worst))


def _tokens(node: dict[str, Any], defs: dict[str, Any], depth: int) -> int:
    if depth > 20:  # a recursive schema: stop counting, the clamp bounds it
        return MAX_CAP
    if "$ref" in node:
        return _tokens(defs.get(node["$ref"].rsplit("/", 1)[-1], {}), defs, depth + 1)
    if "anyOf" in node:
        return max(_tokens(option, defs, depth + 1) for option in node["anyOf"])
    if "enum" in node:
        return 2 + max(len(str(value)) for value in node["enum"]) // CHARACTERS_PER_TOKEN
    kind = node.get("type")
    if kind == "string":
        length = int(node.get("maxLength") or 0)
        return 2 + (length // CHARACTERS_PER_TOKEN if length else UNBOUNDED_STRING_TOKENS)
    if kind == "array":
        items = int(node.get("maxItems", UNBOUNDED_ITEMS))
        return 2 + items * (1 + _tokens(node.get("items", {}), defs, depth + 1))
    if kind == "object":
        properties = node.get("properties", {}).values()
        return 2 + sum(KEY_TOKENS + _tokens(sub, defs, depth + 1) for sub in properties)
    return 4  # numbers, booleans, null
