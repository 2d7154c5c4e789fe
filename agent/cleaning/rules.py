"""Load and validate the boilerplate rules from the reviewable data file `rules.toml`.

The file is the single place where boilerplate is described; docs/cleaning.md explains its
format. Loading is strict (unknown keys, bad regexes, duplicate ids fail loudly) because a
typo in a rule would otherwise silently stop it from firing.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

RuleKind = Literal["line", "block", "section", "duplicate", "headline"]
RULE_KINDS: tuple[RuleKind, ...] = ("line", "block", "section", "duplicate", "headline")
RULES_FILE = "rules.toml"

_KEYS = {
    "id",
    "kind",
    "description",
    "patterns",
    "signals",
    "min_signals",
    "max_words",
    "min_words",
    "min_run",
    "spread",
    "case_sensitive",
    "item_max_words",
    "max_items",
}
_DEFAULT_MAX_WORDS = {"line": 25, "block": 150, "section": 8, "duplicate": 10_000, "headline": 40}
_ID = re.compile(r"[a-z][a-z0-9-]*")


class RulesFileError(ValueError):
    """The rules file is malformed: a bug in the shipped data, caught by the tests."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: RuleKind
    description: str
    # line: the whole line must match one; section: the heading line must match one;
    # block: a search match of any one is enough on its own.
    patterns: tuple[re.Pattern[str], ...] = ()
    # block only: weaker evidence; `min_signals` different ones must be found.
    signals: tuple[re.Pattern[str], ...] = ()
    min_signals: int = 2
    max_words: int = 25  # the line, heading or paragraph must be at most this long
    min_words: int = 0  # duplicate: shorter repeated runs are left alone
    min_run: int = 1  # duplicate: fewer repeated paragraphs in a row are left alone
    spread: bool = False  # block: also take neighbouring paragraphs with one signal or more
    item_max_words: int = 20  # section: the link titles listed under the heading
    max_items: int = 15


def load_rules(text: str | None = None) -> tuple[Rule, ...]:
    """The rules in TEXT (TOML), or in the packaged rules file when TEXT is None."""
    if text is None:
        return _packaged_rules()
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesFileError(f"{RULES_FILE}: not valid TOML ({error})") from None
    entries = table.get("rule", [])
    if not isinstance(entries, list) or not entries:
        raise RulesFileError(f"{RULES_FILE}: no [[rule]] tables")
    rules = tuple(_rule(entry) for entry in entries)
    ids = [rule.id for rule in rules]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise RulesFileError(f"{RULES_FILE}: duplicate rule ids {duplicates}")
    return rules


@functools.cache
def _packaged_rules() -> tuple[Rule, ...]:
    text = resources.files("summarise_agent.cleaning").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return load_rules(text)


def _rule(entry: Any) -> Rule:
    if not isinstance(entry, dict):
        raise RulesFileError(f"{RULES_FILE}: every [[rule]] must be a table")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
        raise RulesFileError(f"{RULES_FILE}: rule id {rule_id!r} must be lower-case-with-dashes")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise RulesFileError(f"{RULES_FILE}: rule {rule_id}: unknown keys {unknown}")
    kind = entry.get("kind")
    if kind not in RULE_KINDS:
        raise RulesFileError(f"{RULES_FILE}: rule {rule_id}: kind must be one of {RULE_KINDS}")
    description = entry.get("description")
    if not isinstance(description, str) or not description.strip():
        raise RulesFileError(f"{RULES_FILE}: rule {rule_id}: a description is required")
    flags = 0 if entry.get("case_sensitive", False) else re.IGNORECASE
    patterns = _patterns(entry, "patterns", rule_id, flags)
    signals = _patterns(entry, "signals", rule_id, flags)
    if kind in ("line", "section") and not patterns:
        raise RulesFileError(f"{RULES_FILE}: rule {rule_id}: a {kind} rule needs patterns")
    if kind == "block" and not (patterns or signals):
        raise RulesFileError(f"{RULES_FILE}: rule {rule_id}: a block rule needs patterns/signals")
    return Rule(
        id=rule_id,
        kind=kind,
        description=" ".join(description.split()),
        patterns=patterns,
        signals=signals,
        min_signals=_int(entry, "min_signals", 2, rule_id),
        max_words=_int(entry, "max_words", _DEFAULT_MAX_WORDS[kind], rule_id),
        min_words=_int(entry, "min_words", 0, rule_id),
        min_run=_int(entry, "min_run", 1, rule_id),
        spread=bool(entry.get("spread", False)),
        item_max_words=_int(entry, "item_max_words", 20, rule_id),
        max_items=_int(entry, "max_items", 15, rule_id),
    )


def _patterns(
    entry: dict[str, Any], key: str, rule_id: str, flags: int
) -> tuple[re.Pattern[str], ...]:
    sources = entry.get(key, [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise RulesFileError(f"{RULES_FILE}: rule {rule_id}: {key} must be a list of strings")
    compiled = []
    for source in sources:
        try:
            compiled.append(re.compile(source, flags))
        except re.error as error:
            raise RulesFileError(
                f"{RULES_FILE}: rule {rule_id}: bad regex {source!r} ({error})"
            ) from None
    return tuple(compiled)


def _int(entry: dict[str, Any], key: str, default: int, rule_id: str) -> int:
    value = entry.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RulesFileError(f"{RULES_FILE}: rule {rule_id}: {key} must be a whole number >= 0")
    return value
