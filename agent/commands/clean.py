"""`summarise clean FILE`: print the cleaned article text (what the model sees)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from summarise_agent.cleaning import CleanedDocument

_PREVIEW_LINES = 6  # lines of each removal shown by --show-removed


def register(app: typer.Typer) -> None:
    app.command("clean")(clean)


def clean(
    file: Annotated[
        str,
        typer.Argument(
            help="Article file (.txt, .md, .html, .htm) or - for stdin.", metavar="FILE"
        ),
    ],
    show_removed: Annotated[
        bool,
        typer.Option(
            "--show-removed",
            help="Also list on stderr what was cut, one block per removal naming its rule.",
        ),
    ] = False,
) -> None:
    """Print the cleaned article text that the model sees.

    The text goes to stdout exactly as the pipeline uses it: character
    offsets of grounded quotes refer to it. HTML pages are reduced to the
    main article; boilerplate (newsletter and donation appeals, cookie
    notices, "related" lists, share and comment prompts, copyright lines,
    bylines) is removed by the rules in agent/cleaning/rules.toml.

    --show-removed lists on stderr one block per removal: a header
    "--- removed by RULE: why", then the removed text, indented (long
    removals shortened; identical ones in a row counted, not repeated),
    then a summary line (title, date, media type, encoding, counts).
    """
    from summarise_agent.cleaning import clean_document
    from summarise_agent.config import resolve_settings
    from summarise_agent.load import read_input

    settings = resolve_settings({})
    source = read_input(file, max_bytes=settings.max_input_bytes)
    document = clean_document(source.data, source.name, max_bytes=settings.max_input_bytes)
    typer.echo(document.text, nl=False)
    if show_removed:
        typer.echo(format_removals(document), err=True, nl=False)


def format_removals(document: CleanedDocument) -> str:
    """The --show-removed report: one block per removal, then a one-line summary."""
    blocks: list[str] = []
    previous: tuple[str, str] | None = None
    repeats = 0
    for removal in (*document.removed, None):
        current = (removal.rule, removal.text) if removal else None
        if current == previous:
            repeats += 1
            continue
        if repeats:
            blocks[-1] += f"    (and {repeats} more time{'s' if repeats > 1 else ''})\n"
        repeats = 0
        previous = current
        if removal is not None:
            blocks.append(_removal_block(removal.rule, removal.reason, removal.text))
    rules = sorted({removal.rule for removal in document.removed})
    summary = (
        f"=== {len(document.removed)} removal(s)"
        + (f" by {', '.join(rules)}" if rules else "")
        + f"; kept {len(document.text):,} characters ({document.media_type}, "
        f"{document.encoding}{', mojibake repaired' if document.repaired_mojibake else ''})"
        + (f"; title: {document.title}" if document.title else "")
        + (f"; date: {document.date}" if document.date else "")
        + "\n"
    )
    return "".join(blocks) + summary


def _removal_block(rule: str, reason: str, text: str) -> str:
    lines = text.splitlines() or [""]
    shown = lines[:_PREVIEW_LINES]
    if len(lines) > _PREVIEW_LINES:
        shown.append(f"... ({len(lines) - _PREVIEW_LINES} more lines)")
    body = "".join(f"    {line}\n" for line in shown)
    return f"--- removed by {rule}: {reason}\n{body}"
