"""`summarise clean FILE`: print the cleaned article text (what the model sees)."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("clean")(clean)


def clean(
    file: Annotated[str, typer.Argument(help="Article file (.txt, .md, .html) or - for stdin.")],
    show_removed: Annotated[
        bool, typer.Option("--show-removed", help="Also list what was cut and which rule cut it.")
    ] = False,
) -> None:
    """Print the cleaned article text that the model sees and quotes are grounded against."""
    from agent.cleaning import clean_document
    from agent.config import resolve_settings
    from agent.load import read_input

    settings = resolve_settings({})
    source = read_input(file, max_bytes=settings.max_input_bytes)
    document = clean_document(source.data, source.name, max_bytes=settings.max_input_bytes)
    typer.echo(document.text, nl=False)
    if show_removed:
        for removal in document.removed:
            typer.echo(f"[removed by {removal.rule}: {removal.reason}] {removal.text!r}", err=True)
