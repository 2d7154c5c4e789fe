"""Find the schema `--schema` names and produce the strict JSON Schema sent to the model.

`--schema` takes a built-in name (`positions`), or a user's Python file holding a Pydantic
model derived from `summarise_schemas.blocks.ResultModel`: `my_schema.py` (the module's `SCHEMA`
attribute, or its only ResultModel subclass) or `my_schema.py:ClassName`.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise_agent.errors import UsageError
from summarise_agent.model.grammar import each_object, grammar_schema
from summarise_schemas import BUILTIN_SCHEMAS
from summarise_schemas.blocks import ResultModel

# Bounds that grammar engines (llama.cpp, vLLM, Ollama) enforce while sampling: kept in the
# bounded form, so a small model cannot write an endless list or string.
_BOUNDS = frozenset({"pattern", "minLength", "maxLength", "minItems", "maxItems"})
# A grammar spells maxLength N as N nested optional characters: llama.cpp refuses a grammar
# whose nested repetitions pass ~2,000 rules (the 1,200-character summary inside the record does),
# and llama-cpp-python's server then dies. Longer strings stay bounded by Pydantic and by
# the output-token cap instead.
GRAMMAR_MAX_LENGTH = 400
# Keywords OpenAI's strict structured outputs reject or ignore; Pydantic still enforces them.
_UNSUPPORTED_KEYWORDS = _BOUNDS | frozenset(
    {
        "default", "title", "format", "uniqueItems", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "patternProperties", "minProperties",
        "maxProperties", "examples",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SchemaSpec:
    """A selected schema: its model, its JSON Schema in two forms, and the schema's hash.

    `json_schema` is the strict form (OpenAI's subset, no bounds); `bounded_json_schema` keeps
    the bounds (maxItems, maxLength, patterns) for servers whose grammar enforces them.
    `sha256` hashes the form with every bound: it holds everything the other two do."""

    model: type[ResultModel]
    json_schema: dict[str, Any]
    sha256: str
    bounded_json_schema: dict[str, Any]

    @functools.cached_property
    def grammar_json_schema(self) -> dict[str, Any]:
        """The bounded form as grammar dialects send it (patterns' repetitions bounded too,
        model/grammar.py): made once per schema, not on every request."""
        return grammar_schema(self.bounded_json_schema)  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        return self.model.schema_name

    @property
    def version(self) -> int:
        return self.model.schema_version


def load_schema(reference: str) -> SchemaSpec:
    """Resolve a `--schema` value to a SchemaSpec; unknown names are usage errors."""
    model = BUILTIN_SCHEMAS.get(reference) or _load_user_schema(reference)
    full = strict_json_schema(model, keep_bounds=True)
    return SchemaSpec(
        model=model,
        json_schema=strict_json_schema(model),
        sha256=canonical_sha256(full),
        bounded_json_schema=grammar_safe(full),
    )


def canonical_sha256(value: Any) -> str:
    """Hash of a JSON value independent of key order and whitespace."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def strict_json_schema(model: type[ResultModel], keep_bounds: bool = False) -> dict[str, Any]:
    """The model's JSON Schema in the form OpenAI's strict mode accepts.

    Every object gets `additionalProperties: false` and all its properties in `required`;
    unsupported keywords are dropped (constraints stay in Pydantic validation), except the
    bounds when `keep_bounds` (for grammar engines that enforce them).
    """
    dropped = _UNSUPPORTED_KEYWORDS - _BOUNDS if keep_bounds else _UNSUPPORTED_KEYWORDS
    schema: dict[str, Any] = _strip(copy.deepcopy(model.model_json_schema()), dropped)
    schema.pop("description", None)  # the class docstring is for developers, not the model
    return schema


def _strip(node: Any, dropped: frozenset[str]) -> Any:
    if isinstance(node, list):
        return [_strip(item, dropped) for item in node]
    if not isinstance(node, dict):
        return node
    cleaned = {
        key: (value if key == "properties" else _strip(value, dropped))
        for key, value in node.items()
        if key not in dropped
    }
    if "properties" in cleaned:
        cleaned["properties"] = {
            name: _strip(sub, dropped) for name, sub in cleaned["properties"].items()
        }
    if cleaned.get("type") == "object":
        cleaned["additionalProperties"] = False
        cleaned["required"] = list(cleaned.get("properties", {}))
    if "$ref" in cleaned and len(cleaned) > 1:
        # strict mode rejects siblings of $ref: keep the reference alone
        cleaned = {"$ref": cleaned["$ref"]}
    return cleaned


def grammar_safe(node: Any) -> Any:
    """The bounded schema without maxLength over GRAMMAR_MAX_LENGTH (see there)."""
    return each_object(node, _without_long_max_length)


def _without_long_max_length(kept: dict[str, Any]) -> dict[str, Any]:
    if isinstance(kept.get("maxLength"), int) and kept["maxLength"] > GRAMMAR_MAX_LENGTH:
        del kept["maxLength"]
    return kept


def _load_user_schema(reference: str) -> type[ResultModel]:
    path_text, _, class_name = reference.partition(":")
    path = Path(path_text)
    if path.suffix != ".py" or not path.is_file():
        known = ", ".join(sorted(BUILTIN_SCHEMAS))
        raise UsageError(
            f"unknown schema {reference!r}: use one of {known}, or a path to a .py file "
            "holding a Pydantic model (file.py or file.py:ClassName)"
        )
    module = _import_file(path)
    if class_name:
        candidate = getattr(module, class_name, None)
    else:
        candidate = getattr(module, "SCHEMA", None) or _only_result_model(module, path)
    if not (isinstance(candidate, type) and issubclass(candidate, ResultModel)):
        raise UsageError(f"{reference}: not a subclass of summarise_schemas.blocks.ResultModel")
    if not isinstance(getattr(candidate, "schema_name", None), str):
        raise UsageError(f"{reference}: the model must set the class variable schema_name")
    return candidate


def _import_file(path: Path) -> Any:
    module_name = (
        f"summarise_user_schema_{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]}"
    )
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"{path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # Pydantic resolves forward references through sys.modules
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # a user's file can fail in any way; report it in one line
        raise UsageError(f"{path}: importing the schema failed: {error!r}") from error
    return module


def _only_result_model(module: Any, path: Path) -> type[ResultModel] | None:
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ResultModel)
        and value.__module__ == module.__name__
    ]
    if len(found) > 1:
        names = ", ".join(sorted(model.__name__ for model in found))
        raise UsageError(f"{path} defines several schemas ({names}): name one as {path}:ClassName")
    return found[0] if found else None
