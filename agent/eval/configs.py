"""Configurations to compare: a name and the settings that differ from the command line's.

On the command line, `--compare NAME:key=value,key=value` (repeatable); in a TOML file given
with `--compare-file FILE`, one table per configuration, in file order:

    [v1]
    prompt_version = 1

    [v2-small]
    prompt_version = 2
    model = "gpt-4.1-mini"

Keys are the model settings below (docs/configuration.md) plus `outputs`, a directory of
existing outputs to score instead of running the pipeline. The first configuration is the
baseline the others are compared with; with a single `--compare`, the command line's own
settings are the baseline, named `base`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarise_agent.errors import UsageError

SETTING_KEYS = frozenset({
    "model", "base_url", "prompt_version", "mode", "temperature", "seed", "max_output_tokens",
    "max_reasks", "timeout", "cache", "context_tokens",
})  # fmt: skip
OUTPUTS_KEY = "outputs"
BASE_NAME = "base"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class Configuration:
    name: str
    settings: dict[str, Any] = field(default_factory=dict)  # setting -> value (flags' form)
    outputs: Path | None = None  # score these outputs instead of running the pipeline

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "settings": dict(self.settings),
            "outputs": str(self.outputs) if self.outputs else None,
        }


def parse_compare(text: str) -> Configuration:
    """`NAME:key=value,key=value` -> a Configuration (values stay strings until resolved)."""
    name, colon, rest = text.partition(":")
    if not colon or not rest.strip():
        raise UsageError(f"--compare {text!r}: expected NAME:key=value[,key=value...]")
    values: dict[str, Any] = {}
    for item in rest.split(","):
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise UsageError(f"--compare {text!r}: {item!r} is not key=value")
        values[key.strip()] = value.strip()
    return _configuration(name.strip(), values, f"--compare {name.strip()}")


def read_compare_file(path: Path) -> list[Configuration]:
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"--compare-file {path}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"--compare-file {path}: {error}") from None
    configurations = []
    for name, values in tables.items():
        if not isinstance(values, dict):
            raise UsageError(f"--compare-file {path}: {name!r} must be a table ([{name}])")
        configurations.append(_configuration(name, values, f"{path} [{name}]"))
    return configurations


def configurations_to_run(
    compare: list[str], compare_file: Path | None, outputs: Path | None
) -> list[Configuration]:
    """The configurations of this eval, baseline first (see the module docstring)."""
    given = [parse_compare(text) for text in compare]
    if compare_file is not None:
        given += read_compare_file(compare_file)
    base = Configuration(BASE_NAME, {}, outputs)
    if not given:
        return [base]
    if len(given) > 1 and outputs is not None:
        raise UsageError(
            "--outputs is the baseline's: with two or more configurations to compare, "
            "give each its own outputs=DIR"
        )
    configurations = [base, *given] if len(given) == 1 else given
    names = [configuration.name for configuration in configurations]
    if len(set(names)) != len(names):
        raise UsageError(f"configuration names must differ: {', '.join(names)}")
    return configurations


def _configuration(name: str, values: dict[str, Any], where: str) -> Configuration:
    if not _NAME.match(name):
        raise UsageError(f"{where}: a configuration name is letters, digits, '.', '_' or '-'")
    unknown = sorted(set(values) - SETTING_KEYS - {OUTPUTS_KEY})
    if unknown:
        known = ", ".join(sorted(SETTING_KEYS | {OUTPUTS_KEY}))
        raise UsageError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {known})")
    outputs = values.get(OUTPUTS_KEY)
    settings = {key: value for key, value in values.items() if key != OUTPUTS_KEY}
    return Configuration(name, settings, Path(str(outputs)) if outputs else None)
