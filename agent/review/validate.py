"""`summarise validate`: every way an output file can break the output contract, one line each.

Order of checks: bytes (UTF-8, JSON, byte form), envelope (keys, blocks), the schema version's
model, then grounding (evidence offsets, actor ids, `checks`), against the article if given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise_agent.errors import InputError
from summarise_agent.review.files import collect_output_paths, parse_json, read_output_file
from summarise_agent.review.problems import Problem, ProblemList
from summarise_agent.review.sources import SourceLookup
from summarise_agent.review.validate_envelope import (
    check_article_order,
    check_byte_form,
    check_envelope,
    is_count,
)
from summarise_agent.review.validate_grounding import (
    Grounding,
    check_actor_ids,
    check_actor_names,
    check_counts,
    check_evidence,
    check_source,
)
from summarise_agent.review.validate_result import KnownSchemas, check_result, resolve_schema


@dataclass(frozen=True)
class ValidationOptions:
    schemas: KnownSchemas
    sources: SourceLookup
    report_not_found: bool = False  # --strict: a quote or actor not found is a problem


@dataclass(frozen=True)
class ValidationReport:
    files: int
    problems: list[Problem]

    @property
    def files_with_problems(self) -> int:
        return len({problem.path for problem in self.problems})


def validate_paths(paths: Iterable[Path], options: ValidationOptions) -> ValidationReport:
    """Collect every path first, so an unreadable one stops the run (exit 3) before any output."""
    output_paths = collect_output_paths(paths)
    problems: list[Problem] = []
    for path in output_paths:
        problems.extend(validate_file(path, options))
    return ValidationReport(files=len(output_paths), problems=problems)


def validate_file(path: Path, options: ValidationOptions) -> list[Problem]:
    output = read_output_file(path)
    problems = ProblemList(str(path))
    try:
        data = parse_json(output.raw)
    except InputError as error:
        raise InputError(f"{path}: {error.message}") from None
    except UnicodeDecodeError as error:
        problems.add((), f"not UTF-8 (byte {error.start}: {error.reason})")
        return problems.problems
    except ValueError as error:
        problems.add((), f"not valid JSON: {error}")
        return problems.problems
    check_byte_form(problems, output.raw, data)
    if check_envelope(problems, data):
        _check_contents(problems, data, options)
    return problems.problems


def _check_contents(
    problems: ProblemList, data: dict[str, Any], options: ValidationOptions
) -> None:
    result: dict[str, Any] = data["result"]
    spec = resolve_schema(problems, data, options.schemas)
    if spec is not None:
        check_result(problems, result, spec)
    grounding = _grounding(problems, data, options)
    counts = check_evidence(problems, result, grounding)
    counts.update(check_actor_names(problems, result, grounding))
    dangling = check_actor_ids(problems, result)
    check_article_order(problems, data)
    check_counts(problems, data, counts, dangling)


def _grounding(
    problems: ProblemList, data: dict[str, Any], options: ValidationOptions
) -> Grounding:
    source = data.get("source")
    source = source if isinstance(source, dict) else {}
    characters = source.get("characters") if is_count(source.get("characters"), 0) else None
    text = None
    name = source["name"] if isinstance(source.get("name"), str) else ""
    recorded = source["path"] if isinstance(source.get("path"), str) else None
    article_path = options.sources.article_path(name, recorded)
    if article_path is not None and not article_path.exists():
        problems.add(
            ("source", "name"),
            f"article {article_path} not found; quotes not checked against its text",
        )
    elif article_path is not None:
        cleaned = options.sources.cleaned(name, recorded)
        assert cleaned is not None
        if check_source(problems, data, cleaned):
            text = cleaned.text
            characters = len(cleaned.text)
    from summarise_agent.review.validate_envelope import is_v2

    article = None
    if text is not None:
        from summarise_agent.grounding import Article

        article = Article(text)
    return Grounding(characters, text, options.report_not_found, is_v2(data), article)
