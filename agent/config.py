"""Settings, resolved per field: command-line flag, environment, config file, default.

Environment: `SUMMARISE_<FIELD>` (e.g. SUMMARISE_MODEL, SUMMARISE_RETRY_ATTEMPTS), plus the
standard OPENAI_API_KEY and OPENAI_BASE_URL. Config file: TOML at
`<user config dir>/summarise/config.toml` (or the path in SUMMARISE_CONFIG) with the same field
names as keys. The API key is read only from the environment, never from flags or files, so it
never lands in shell history or in a committed config.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.errors import ConfigError

# A few MB: far above any news article, far below what would hurt memory or cost.
DEFAULT_MAX_INPUT_BYTES = 5_000_000


@dataclass(frozen=True)
class Settings:
    schema: str = "positions"
    model: str = "gpt-4o-mini"
    base_url: str | None = None
    prompt_version: int | None = None  # None: the newest version of the schema's prompt
    mode: str = "auto"  # auto | json_schema | json_object | tools
    dialect: str | None = None  # force one dialect of agent/model/dialects.py (no probe)
    temperature: float = 0.0
    seed: int | None = None
    max_output_tokens: int | None = None  # None: derived from the schema (model/budget.py)
    # Seconds to wait for an answer once connected: long, for CPU-served local models that
    # take minutes; a timed-out request is retried once at most.
    timeout: float = 600.0
    connect_timeout: float = 2.0  # seconds to connect: an unreachable endpoint fails fast
    max_reasks: int = 2  # re-asks after an invalid answer (grounding gets one more, once)
    retry_attempts: int = 5  # transport attempts per request (429, 5xx, timeouts, resets)
    retry_max_seconds: float = 120.0  # total time budget of those attempts
    retry_initial_wait: float = 1.0  # first backoff; doubles, with jitter
    cache: bool = True
    cache_dir: Path | None = None  # None: the user's cache dir
    strict: str = "off"  # off | not_found (--strict) | exact (--strict=exact); see agent/strict.py
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES
    context_tokens: int = 128_000  # the model's context window: longer prompts are refused
    # Batch runs (docs/batch.md). 0 for rpm/tpm: no client-side limit until the endpoint's
    # x-ratelimit-* headers or a 429 teach one.
    concurrency: int = 8  # articles in flight at once
    rpm: int = 0  # requests per minute, shared by every task of the run
    tpm: int = 0  # tokens per minute (estimated before the request)
    prices_file: str | None = None  # TOML/JSON price table overriding the built-in one
    api_key: str | None = dataclasses.field(default=None, repr=False)


# Fields that may only come from the environment (never a flag or a file).
_ENV_ONLY = {"api_key": "OPENAI_API_KEY"}
_STANDARD_ENV = {"base_url": "OPENAI_BASE_URL"}


def config_path() -> Path:
    explicit = os.environ.get("SUMMARISE_CONFIG")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_config_dir("summarise")) / "config.toml"


def resolve_settings(flags: dict[str, Any]) -> Settings:
    """Settings from flags (None means 'not given'), environment, config file, defaults."""
    return resolve_with_origins(flags)[0]


def resolve_with_origins(flags: dict[str, Any]) -> tuple[Settings, dict[str, str]]:
    """The settings, and for each where it came from: 'flag --model', 'environment
    SUMMARISE_MODEL', 'file PATH', or 'default' (`summarise config` prints them)."""
    file_values = _read_config_file(config_path())
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for field in dataclasses.fields(Settings):
        raw, origin = _first_given(field.name, flags, file_values)
        if raw is not None:
            values[field.name] = _convert(field.name, raw, origin)
        origins[field.name] = _origin_label(origin) if raw is not None else "default"
    return Settings(**values), origins


def _origin_label(origin: str) -> str:
    if origin.startswith("--"):
        return f"flag {origin}"
    if " key " in origin:
        return f"file {origin.split(' key ')[0]}"
    return f"environment {origin}"


def _first_given(name: str, flags: dict[str, Any], file_values: dict[str, Any]) -> tuple[Any, str]:
    if name in _ENV_ONLY:
        for secret in (_ENV_ONLY[name], "SUMMARISE_API_KEY"):
            if os.environ.get(secret):
                return os.environ[secret], secret
        return None, ""
    if flags.get(name) is not None:
        return flags[name], f"--{name.replace('_', '-')}"
    env_name = f"SUMMARISE_{name.upper()}"
    for variable in (env_name, _STANDARD_ENV.get(name)):
        if variable and os.environ.get(variable):
            return os.environ[variable], variable
    if name in file_values:
        return file_values[name], f"{config_path()} key {name!r}"
    return None, ""


def _convert(name: str, raw: Any, origin: str) -> Any:
    target = _field_type(name)
    try:
        if target is bool and isinstance(raw, str):
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(raw)
            return raw.lower() in ("1", "true", "yes", "on")
        if target is Path:
            return Path(raw).expanduser()
        return target(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{origin}: {raw!r} is not a valid {target.__name__}") from None


def _field_type(name: str) -> type:
    """The field's declared type, without its `| None`."""
    declared = typing.get_type_hints(Settings)[name]
    concrete = [arg for arg in typing.get_args(declared) if arg is not type(None)]
    return concrete[0] if concrete else declared  # type: ignore[no-any-return]


def _read_config_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"config file {path}: {error}") from None
    known = {field.name for field in dataclasses.fields(Settings)} - set(_ENV_ONLY)
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"config file {path}: unknown keys {', '.join(unknown)}")
    return values
