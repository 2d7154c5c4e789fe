"""Checks `result` against the Pydantic model of the schema version named in the file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from summarise_agent.review.problems import Location, ProblemList

if TYPE_CHECKING:
    from summarise_agent.schema_registry import SchemaSpec

# added to each evidence item by the program, after the model answered (not in the model);
# `differs` is new in v2 (a v1 file has no such key)
EVIDENCE_KEYS = ("quote", "start", "end", "match", "differs")
PROGRAM_EVIDENCE_KEYS = frozenset(EVIDENCE_KEYS) - {"quote"}
PROGRAM_ACTOR_KEYS = frozenset({"name_match"})  # v2: added to each actor of `result.actors`


@dataclass(frozen=True)
class KnownSchemas:
    """The schemas validate knows: the built-ins and any user schema given with --schema."""

    specs: dict[str, SchemaSpec]

    @classmethod
    def load(cls, user_references: Iterable[str]) -> KnownSchemas:
        from summarise_agent.schema_registry import load_schema
        from summarise_schemas import BUILTIN_SCHEMAS

        specs = {name: load_schema(name) for name in BUILTIN_SCHEMAS}
        for reference in user_references:
            spec = load_schema(reference)  # UsageError (exit 2) when it cannot be loaded
            specs[spec.name] = spec
        return cls(specs)


def resolve_schema(
    problems: ProblemList, data: dict[str, Any], known: KnownSchemas
) -> SchemaSpec | None:
    """The spec to check `result` with, or None (with a problem) when there is none to use."""
    block = data.get("schema")
    name = block.get("name") if isinstance(block, dict) else None
    if not isinstance(name, str) or not name:
        return None  # the envelope check reported it
    spec = known.specs.get(name)
    if spec is None:
        problems.add(
            ("schema", "name"),
            f"unknown schema {name!r}: not built in; pass --schema FILE.py for your own schema",
        )
        return None
    assert isinstance(block, dict)
    version = block.get("version")
    if version != spec.version:
        problems.add(
            ("schema", "version"),
            f"{name} version {version!r} is not the version this summarise knows ({spec.version}); "
            "result not checked",
        )
        return None
    if block.get("sha256") != spec.sha256:
        problems.add(
            ("schema", "sha256"),
            f"differs from the {name} v{spec.version} schema of this summarise "
            f"({spec.sha256[:12]}...): the output was made with another schema text; "
            "re-run it or bump the schema version",
        )
    return spec


def check_result(problems: ProblemList, result: dict[str, Any], spec: SchemaSpec) -> None:
    """Model validation (with the program's evidence keys set aside), then key order."""
    from pydantic import ValidationError

    try:
        parsed = spec.model.model_validate(_without_program_keys(_without_actor_keys(result)))
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            location: Location = ("result", *detail["loc"])
            problems.add(location, detail["msg"])
        return
    _check_order(problems, ("result",), result, parsed.model_dump(mode="json"))


def _without_program_keys(node: Any, in_evidence_list: bool = False) -> Any:
    """The result as the model answered it: evidence items without start, end and match."""
    if isinstance(node, list):
        return [_without_program_keys(item, in_evidence_list) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _without_program_keys(value, key == "evidence")
        for key, value in node.items()
        if not (in_evidence_list and key in PROGRAM_EVIDENCE_KEYS)
    }


def _without_actor_keys(result: dict[str, Any]) -> dict[str, Any]:
    actors = result.get("actors")
    if not isinstance(actors, list):
        return result
    plain = [{k: v for k, v in actor.items() if k not in PROGRAM_ACTOR_KEYS}
             if isinstance(actor, dict) else actor for actor in actors]  # fmt: skip
    return {**result, "actors": plain}


def _check_order(problems: ProblemList, location: Location, actual: Any, expected: Any) -> None:
    """Compare key order with the model's field order; evidence gets the program's keys."""
    if isinstance(actual, list) and isinstance(expected, list):
        for index, (item, wanted) in enumerate(zip(actual, expected, strict=False)):
            _check_order(problems, (*location, index), item, wanted)
        return
    if not (isinstance(actual, dict) and isinstance(expected, dict)):
        return
    if "quote" in actual:
        return  # evidence keys are checked with the grounding, schema or no schema
    order = tuple(expected)
    present = [key for key in actual if key in expected]
    if present != [key for key in order if key in actual]:
        problems.add(
            location,
            f"keys out of order: {', '.join(present)}; the schema's order is {', '.join(order)}",
        )
    for key in present:
        _check_order(problems, (*location, key), actual[key], expected[key])
