"""`summarise config`: the effective settings and where each came from, the API key hidden."""

from __future__ import annotations

import dataclasses
from typing import Any

import typer

from summarise_agent.commands.options import (
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
    model_flags,
)

SECRET_SETTINGS = ("api_key",)


def register(app: typer.Typer) -> None:
    app.command("config")(config)


def config(
    schema: SchemaOption = None,
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
) -> None:
    """Print the effective settings and where each came from: a flag given here, the
    environment, the config file, or the default. The API key is never printed, only whether
    it is set and where from.

    Flags given here show what a `summarise run` with the same flags would use. See
    docs/configuration.md.
    """
    from summarise_agent.config import config_path, resolve_with_origins
    from summarise_agent.redact import redact

    flags = model_flags(
        schema=schema, model=model, base_url=base_url, prompt_version=prompt_version, mode=mode,
        temperature=temperature, timeout=timeout, max_reasks=max_reasks, no_cache=no_cache,
        connect_timeout=connect_timeout, max_output_tokens=max_output_tokens,
    )  # fmt: skip
    settings, origins = resolve_with_origins(flags)
    path = config_path()
    typer.echo(f"# config file: {path}{'' if path.is_file() else ' (none there)'}")
    rows = [
        (field.name, _shown(field.name, getattr(settings, field.name)), origins[field.name])
        for field in dataclasses.fields(settings)
    ]
    name_width = max(len(name) for name, _, _ in rows)
    value_width = min(40, max(len(value) for _, value, _ in rows))
    for name, value, origin in rows:
        typer.echo(redact(f"{name:<{name_width}}  {value:<{value_width}}  ({origin})"))


def _shown(name: str, value: Any) -> str:
    if name in SECRET_SETTINGS:
        return "set (hidden)" if value else "not set"
    if name == "cache_dir" and value is None:
        from summarise_agent.cache import default_cache_dir

        return str(default_cache_dir())
    if name == "base_url" and value is None:
        return "OpenAI"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)
