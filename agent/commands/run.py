"""`summarise [run] FILE --schema NAME`: one article in, one contract JSON record out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

MODES = ("auto", "json_schema", "json_object", "tools")


def register(app: typer.Typer) -> None:
    app.command("run")(run)


def run(
    file: Annotated[str, typer.Argument(help="Article file (.txt, .md, .html), or - for stdin.")],
    schema: Annotated[
        str | None,
        typer.Option(
            "--schema", "-s", help="actors, positions or actions, or file.py[:Class] of your own."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON here (atomically) instead of stdout."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model name. [default: gpt-4o-mini]")] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1."),
    ] = None,
    prompt_version: Annotated[
        int | None, typer.Option(help="Prompt version to use. [default: the newest]")
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(help="Structured output mode: auto, json_schema, json_object or tools."),
    ] = None,
    temperature: Annotated[
        float | None, typer.Option(help="Sampling temperature. [default: 0]")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option(help="Seconds to wait for one request. [default: 60]")
    ] = None,
    max_reasks: Annotated[
        int | None, typer.Option(help="Re-asks after an invalid answer. [default: 2]")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the answer cache.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 7 when a quote is not found or an actor id dangles."),
    ] = False,
    replay: Annotated[
        Path | None,
        typer.Option(help="Answer from responses recorded in DIR instead of an endpoint."),
    ] = None,
    record: Annotated[
        Path | None, typer.Option(help="Record every endpoint response into DIR (for --replay).")
    ] = None,
    verbose: Annotated[
        int,
        typer.Option("--verbose", "-v", count=True, help="Log progress to stderr (-vv: debug)."),
    ] = 0,
) -> None:
    """Extract actors, positions or actions from one article as grounded JSON.

    Prints the result to stdout, or writes it to --output. Settings also come from
    SUMMARISE_* environment variables and the config file (see docs/configuration.md).
    Exit codes: 0 ok, 2 usage, 3 input, 4 config, 5 endpoint, 6 answer, 7 --strict checks.
    """
    from agent.config import resolve_settings
    from agent.logs import configure_logging
    from agent.pipeline import Endpoint, run_one

    configure_logging(verbose)
    if mode is not None and mode not in MODES:
        raise typer.BadParameter(f"{mode!r} is not one of {', '.join(MODES)}", param_hint="--mode")
    flags = {
        "schema": schema, "model": model, "base_url": base_url, "prompt_version": prompt_version,
        "mode": mode, "temperature": temperature, "timeout": timeout, "max_reasks": max_reasks,
        "cache": False if no_cache else None, "strict": True if strict else None,
    }  # fmt: skip
    settings = resolve_settings(flags)
    run_one(file, settings, Endpoint(replay_dir=replay, record_dir=record), output)
