"""Keep the complete part of a schema-constrained answer that was cut off at the output cap.

A grammar-constrained answer (the schema enforced while sampling) that stops at the output-token
cap is valid JSON up to the cut: only its last, unfinished item is broken. A small model that
lists items until the cap would otherwise cost a whole generation for nothing. The salvage keeps
the longest prefix that ends just before a comma or after a closing bracket (so every value in
it is complete), closes what is still open (pydantic-core's partial JSON parser, which drops an
unfinished string), and accepts it only if the schema's model validates it. Nothing is invented:
no item is completed, only the unfinished one dropped. The caller must say that it happened
(client.py logs a warning and marks the Answer `truncated`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

# Cut points tried, latest first: each costs a partial parse and a validation (~0.1 ms); an
# answer at a 4,096-token cap has a few hundred commas.
MAX_CUT_POINTS = 5_000


@dataclass(frozen=True)
class Salvage:
    text: str  # the kept part as compact JSON, every value complete
    kept_chars: int  # how much of the cut-off text it keeps
    total_chars: int


def complete_prefix(text: str, model: type[BaseModel]) -> Salvage | None:
    """The longest complete-item prefix of `text` that `model` accepts, or None."""
    for end in _cut_points(text):
        value = _closed(text[:end])
        if value is None:
            continue
        try:
            model.model_validate(value)
        except ValidationError:
            continue
        compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return Salvage(compact, end, len(text))
    return None


def _cut_points(text: str) -> list[int]:
    """Where the text may be cut so that the last value before the cut is complete: just before
    each comma, and the whole text when it ends with a closing bracket. A comma inside a string
    is harmless: the partial parser drops the unfinished string and validation decides."""
    points = [index for index, char in enumerate(text) if char == ","]
    if text.rstrip().endswith(("}", "]")):
        points.append(len(text))
    return points[::-1][:MAX_CUT_POINTS]


def _closed(prefix: str) -> Any:
    try:
        return from_json(prefix, allow_partial=True)
    except ValueError:
        return None
