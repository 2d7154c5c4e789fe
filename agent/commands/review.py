"""`summarise validate|diff|show`: review tooling for committed outputs (docs/reviewing.md).

Exit codes of these commands: 0 fine / no differences, 1 problems or differences found (like
diff(1)), 2 usage error, 3 an input file cannot be read (or, for diff and show, used).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DIFF_FORMATS = ("text", "markdown", "json")
FOUND = 1  # problems (validate) or differences (diff) found, like diff(1)


def _exit_found() -> None:
    """Exit 1 through SystemExit: typer.Exit would be *returned* by app() under
    standalone_mode=False, and `python -m summarise_agent` drops main()'s return value."""
    import sys

    sys.exit(FOUND)


def register(app: typer.Typer) -> None:
    """Adds `validate`, `diff` and `show` to the CLI."""
    app.command("validate")(validate)
    app.command("diff")(diff)
    app.command("show")(show)


def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Output files, or directories of them (*.json, recursively).", metavar="PATHS"
        ),
    ],
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            help="The article, or a directory of articles named as in source.name: offsets are "
            "then checked against its cleaned text.",
        ),
    ] = None,
    schema: Annotated[
        list[str] | None,
        typer.Option("--schema", "-s", help="Your own schema, file.py[:Class] (repeatable)."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Also report quotes that were not found in the article."),
    ] = False,
) -> None:
    """Check output files against their schema version and the output contract.

    Prints one line per problem (FILE: LOCATION: PROBLEM) on stdout and a count on stderr.
    Exit codes: 0 all valid, 1 problems found, 2 usage error, 3 a file cannot be read.
    See docs/reviewing.md.
    """
    from summarise_agent.review.sources import SourceLookup
    from summarise_agent.review.validate import ValidationOptions, validate_paths
    from summarise_agent.review.validate_result import KnownSchemas

    options = ValidationOptions(KnownSchemas.load(schema or []), SourceLookup(source), strict)
    report = validate_paths(paths, options)
    for problem in report.problems:
        typer.echo(str(problem))
    if report.problems:
        typer.echo(
            f"summarise: {len(report.problems)} problem(s) in {report.files_with_problems} of "
            f"{report.files} file(s)",
            err=True,
        )
        _exit_found()
    typer.echo(f"summarise: {report.files} file(s) valid", err=True)


def diff(
    old: Annotated[
        Path, typer.Argument(help="Old output file, or directory of outputs.", metavar="OLD")
    ],
    new: Annotated[
        Path, typer.Argument(help="New output file, or directory of outputs.", metavar="NEW")
    ],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, markdown (for a PR comment) or json.")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here (atomically).")
    ] = None,
    topic_threshold: Annotated[
        float,
        typer.Option(
            help="Similarity (0-100) from which two topics or action phrases are the same."
        ),
    ] = 80.0,
) -> None:
    """Semantic diff of two outputs (or two directories of outputs, paired by relative path).

    Compares by meaning, not by line: actors by id then name, positions by actor and topic,
    actions by proposer and phrase, evidence by quote; a pure reordering is no change.
    Exit codes: 0 no differences, 1 differences found, 2 usage error, 3 unreadable input,
    10 --output cannot be written.
    """
    from summarise_agent.errors import UsageError
    from summarise_agent.review.diff_files import diff_paths
    from summarise_agent.review.diff_format import render_report

    if output_format not in DIFF_FORMATS:
        raise UsageError(f"--format: {output_format!r} is not one of {', '.join(DIFF_FORMATS)}")
    if not 0 <= topic_threshold <= 100:
        raise UsageError("--topic-threshold: must be between 0 and 100")
    report = diff_paths(old, new, topic_threshold)
    text = render_report(report, output_format)
    _emit(text, output, colour=output_format == "text")
    if report.changed:
        _exit_found()


def show(
    file: Annotated[
        Path,
        typer.Argument(
            help="One output file, or a directory of them (with --html -o SITE).", metavar="PATH"
        ),
    ],
    html: Annotated[
        bool, typer.Option("--html", help="A self-contained HTML page instead of Markdown.")
    ] = False,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            help="The article (or a directory of articles): --html then shows it with every "
            "quote highlighted.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o",
            help="Write here (atomically) instead of stdout. For a directory: the site's "
            "directory (index.html, pages/).",
        ),
    ] = None,
) -> None:  # fmt: skip
    """Render one output for people: Markdown, or with --html a page with the article.

    For a directory of outputs, --html -o SITE writes SITE/index.html (every record with its
    counts, unverified claims first) and a page per record under SITE/pages/.

    Exit codes: 0 ok, 2 usage error (e.g. --source is not the article the output was made
    from), 3 the file or the article cannot be read or is not a summarise output, 10 --output
    cannot be written.
    """
    from summarise_agent.review.show import render_show, write_site

    if file.is_dir():
        from summarise_agent.errors import UsageError

        if not html or output is None:
            raise UsageError(f"{file} is a directory: use --html -o SITE to write its index page")
        count = write_site(file, source=source, site=output)
        typer.echo(f"summarise: {count} record page(s) and {output / 'index.html'}", err=True)
        return
    _emit(render_show(file, html=html, source=source), output, colour=False)


def _emit(text: str, output: Path | None, *, colour: bool) -> None:
    if output is not None:
        from summarise_agent.output import write_output

        write_output(output, text.encode("utf-8"))  # OutputError, exit 10, when it fails
        return
    if colour:
        _echo_coloured(text)
    else:
        typer.echo(text, nl=False)


def _echo_coloured(text: str) -> None:
    """Diff lines in colour on a terminal (+ green, - red, ~ yellow); plain text otherwise."""
    import os
    import sys

    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        typer.echo(text, nl=False)
        return
    colours = {"+": "green", "-": "red", "~": "yellow"}
    for line in text.splitlines():
        colour = colours.get(line.strip()[:1]) if line.startswith("  ") else None
        typer.secho(line, fg=colour, bold=not line.startswith(" "))
