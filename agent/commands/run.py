"""`summarise [run] FILE --schema NAME`: one article in, one contract JSON record out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agent.commands.options import (
    BaseUrlOption,
    ConnectTimeoutOption,
    MaxOutputTokensOption,
    MaxReasksOption,
    ModelOption,
    ModeOption,
    NoCacheOption,
    PromptVersionOption,
    SchemaOption,
    TemperatureOption,
    TimeoutOption,
    VerboseOption,
    model_flags,
)


def register(app: typer.Typer) -> None:
    app.command("run")(run)


def run(
    file: Annotated[str, typer.Argument(help="Article file (.txt, .md, .html), or - for stdin.")],
    schema: SchemaOption = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON here (atomically) instead of stdout."),
    ] = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    prompt_version: PromptVersionOption = None,
    mode: ModeOption = None,
    temperature: TemperatureOption = None,
    timeout: TimeoutOption = None,
    connect_timeout: ConnectTimeoutOption = None,
    max_output_tokens: MaxOutputTokensOption = None,
    max_reasks: MaxReasksOption = None,
    no_cache: NoCacheOption = False,
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
    verbose: VerboseOption = 0,
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
    flags = model_flags(
        schema=schema, model=model, base_url=base_url, prompt_version=prompt_version, mode=mode,
        temperature=temperature, timeout=timeout, max_reasks=max_reasks, no_cache=no_cache,
        connect_timeout=connect_timeout, max_output_tokens=max_output_tokens,
    )  # fmt: skip
    settings = resolve_settings({**flags, "strict": True if strict else None})
    run_one(file, settings, Endpoint(replay_dir=replay, record_dir=record), output)
