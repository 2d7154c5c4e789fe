"""Options shared by the commands that call the model (`run`, `batch`): declared once, so
both spell, document and resolve them the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

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
    int | None,
    typer.Option(help="Prompt version to use. (default: the one pinned in prompts/defaults.toml)"),
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
ChunkTokensOption = Annotated[
    int | None,
    typer.Option(
        help="Split every article longer than N tokens into overlapping chunks of at most N. "
        "(default: only articles too long for the context, as large as fits)"
    ),
]
ChunkOverlapOption = Annotated[
    int | None,
    typer.Option(help="Tokens of text consecutive chunks share. (default: 200)"),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Settings file (TOML) instead of SUMMARISE_CONFIG or the default; must exist.",
    ),
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


def chunk_flags(chunk_tokens: int | None, chunk_overlap_tokens: int | None) -> dict[str, Any]:
    """--chunk-tokens and --chunk-overlap-tokens as `resolve_settings` flags (checked with the
    environment's and the config file's values, by the run: agent/chunked.py)."""
    return {"chunk_tokens": chunk_tokens, "chunk_overlap_tokens": chunk_overlap_tokens}


STRICT_VALUES = ("not_found", "exact")
StrictOption = Annotated[
    str | None,
    typer.Option(
        "--strict",
        metavar="[=exact]",
        help="Exit 7 when a quote or an actor name is not found in the article, or an actor id "
        "dangles. --strict=exact: fuzzy quotes fail too.",
    ),
]


class StrictFlagCommand(TyperCommand):
    """`--strict` takes an optional value, attached with `=` as getopt does for optional
    arguments: bare `--strict` means `--strict=not_found`, and `--strict FILE` keeps FILE."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        rewritten = [
            "--strict=not_found" if arg == "--strict" and index < end else arg
            for index, arg in enumerate(args)
        ]
        return super().parse_args(ctx, rewritten)


def strict_flag(value: str | None) -> str | None:
    """The `strict` setting a --strict option gives (None: not given on the command line)."""
    if value is not None and value not in STRICT_VALUES:
        raise typer.BadParameter(
            f"{value!r} is not one of {', '.join(STRICT_VALUES)} (use --strict or --strict=exact)",
            param_hint="--strict",
        )
    return value
