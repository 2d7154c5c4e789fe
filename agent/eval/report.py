"""The eval's results as JSON (for CI), Markdown (for a pull request) and a terminal table.

The JSON's top-level `overall` is the baseline's (the only configuration without --compare);
its shape is an interface: docs/evaluation.md#json.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarise_agent.eval.configs import Configuration
from summarise_agent.eval.match import ACTION_THRESHOLD, TOPIC_THRESHOLD
from summarise_agent.eval.names import ACTOR_MATCH_THRESHOLD
from summarise_agent.eval.scores import PARTS, ArticleScore, macro_f1, overall, totals

ATTRIBUTE = {"positions": "stance_accuracy", "actions": "status_accuracy"}


@dataclass(frozen=True)
class ConfigurationResult:
    configuration: Configuration
    articles: list[ArticleScore]

    def overall(self) -> dict[str, Any]:
        return overall(self.articles)

    def totals(self) -> dict[str, Any]:
        return totals(self.articles)

    def as_json(self) -> dict[str, Any]:
        return {
            **self.configuration.describe(),
            "overall": self.overall(),
            "totals": self.totals(),
            "macro_f1": {
                part: macro_f1(self.articles, part) for part in PARTS if part in self.overall()
            },
            "articles": [article.as_json() for article in self.articles],
        }


def below_floor(results: list[ConfigurationResult], min_f1: float) -> list[str]:
    """Each overall F1 under the floor, as `configuration: part F1 0.71`."""
    return [
        f"{result.configuration.name}: {part} F1 {scores['f1']:.3f}"
        for result in results
        for part, scores in result.overall().items()
        if scores["f1"] < min_f1
    ]


def report_json(results: list[ConfigurationResult], schemas: list[str],
                min_f1: float | None) -> dict[str, Any]:  # fmt: skip
    configurations = [result.as_json() for result in results]
    return {
        "schemas": schemas,
        "overall": configurations[0]["overall"],
        "totals": configurations[0]["totals"],
        "articles": configurations[0]["articles"],
        "configurations": configurations,
        "differences": [difference(results[0], other) for other in results[1:]],
        "matching": {"actor_threshold": ACTOR_MATCH_THRESHOLD,
                     "topic_threshold": TOPIC_THRESHOLD, "action_threshold": ACTION_THRESHOLD},
        "min_f1": min_f1,
        "below_min_f1": below_floor(results, min_f1) if min_f1 is not None else [],
    }  # fmt: skip


def difference(base: ConfigurationResult, other: ConfigurationResult) -> dict[str, Any]:
    """other minus base, for every score both have; `tokens_change` is relative (0.08 = +8 %)."""
    before, after = base.overall(), other.overall()
    before_totals, after_totals = base.totals(), other.totals()
    change: dict[str, Any] = {"configuration": other.configuration.name,
                              "baseline": base.configuration.name}  # fmt: skip
    for part in PARTS:
        if part in before and part in after:
            keys = ["precision", "recall", "f1", *([ATTRIBUTE[part]] if part in ATTRIBUTE else [])]
            change[part] = {key: _minus(after[part][key], before[part][key]) for key in keys}
    found_before = before_totals["grounding"]["found_rate"]
    change["grounding"] = {"found_rate": _minus(after_totals["grounding"]["found_rate"],
                                                found_before)}  # fmt: skip
    run_before, run_after = before_totals["run"], after_totals["run"]
    if run_before and run_after:
        run_keys = ("requests", "tokens", "cost_usd", "latency_seconds")
        change["run"] = {key: _minus(run_after[key], run_before[key]) for key in run_keys}
        tokens = run_before["tokens"]
        change["run"]["tokens_change"] = (run_after["tokens"] - tokens) / tokens if tokens else None
    return change


def _minus(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else after - before


# --- rows shared by the Markdown and terminal renderings ------------------------------------


def metric_rows(result: ConfigurationResult) -> list[tuple[str, float | None, str]]:
    """(label, value, kind) for the compare table; kind picks the format: ratio, count, usd, s."""
    rows: list[tuple[str, float | None, str]] = []
    summary = {**result.overall(), **result.totals()}
    for part in PARTS:
        if part in summary:
            scores = summary[part]
            rows += [(f"{part} {key}", scores[key], "ratio") for key in ("precision", "recall")]
            rows.append((f"{part} F1", scores["f1"], "ratio"))
            if part in ATTRIBUTE:
                rows.append((f"{part} {ATTRIBUTE[part].replace('_', ' ')}",
                             scores[ATTRIBUTE[part]], "ratio"))  # fmt: skip
    grounding = summary["grounding"]
    rows += [("quotes found (exact+fuzzy)", grounding["found_rate"], "ratio"),
             ("quotes not found", grounding["not_found"], "count")]  # fmt: skip
    if summary["run"]:
        run = summary["run"]
        rows += [("requests", run["requests"], "count"), ("tokens", run["tokens"], "count"),
                 ("estimated cost", run["cost_usd"], "usd"),
                 ("latency", run["latency_seconds"], "s"),
                 ("cache hits (no tokens counted)", run["cache_hits"], "count")]  # fmt: skip
    rows.append(("failed articles", summary["failed"], "count"))
    return rows


def fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "n/a"
    return {"ratio": f"{value:.3f}", "count": f"{value:,.0f}", "usd": f"${value:.4f}",
            "s": f"{value:.2f} s"}[kind]  # fmt: skip


def fmt_change(after: float | None, before: float | None, kind: str) -> str:
    if after is None or before is None:
        return "n/a"
    delta = after - before
    if kind == "ratio":
        return f"{delta:+.3f}"
    text = {"count": f"{delta:+,.0f}", "usd": f"{delta:+.4f}", "s": f"{delta:+.2f} s"}[kind]
    return f"{text} ({delta / before:+.0%})" if before else text


def compare_table(results: list[ConfigurationResult]) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one row per score, one column per configuration, then the changes."""
    base = results[0]
    names = [result.configuration.name for result in results]
    header = ["overall (micro)", *names, *(f"{name} - {names[0]}" for name in names[1:])]
    columns = [{label: (value, kind) for label, value, kind in metric_rows(result)}
               for result in results]  # fmt: skip
    rows = []
    for label, value, kind in metric_rows(base):
        values = [column.get(label, (None, kind))[0] for column in columns]
        rows.append([label, *(fmt(v, kind) for v in values),
                     *(fmt_change(v, value, kind) for v in values[1:])])  # fmt: skip
    return header, rows


def article_table(
    result: ConfigurationResult, detailed: bool = True
) -> tuple[list[str], list[list[str]]]:
    """One row per article, then the micro and macro rows; only the columns that apply.
    Not `detailed` (a terminal's width): F1 without precision and recall, no cost column."""
    keys = ("precision", "recall", "f1") if detailed else ("f1",)
    parts = [p for p in PARTS if any(p in article.parts for article in result.articles)]
    schemas = {article.schema for article in result.articles}
    ran = any(article.run is not None for article in result.articles)
    header = ["article", *(["schema"] if len(schemas) > 1 else [])]
    for part in parts:
        label = f"{part} P/R/F1" if detailed else f"{part} F1"
        header += [label, *([ATTRIBUTE[part].split("_")[0]] if part in ATTRIBUTE else [])]
    run_columns = ["requests", "tokens", "cost", "latency"] if detailed else ["tokens", "latency"]
    header += ["quotes e/f/nf", *(run_columns if ran else [])]

    def row(name: str, schema: str, scores: dict[str, Any], totals: dict[str, Any],
            error: str | None = None) -> list[str]:  # fmt: skip
        cells = [name + (f" (no prediction: {error})" if error else "")]
        cells += [schema] if len(schemas) > 1 else []
        for part in parts:
            got = scores.get(part)
            cells.append("/".join(fmt(got[key], "ratio") for key in keys) if got else "")
            if part in ATTRIBUTE:
                cells.append(fmt(got[ATTRIBUTE[part]], "ratio") if got else "")
        grounding, run = totals["grounding"], totals["run"]
        cells.append(f"{grounding['exact']}/{grounding['fuzzy']}/{grounding['not_found']}")
        if ran:
            values = {"requests": fmt(run["requests"], "count"),
                      "tokens": fmt(run["tokens"], "count"), "cost": fmt(run["cost_usd"], "usd"),
                      "latency": fmt(run["latency_seconds"], "s")} if run else {}  # fmt: skip
            cells += [values.get(column, "") for column in run_columns]
        return cells

    rows = []
    for article in result.articles:
        entry = article.as_json()
        rows.append(row(entry["name"], entry["schema"], entry["scores"], entry, entry["error"]))
    rows.append(row("overall (micro)", "", result.overall(), result.totals()))
    macro = {part: macro_f1(result.articles, part) for part in parts}
    macro_row = ["macro F1", *([""] if len(schemas) > 1 else [])]
    for part in parts:
        macro_row += [f"F1 {fmt(macro[part], 'ratio')}", *([""] if part in ATTRIBUTE else [])]
    rows.append(macro_row + [""] * (len(header) - len(macro_row)))
    return header, rows
