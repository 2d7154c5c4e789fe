"""What `--strict` fails on, and the stderr lines that make every unverified claim loud.

Levels: `off` (the default: unverified claims are reported, the exit code is 0), `not_found`
(`--strict`: exit 7 when a quote or an actor name is not found in the article, or an actor id
dangles) and `exact` (`--strict=exact`: fuzzy quotes fail too).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarise_agent.errors import ConfigError
from summarise_agent.grounding_report import Unverified

if TYPE_CHECKING:
    from summarise_agent.batch.report import ArticleEntry

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


class StrictLevel(StrEnum):
    OFF = "off"
    NOT_FOUND = "not_found"
    EXACT = "exact"


def strict_level(value: object) -> StrictLevel:
    """The level a setting names: a level, or a boolean (true means `not_found`)."""
    text = str(value).strip().lower().replace("-", "_")
    if text in _TRUE:
        return StrictLevel.NOT_FOUND
    if text in _FALSE:
        return StrictLevel.OFF
    try:
        return StrictLevel(text)
    except ValueError:
        raise ConfigError(
            f"strict: {value!r} is not one of off, not_found (--strict) or exact (--strict=exact)"
        ) from None


def failing(unverified: Sequence[Unverified], level: StrictLevel) -> list[Unverified]:
    """The claims that fail this level (none when off)."""
    if level is StrictLevel.OFF:
        return []
    return [item for item in unverified if item.match == "not_found" or level is StrictLevel.EXACT]


def reported(unverified: Sequence[Unverified], level: StrictLevel) -> list[Unverified]:
    """The claims a run names on stderr: everything not verified, and fuzzy quotes when the
    level makes them failures."""
    return [item for item in unverified if item.match == "not_found" or level is StrictLevel.EXACT]


def grounding_summary(checks: dict[str, Any]) -> str:
    """`grounding: 12 quote(s): 10 exact, 1 fuzzy, 1 not found; 5 actor(s): 1 not found`."""
    quotes = (
        f"{checks.get('quotes', 0)} quote(s): {checks.get('exact', 0)} exact, "
        f"{checks.get('fuzzy', 0)} fuzzy, {checks.get('not_found', 0)} not found"
    )
    actors = f"{checks.get('actors', 0)} actor(s): {checks.get('actors_not_found', 0)} not found"
    dangling = checks.get("dangling_actor_ids", 0)
    extra = f"; {dangling} dangling actor id(s)" if dangling else ""
    return f"grounding: {quotes}; {actors}{extra}"


def warn_unverified(
    name: str, unverified: Sequence[Unverified], checks: dict[str, Any], level: StrictLevel
) -> None:
    """One stderr line per unverified claim, then the one-line summary (silent when all hold)."""
    lines = reported(unverified, level)
    if not lines and not checks.get("dangling_actor_ids"):
        return
    for item in lines:
        print(f"summarise: warning: {name}: {item.line()}", file=sys.stderr)
    print(f"summarise: warning: {name}: {grounding_summary(checks)}", file=sys.stderr)


def strict_failure_summary(failures: Sequence[Unverified], dangling: int) -> str:
    """`2 quote(s) not verified, 1 actor(s) not found, 0 dangling actor id(s)`."""
    quotes = sum(1 for item in failures if item.kind == "quote")
    actors = len(failures) - quotes
    return (
        f"{quotes} quote(s) not verified, {actors} actor(s) not found in the article, "
        f"{dangling} dangling actor id(s)"
    )


def checks_fail(checks: dict[str, Any], level: StrictLevel) -> bool:
    """Whether a record's `checks` counts fail this level (batch: one verdict per article)."""
    if level is StrictLevel.OFF:
        return False
    keys = ["not_found", "actors_not_found", "dangling_actor_ids"]
    keys += ["fuzzy"] if level is StrictLevel.EXACT else []
    return any(int(checks.get(key) or 0) > 0 for key in keys)


def read_checks(path: Path) -> dict[str, int]:
    """The `checks` of an existing output (a skipped article's), {} when unreadable."""
    try:
        checks = json.loads(path.read_bytes()).get("checks")
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(checks, dict):
        return {}
    return {key: value for key, value in checks.items() if isinstance(value, int)}


def note_grounding(entry: ArticleEntry, checks: dict[str, Any], level: StrictLevel) -> None:
    entry.grounding = dict(checks)
    entry.strict_failed = checks_fail(checks, level)


def grounding_counts(checks: dict[str, int] | None) -> str:
    """`quotes: 5 exact, 1 fuzzy, 0 not found; actors: 3, 0 not found` (batch lines)."""
    if not checks:
        return "grounding unknown"
    text = (
        f"quotes: {checks.get('exact', 0)} exact, {checks.get('fuzzy', 0)} fuzzy, "
        f"{checks.get('not_found', 0)} not found; actors: {checks.get('actors', 0)}, "
        f"{checks.get('actors_not_found', 0)} not found"
    )
    dangling = checks.get("dangling_actor_ids", 0)
    return text + (f"; {dangling} dangling actor id(s)" if dangling else "")
