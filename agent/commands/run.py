"""`summarise [run] FILE --schema NAME`: one article in, one contract JSON record out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarise_agent.commands.options import (
    BaseUrlOption,
    ChunkOverlapOption,
    ChunkTokensOption,
    ConfigOption,
    ConnectTimeoutOption,
    MaxOutputTokensOption,
    MaxReasksOption,
    ModelOption,
    ModeOption,
    NoCacheOption,
    PromptVersionOption,
    SchemaOption,
    StrictFlagCommand,
    StrictOption,
    TemperatureOption,
    TimeoutOption,
    VerboseOption,
    chunk_flags,
    model_flags,
    strict_flag,
)


def register(app: typer.Typer) -> None:
    app.command("run", cls=StrictFlagCommand)(run)


def run(
    file: Annotated[
        str, typer.Argument(help="Article file (.txt, .md, .html), or - for stdin.", metavar="FILE")
    ],
    schema: SchemaOption = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Write the JSON here (atomically) instead of stdout. A directory (or a path "
            "ending in /, created) gets NAME.json inside it.",
        ),
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
    chunk_tokens: ChunkTokensOption = None,
    chunk_overlap_tokens: ChunkOverlapOption = None,
    strict: StrictOption = None,
    replay: Annotated[
        Path | None,
        typer.Option(help="Answer from responses recorded in DIR instead of an endpoint."),
    ] = None,
    record: Annotated[
        Path | None, typer.Option(help="Record every endpoint response into DIR (for --replay).")
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            help="The article's name in the output (source.name). (default: the file's "
            "name, or stdin)"
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="The article's title, recorded as source.title.")
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="The article's canonical URL, recorded as source.url.")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date, ISO 8601 (2024-03-05 or 2024-03-05T10:00:00Z)."),
    ] = None,
    config: ConfigOption = None,
    verbose: VerboseOption = 0,
) -> None:
    """Extract actors, positions or actions from one article as grounded JSON.

    Prints the result to stdout, or writes it to --output. Settings also come from
    SUMMARISE_* environment variables and the config file (see docs/configuration.md).
    Every quote or actor name the article does not back is named on stderr, with a summary.
    Exit codes: 0 ok, 2 usage, 3 input, 4 config, 5 endpoint, 6 answer, 7 --strict checks,
    10 output not written (the answer is kept: the message says where), 130 interrupted.
    """
    from summarise_agent.config import resolve_settings
    from summarise_agent.load import InputDetails
    from summarise_agent.logs import configure_logging
    from summarise_agent.pipeline import Endpoint
    from summarise_agent.single_article import run_one

    configure_logging(verbose)
    flags = model_flags(
        schema=schema, model=model, base_url=base_url, prompt_version=prompt_version, mode=mode,
        temperature=temperature, timeout=timeout, max_reasks=max_reasks, no_cache=no_cache,
        connect_timeout=connect_timeout, max_output_tokens=max_output_tokens,
    )  # fmt: skip
    flags |= chunk_flags(chunk_tokens, chunk_overlap_tokens)
    settings = resolve_settings({**flags, "strict": strict_flag(strict)}, config)
    given = InputDetails(name=name, title=title, url=url, published=published)
    run_one(file, settings, Endpoint(replay_dir=replay, record_dir=record), output, given)
