"""Settings, resolved per field: command-line flag, environment, config file, default.

Environment: `SUMMARISE_<FIELD>` (e.g. SUMMARISE_MODEL, SUMMARISE_RETRY_ATTEMPTS), plus the
standard OPENAI_API_KEY and OPENAI_BASE_URL. Config file: TOML at
`<user config dir>/summarise/config.toml` (or the path in SUMMARISE_CONFIG) with the same field
names as keys. The API key is read only from the environment, never from flags or files, so it
never lands in shell history or in a committed config.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise_agent.errors import ConfigError, UsageError

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
    context_tokens: int = 128_000  # the model's context window: longer articles are chunked
    # Long articles (docs/pipeline.md): None splits only an article that does not fit
    chunk_tokens: int | None = None  # largest chunk of article text, in estimated tokens
    chunk_overlap_tokens: int = 200  # text consecutive chunks share (whole sentences)
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


def resolve_settings(flags: dict[str, Any], config_file: Path | None = None) -> Settings:
    """Settings from flags (None means 'not given'), environment, config file, defaults; every
    value checked here, once (a bad flag is a usage error, exit 2; a bad environment variable or
    config key a configuration error, exit 4; the message names where it came from)."""
    return resolve_with_origins(flags, config_file)[0]


def resolve_with_origins(
    flags: dict[str, Any], config_file: Path | None = None
) -> tuple[Settings, dict[str, str]]:
    """The settings, and for each where it came from: 'flag --model', 'environment
    SUMMARISE_MODEL', 'file PATH', or 'default' (`summarise config` prints them). A config
    file named by `config_file` (--config) or SUMMARISE_CONFIG must exist."""
    named = config_file is not None or "SUMMARISE_CONFIG" in os.environ
    path = config_file or config_path()
    file_values = _read_config_file(path, named=named)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for field in dataclasses.fields(Settings):
        raw, origin = _first_given(field.name, flags, file_values, path)
        if raw is not None:
            values[field.name] = _convert(field.name, raw, origin)
            origins[field.name] = origin
    if "api_key" in values:  # a copy-paste often brings a newline; checked where it is used
        values["api_key"] = values["api_key"].strip() or None
    settings = Settings(**values)
    _validate(settings, origins)
    labels = {field.name: _origin_label(origins[field.name]) if field.name in origins
              else "default" for field in dataclasses.fields(Settings)}  # fmt: skip
    return settings, labels


def _origin_label(origin: str) -> str:
    if origin.startswith("--"):
        return f"flag {origin}"
    if " key " in origin:
        return f"file {origin.split(' key ')[0]}"
    return f"environment {origin}"


def checked_api_key(key: str) -> str:
    """KEY (already stripped), checked once before the client is made: a key that holds a
    character no HTTP header can carry is a configuration error that never shows the key
    (never an "illegal header value" retried as a network fault). Commands that need no key
    (a cached answer, `cache`, `clean`) are not stopped by a bad one."""
    for position, char in enumerate(key, 1):
        if not ("\x21" <= char <= "\x7e"):
            what = "a non-ASCII character" if ord(char) > 127 else "a space or control character"
            raise ConfigError(f"the API key (OPENAI_API_KEY) contains {what} at position "
                              f"{position} of {len(key)}: copy it again")  # fmt: skip
    return key


# (field, lowest allowed, lowest is excluded, highest allowed): numbers must also be finite.
_RANGES: tuple[tuple[str, float, bool, float], ...] = (
    ("temperature", 0.0, False, 2.0),
    ("timeout", 0.0, True, math.inf),
    ("max_reasks", 0, False, 100),
    ("retry_attempts", 1, False, 1000),
    ("retry_max_seconds", 0.0, True, math.inf),
    ("retry_initial_wait", 0.0, False, 3600.0),
    ("max_input_bytes", 1, False, math.inf),
    ("context_tokens", 1, False, math.inf),
    ("concurrency", 1, False, 10_000),
    ("rpm", 0, False, math.inf),
    ("tpm", 0, False, math.inf),
    ("max_output_tokens", 1, False, math.inf),
    ("prompt_version", 1, False, math.inf),
)


def _validate(settings: Settings, origins: dict[str, str]) -> None:
    for name, low, exclusive, high in _RANGES:
        value = getattr(settings, name)
        if value is None:
            continue
        too_low = value <= low if exclusive else value < low
        if not math.isfinite(value) or too_low or value > high:
            bound = f"over {low:g}" if exclusive else f"at least {low:g}"
            limit = "" if math.isinf(high) else f" and at most {high:g}"
            _bad(name, origins, f"{value!r} is not allowed: must be a finite number {bound}{limit}")
    for name in ("model", "schema"):
        value = getattr(settings, name)
        if not value.strip() or any(not char.isprintable() for char in value):
            _bad(name, origins, f"{value!r} is not allowed: must be a non-empty printable name")
    url = settings.base_url
    if url is not None and not _is_http_url(url):
        _bad("base_url", origins, f"{url!r} is not an http:// or https:// URL")
    from summarise_agent.commands.options import MODES

    if settings.mode not in MODES:
        _bad("mode", origins, f"{settings.mode!r} is not one of {', '.join(MODES)}")


def _is_http_url(url: str) -> bool:
    printable = all(char.isprintable() and not char.isspace() for char in url)
    return printable and url.startswith(("http://", "https://"))


def _bad(name: str, origins: dict[str, str], problem: str) -> None:
    origin = origins.get(name, name)
    error = UsageError if origin.startswith("--") else ConfigError
    raise error(f"{origin}: {problem}")


def _first_given(
    name: str, flags: dict[str, Any], file_values: dict[str, Any], path: Path
) -> tuple[Any, str]:
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
        return file_values[name], f"{path} key {name!r}"
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
    except (TypeError, ValueError, OverflowError):
        error = UsageError if origin.startswith("--") else ConfigError
        raise error(f"{origin}: {raw!r} is not a valid {target.__name__}") from None


def _field_type(name: str) -> type:
    """The field's declared type, without its `| None`."""
    declared = typing.get_type_hints(Settings)[name]
    concrete = [arg for arg in typing.get_args(declared) if arg is not type(None)]
    return concrete[0] if concrete else declared  # type: ignore[no-any-return]


_MAX_CONFIG_BYTES = 1_000_000  # a settings file; /dev/zero must not fill the memory


def _read_config_file(path: Path, *, named: bool) -> dict[str, Any]:
    """The file's settings. The default file may be absent; one named by SUMMARISE_CONFIG
    must exist (a typo must not silently run with other settings)."""
    if not named and not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_CONFIG_BYTES + 1)
        if len(raw) > _MAX_CONFIG_BYTES:
            raise ConfigError(f"config file {path}: over {_MAX_CONFIG_BYTES:,} bytes")
        values = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"config file {path}: is a directory") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as error:
        raise ConfigError(f"config file {path}: {error}") from None
    known = {field.name for field in dataclasses.fields(Settings)} - set(_ENV_ONLY)
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"config file {path}: unknown keys {', '.join(unknown)}")
    return values
