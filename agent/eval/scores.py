"""Counts and the scores made from them.

Every score is a ratio of counts, and overall scores are micro-averages: the counts of all
articles are summed first, then divided (docs/evaluation.md#scores). A ratio with nothing to
count is defined once, here: precision and recall are 1.0 when gold and prediction are both
empty (nothing to find, nothing wrongly found) and 0.0 when only their denominator is empty;
accuracies over no matched items are None (null in JSON, "n/a" in tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Self

PARTS = ("actors", "positions", "actions")  # in report order; the result key of actions differs
RESULT_KEYS = {"actors": "actors", "positions": "positions", "actions": "proposed_actions"}


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass
class PartCounts:
    """One part (actors, positions or actions) of one article or of a whole run."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    # positions: stance; actions: status (each on matched items only)
    attribute_correct: int = 0
    # actions only: participants of matched actions, compared through the actor pairing
    participants_gold: int = 0
    participants_predicted: int = 0
    participants_matched: int = 0

    def __add__(self, other: PartCounts) -> PartCounts:
        return PartCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @classmethod
    def total(cls, parts: list[PartCounts]) -> Self:
        summed = cls()
        for part in parts:
            summed = summed + part  # type: ignore[assignment]
        return summed


def precision_recall_f1(matched: int, predicted: int, gold: int) -> dict[str, float]:
    if gold == 0 and predicted == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    return {
        "precision": matched / predicted if predicted else 0.0,
        "recall": matched / gold if gold else 0.0,
        # 2PR / (P + R) with P = m/p and R = m/g is 2m / (p + g): one division, so a F1 that is
        # exactly the floor of --min-f1 is not a rounding error below it
        "f1": 2 * matched / (predicted + gold),
    }


def part_scores(part: str, counts: PartCounts) -> dict[str, Any]:
    """The JSON block of one part: P/R/F1 first (the interface scripts rely on), then counts."""
    scores: dict[str, Any] = precision_recall_f1(counts.matched, counts.predicted, counts.gold)
    if part == "positions":
        scores["stance_accuracy"] = ratio(counts.attribute_correct, counts.matched)
    if part == "actions":
        scores["status_accuracy"] = ratio(counts.attribute_correct, counts.matched)
        participants = precision_recall_f1(
            counts.participants_matched, counts.participants_predicted, counts.participants_gold
        )
        scores["participants"] = participants if counts.matched else None
    scores.update(gold=counts.gold, predicted=counts.predicted, matched=counts.matched)
    if part != "actors":
        scores["attribute_correct"] = counts.attribute_correct
    return scores


@dataclass
class GroundingCounts:
    """The predicted quotes, grounded against the article: exact, fuzzy or not found."""

    exact: int = 0
    fuzzy: int = 0
    not_found: int = 0

    def __add__(self, other: GroundingCounts) -> GroundingCounts:
        return GroundingCounts(
            self.exact + other.exact, self.fuzzy + other.fuzzy, self.not_found + other.not_found
        )

    def as_json(self) -> dict[str, Any]:
        quotes = self.exact + self.fuzzy + self.not_found
        return {
            "quotes": quotes, "exact": self.exact, "fuzzy": self.fuzzy,
            "not_found": self.not_found, "found_rate": ratio(self.exact + self.fuzzy, quotes),
        }  # fmt: skip


@dataclass
class RunCounts:
    """What running the pipeline on one article (or all) took; empty when outputs were scored."""

    requests: int = 0  # HTTP requests, retries included
    model_calls: int = 0  # answers received: 1 + re-asks
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None  # estimated US dollars; None when the model has no price
    seconds: float = 0.0  # wall time of the article through the pipeline
    cache_hits: int = 0

    def __add__(self, other: RunCounts) -> RunCounts:
        cost = None if self.cost is None or other.cost is None else self.cost + other.cost
        return RunCounts(
            self.requests + other.requests, self.model_calls + other.model_calls,
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens, cost,
            self.seconds + other.seconds, self.cache_hits + other.cache_hits,
        )  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests, "model_calls": self.model_calls,
            "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
            "tokens": self.prompt_tokens + self.completion_tokens,
            "cost_usd": None if self.cost is None else round(self.cost, 6),
            "latency_seconds": round(self.seconds, 3), "cache_hits": self.cache_hits,
        }  # fmt: skip


@dataclass
class ArticleScore:
    """One gold record against its prediction."""

    name: str  # the gold file's name without `.gold.json`
    schema: str
    parts: dict[str, PartCounts]  # only the parts the gold record has
    grounding: GroundingCounts = field(default_factory=GroundingCounts)
    run: RunCounts | None = None  # None: an existing output was scored
    error: str | None = None  # why there is no prediction (scored as an empty one)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "schema": self.schema,
            "scores": {part: part_scores(part, counts) for part, counts in self.parts.items()},
            "grounding": self.grounding.as_json(),
            "run": self.run.as_json() if self.run else None,
            "error": self.error,
        }


def overall(articles: list[ArticleScore]) -> dict[str, Any]:
    """Micro-averaged scores of each part present, over every article (all schemas pooled).
    Only the parts: scripts iterate over this object (docs/evaluation.md#json)."""
    result: dict[str, Any] = {}
    for part in PARTS:
        counts = [article.parts[part] for article in articles if part in article.parts]
        if counts:
            result[part] = part_scores(part, PartCounts.total(counts))
    return result


def totals(articles: list[ArticleScore]) -> dict[str, Any]:
    """Grounding and run totals over every article, and how many had no prediction."""
    grounding = GroundingCounts()
    for article in articles:
        grounding = grounding + article.grounding
    runs = [article.run for article in articles if article.run is not None]
    run_total = RunCounts(cost=0.0)
    for run in runs:
        run_total = run_total + run
    return {
        "articles": len(articles),
        "failed": sum(1 for article in articles if article.error),
        "grounding": grounding.as_json(),
        "run": run_total.as_json() if runs else None,
    }


def macro_f1(articles: list[ArticleScore], part: str) -> float | None:
    """The mean of per-article F1 (each article weighs the same), for the reports' macro row."""
    values = [
        precision_recall_f1(c.matched, c.predicted, c.gold)["f1"]
        for article in articles
        if (c := article.parts.get(part)) is not None
    ]
    return sum(values) / len(values) if values else None
