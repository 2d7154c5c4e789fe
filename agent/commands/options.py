"""Options shared by the commands that call the model (`run`, `batch`): declared once, so
both spell, document and resolve them the same way."""

from __future__ import annotations

from typing import Annotated, Any

import typer

MODES = ("auto", "json_schema", "json_object", "tools")

SchemaOption = Annotated[
    str | None,
    typer.Option(
        "--schema", "-s", help="actors, positions or actions, or file.py[:Class] of your own."
    ),
]
ModelOption = Annotated[str | None, typer.Option(help="Model name. (default: gpt-4o-mini)")]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1."),
]
PromptVersionOption = Annotated[
    int | None, typer.Option(help="Prompt version to use. (default: the newest)")
]
ModeOption = Annotated[
    str | None,
    typer.Option(
        help="Structured output: auto (the strongest the server accepts), json_schema, "
        "json_object or tools. (default: auto)"
    ),
]
TemperatureOption = Annotated[float | None, typer.Option(help="Sampling temperature. (default: 0)")]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        help="Seconds to wait for an answer once connected; long for CPU-served local models. "
        "(default: 600)"
    ),
]
ConnectTimeoutOption = Annotated[
    float | None,
    typer.Option(help="Seconds to wait for a connection: unreachable fails fast. (default: 2)"),
]
MaxOutputTokensOption = Annotated[
    int | None,
    typer.Option(help="Cap on the answer's tokens. (default: derived from the schema)"),
]
MaxReasksOption = Annotated[
    int | None, typer.Option(help="Re-asks after an invalid answer. (default: 2)")
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Neither read nor write the answer cache.")
]
VerboseOption = Annotated[
    int, typer.Option("--verbose", "-v", count=True, help="Log progress to stderr (-vv: debug).")
]


def model_flags(
    *,
    schema: str | None,
    model: str | None,
    base_url: str | None,
    prompt_version: int | None,
    mode: str | None,
    temperature: float | None,
    timeout: float | None,
    max_reasks: int | None,
    no_cache: bool,
    connect_timeout: float | None = None,
    max_output_tokens: int | None = None,
) -> dict[str, Any]:
    """The shared options as `resolve_settings` flags (None: not given on the command line)."""
    if mode is not None and mode not in MODES:
        raise typer.BadParameter(f"{mode!r} is not one of {', '.join(MODES)}", param_hint="--mode")
    return {
        "schema": schema, "model": model, "base_url": base_url, "prompt_version": prompt_version,
        "mode": mode, "temperature": temperature, "timeout": timeout, "max_reasks": max_reasks,
        "cache": False if no_cache else None, "connect_timeout": connect_timeout,
        "max_output_tokens": max_output_tokens,
    }  # fmt: skip
