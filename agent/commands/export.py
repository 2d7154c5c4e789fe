"""`summarise export DIR`: every record in a folder to one table (docs/export.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    directory: Annotated[
        Path, typer.Argument(help="Output files, or a directory of them.", metavar="DIR")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE",
                     help="Write the table here (atomically). (default: stdout, CSV or JSONL "
                     "only)"),
    ] = None,
    format_name: Annotated[
        str | None,
        typer.Option("--format", "-f", metavar="FORMAT",
                     help="csv, jsonl, sqlite or parquet. (default: from the -o suffix, else "
                     "csv)"),
    ] = None,
) -> None:  # fmt: skip
    """Export every record in DIR as one table: one row per claim and quote, with the
    article, its title and date, the actor, topic or action, stance or status, the quote,
    its match and offsets.

    SQLite gives a database Datasette opens as it is (datasette claims.db); Parquet needs
    the optional extra: pip install 'summarise-news[parquet]'. Exit codes: 0 ok, 2 usage,
    3 a file cannot be read or is not a summarise output. See docs/export.md.
    """
    import sys

    from summarise_agent.errors import UsageError
    from summarise_agent.export import choose_format, export_rows, read_records, render

    chosen = choose_format(format_name, output)
    if output is None and chosen in ("sqlite", "parquet"):
        raise UsageError(f"--format {chosen} writes a binary file: give -o FILE")
    rows = export_rows(read_records(directory))
    data = render(rows, chosen)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _write(output, data)
    typer.echo(f"summarise: {len(rows)} row(s) written to {output}", err=True)


def _write(output: Path, data: bytes) -> None:
    from summarise_agent.errors import UsageError
    from summarise_agent.output import write_atomically

    try:
        write_atomically(output, data)
    except OSError as error:
        raise UsageError(f"-o {output}: cannot be written ({error.strerror or error})") from None
