"""The run report: what happened to every article of a batch run, and what it cost.

Written atomically, owner-only (0600), at the end of every run, interrupted runs included, to
`DIR/.summarise-report.json` or `--report PATH`. It never goes into the output files, which
stay deterministic. Reasons pass through the API-key redactor. docs/batch.md shows the format.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from summarise_agent.batch.prices import PriceTable
from summarise_agent.extract import ExtractionStats
from summarise_agent.output import render_json, write_output
from summarise_agent.redact import redact

REPORT_FILE_NAME = ".summarise-report.json"
REPORT_VERSION = 1


class Status(StrEnum):
    WRITTEN = "written"  # a new or changed output file
    SKIPPED = "skipped"  # the output was current: no request
    FAILED = "failed"  # after the retries; `reason` says why
    INTERRUPTED = "interrupted"  # in flight when the run was stopped; the next run redoes it
    NOT_STARTED = "not_started"  # the run stopped first; the next run does it
    PENDING = "pending"  # in a provider batch (--provider-batch): a later run collects it


@dataclass
class ArticleEntry:
    input: str  # the key: path relative to the input it was found through
    output: str  # file name in DIR
    status: Status = Status.NOT_STARTED
    reason: str | None = None
    error: str | None = None  # failure category: input, endpoint, answer, config, internal
    cache_hit: bool = False
    dialect: str | None = None  # the structured-output dialect of the answer (model layer)
    chunks: int = 0  # requests the article was split into (1: whole); 0 when not summarised
    model_calls: int = 0
    http_attempts: int = 0
    refused_429: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cost_usd: float | None = None
    duration_seconds: float = 0.0
    provider_batch: str | None = None  # the provider batch that answered it (--provider-batch)
    grounding: dict[str, int] | None = None  # the output's `checks` (written or skipped)
    strict_failed: bool = False  # --strict: the output holds claims that fail it
    warning: str | None = None  # cleaning: the cleaned text is a small share of the page

    def add_stats(self, stats: ExtractionStats, prices: PriceTable, model: str) -> None:
        self.model_calls, self.http_attempts = stats.model_calls, stats.http_attempts
        self.dialect = stats.dialect or None
        self.prompt_tokens, self.cached_tokens = stats.prompt_tokens, stats.cached_tokens
        self.completion_tokens = stats.completion_tokens
        price = prices.price_of(model)
        if price is not None:
            self.cost_usd = price.cost(stats.prompt_tokens, stats.cached_tokens,
                                       stats.completion_tokens)  # fmt: skip

    def add_provider_stats(self, batch: ExtractionStats, online: ExtractionStats,
                           prices: PriceTable, model: str) -> None:  # fmt: skip
        """A provider batch's answer (at the batch rate) plus any online re-asks."""
        self.model_calls = batch.model_calls + online.model_calls
        self.http_attempts = online.http_attempts
        self.prompt_tokens = batch.prompt_tokens + online.prompt_tokens
        self.cached_tokens = batch.cached_tokens + online.cached_tokens
        self.completion_tokens = batch.completion_tokens + online.completion_tokens
        self.cache_hit = False
        price = prices.price_of(model)
        self.cost_usd = None
        if price is not None:
            at_batch_rate = price.at_batch_rate()
            self.cost_usd = at_batch_rate.cost(
                batch.prompt_tokens, batch.cached_tokens, batch.completion_tokens
            ) + price.cost(online.prompt_tokens, online.cached_tokens, online.completion_tokens)

    def fail(self, status: Status, reason: str, error: str) -> None:
        self.status, self.reason, self.error = status, redact(reason), error


@dataclass
class RunReport:
    settings: dict[str, Any]
    entries: list[ArticleEntry] = field(default_factory=list)
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    outcome: str = "running"  # completed | interrupted | aborted
    refusals_429: int = 0
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for entry in self.entries:
            counts[entry.status.value] += 1
        return counts

    def totals(self) -> dict[str, Any]:
        def total(name: str) -> int:
            return sum(int(getattr(entry, name)) for entry in self.entries)

        spent = [entry for entry in self.entries if entry.model_calls]
        priced = all(entry.cost_usd is not None for entry in spent)
        costs = [entry.cost_usd or 0.0 for entry in spent]
        return {
            "articles": len(self.entries), **self.counts(),
            "model_calls": total("model_calls"), "http_attempts": total("http_attempts"),
            "refused_429": self.refusals_429, "prompt_tokens": total("prompt_tokens"),
            "completion_tokens": total("completion_tokens"),
            "cached_tokens": total("cached_tokens"),
            "cost_usd": round(sum(costs), 6) if priced else None,
            "grounding": grounding_totals(self.entries),
            "strict_failed": sum(1 for entry in self.entries if entry.strict_failed),
        }  # fmt: skip

    @property
    def duration(self) -> float:
        return (self.finished_at or time.time()) - self.started_at

    def to_json(self) -> dict[str, Any]:
        def entry_json(entry: ArticleEntry) -> dict[str, Any]:
            data = asdict(entry)
            data["status"] = entry.status.value
            data["duration_seconds"] = round(entry.duration_seconds, 3)
            if entry.cost_usd is not None:
                data["cost_usd"] = round(entry.cost_usd, 6)
            return data

        return {
            "report_version": REPORT_VERSION,
            "outcome": self.outcome,
            "started": _iso(self.started_at),
            "finished": _iso(self.finished_at) if self.finished_at else None,
            "duration_seconds": round(self.duration, 3),
            "settings": self.settings,
            "totals": self.totals(),
            "notes": [redact(note) for note in self.notes],
            "articles": [entry_json(entry) for entry in sorted(self.entries, key=_by_input)],
        }

    def write(self, path: Path) -> None:
        # a link planted at the report's place is replaced, never followed
        write_output(path, render_json(self.to_json()), private=True, follow_symlinks=False)


def grounding_totals(entries: list[ArticleEntry]) -> dict[str, int]:
    """The `checks` of every output summed: quotes by match, actors, dangling ids."""
    totals: dict[str, int] = {}
    for entry in entries:
        for key, value in (entry.grounding or {}).items():
            totals[key] = totals.get(key, 0) + value
    return totals


def _by_input(entry: ArticleEntry) -> str:
    return entry.input


def _iso(moment: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(moment))
