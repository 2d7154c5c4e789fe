"""A DiffReport as terminal text, Markdown (a pull-request comment) or JSON (for scripts)."""

from __future__ import annotations

import json
from typing import Any

from summarise_agent.review.diff import Change
from summarise_agent.review.diff_files import DiffReport, FileDiff

FORMATS = ("text", "markdown", "json")
CELL_LIMIT = 300  # a PR comment table stays readable; the JSON form keeps everything


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "(none)"
    return str(value)


def _headline(report: DiffReport) -> str:
    if not report.changed:
        return f"No differences ({len(report.files)} file(s) compared)."
    parts = [
        f"{report.count(status)} {status}"
        for status in ("changed", "added", "removed", "unchanged")
        if report.count(status)
    ]
    return f"{len(report.files)} file(s): {', '.join(parts)}."


def _change_line(change: Change) -> str:
    if change.old is not None and change.new is not None:
        values = f": {value_text(change.old)} -> {value_text(change.new)}"
    elif change.old is not None or change.new is not None:
        values = f": {value_text(change.old if change.new is None else change.new)}"
    else:
        values = ""
    return f"{change.sign} {change.title}: {change.subject}{values}{_grounding_note(change)}"


def _grounding_note(change: Change) -> str:
    """`  [exact]`, or `  [UNVERIFIED: 1 exact, 1 not_found]` for a claim the article does not
    back; nothing for removals and run-level changes."""
    if change.grounding is None:
        return ""
    return f"  [{change.grounding}]" if change.verified else f"  [UNVERIFIED: {change.grounding}]"


def grounding_cell(change: Change) -> str:
    if change.grounding is None:
        return ""
    return change.grounding if change.verified else f"**unverified**: {change.grounding}"


def render_text(report: DiffReport) -> str:
    lines: list[str] = []
    for file in report.files:
        if file.status == "unchanged":
            continue
        lines.append(f"{file.name} ({file.status}, {len(file.changes)} change(s))")
        lines.extend(f"  {_change_line(change)}" for change in file.changes)
    lines.append(_headline(report))
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    text = " ".join(value_text(value).split())
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    # a pipe ends the cell and markup in model text must stay text
    for character in ("\\", "|", "*", "_", "`", "<", ">", "[", "]"):
        text = text.replace(character, "\\" + character)
    return text


def _markdown_file(file: FileDiff) -> list[str]:
    lines = [f"### `{file.name}` ({file.status}, {len(file.changes)} change(s))", ""]
    if file.status in ("added", "removed"):
        return [*lines, f"The file was {file.status}.", ""]
    lines += [
        "| | Change | Subject | Before | After | Grounding |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for change in file.changes:
        cells = [
            f"`{change.sign}`",
            change.title,
            *map(_cell, (change.subject, change.old, change.new)),
            grounding_cell(change).replace("_", "\\_"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def render_markdown(report: DiffReport) -> str:
    lines = ["## summarise diff", "", _headline(report), ""]
    for file in report.files:
        if file.status != "unchanged":
            lines.extend(_markdown_file(file))
    return "\n".join(lines).rstrip("\n") + "\n"


def render_json_report(report: DiffReport) -> str:
    document = {
        "changed": report.changed,
        "files": [
            {
                "name": file.name,
                "old": str(file.old_path) if file.old_path else None,
                "new": str(file.new_path) if file.new_path else None,
                "status": file.status,
                "changes": [
                    {
                        "kind": change.kind,
                        "subject": change.subject,
                        "old": change.old,
                        "new": change.new,
                        "grounding": change.grounding,
                        "verified": change.verified,
                    }
                    for change in file.changes
                ],
            }
            for file in report.files
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_report(report: DiffReport, output_format: str) -> str:
    if output_format == "markdown":
        return render_markdown(report)
    if output_format == "json":
        return render_json_report(report)
    return render_text(report)
