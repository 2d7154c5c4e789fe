"""Predictions for one configuration: the pipeline run on each gold article, or existing outputs.

The pipeline is the one `run` and `batch` use (RunContext and summarise_article): the same
cache, `--replay` recordings and endpoint settings. An article whose prediction cannot be had
(the model's answer unusable, the endpoint down, no output file) is scored as an empty
prediction and reported with its reason; configuration and usage errors stop the eval.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise_agent.batch.prices import PriceTable
from summarise_agent.config import Settings, resolve_settings
from summarise_agent.errors import ConfigError, InputError, SummariseError, UsageError
from summarise_agent.eval.configs import Configuration
from summarise_agent.eval.gold import ArticleTexts, GoldCase
from summarise_agent.eval.match import count_parts
from summarise_agent.eval.scores import PARTS, RESULT_KEYS, ArticleScore, GroundingCounts, RunCounts
from summarise_agent.extract import ExtractionStats
from summarise_agent.grounding_report import ground_result
from summarise_agent.load import ArticleSource
from summarise_agent.pipeline import Endpoint, RunContext, summarise_article
from summarise_agent.review.files import load_output_json
from summarise_agent.review.records import record_from_json

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prediction:
    raw: dict[str, Any] | None  # the predicted record, None when there is none
    run: RunCounts | None = None
    error: str | None = None


@dataclass(frozen=True)
class EvalInputs:
    cases: list[GoldCase]
    flags: dict[str, Any]  # the command line's settings, as resolve_settings flags
    endpoint: Endpoint
    texts: ArticleTexts


async def score_configuration(config: Configuration, inputs: EvalInputs) -> list[ArticleScore]:
    scores = []
    contexts: dict[str, RunContext] = {}  # one per schema: the schema is part of the settings
    try:
        for case in inputs.cases:
            if config.outputs is not None:
                prediction = read_output(case, config.outputs)
            else:
                if case.schema not in contexts:
                    contexts[case.schema] = RunContext(settings_for(config, inputs, case.schema),
                                                       inputs.endpoint)  # fmt: skip
                prediction = await run_pipeline(case, contexts[case.schema], inputs.texts)
            scores.append(score_case(case, prediction, inputs.texts))
    finally:
        for context in contexts.values():
            await context.aclose()
    return scores


def settings_for(config: Configuration, inputs: EvalInputs, schema: str) -> Settings:
    return resolve_settings({**inputs.flags, **config.settings, "schema": schema})


async def run_pipeline(case: GoldCase, run: RunContext, texts: ArticleTexts) -> Prediction:
    data, document = texts.get(case)
    stats = ExtractionStats()
    started = time.monotonic()
    try:
        outcome = await summarise_article(ArticleSource(case.article_key, data), run, stats,
                                          document)  # fmt: skip
    except (ConfigError, UsageError):
        raise  # the same for every article: stop
    except SummariseError as error:
        return Prediction(None, _run_counts(stats, run, started, False), error.message)
    return Prediction(outcome.record, _run_counts(stats, run, started, outcome.cache_hit))


def _run_counts(stats: ExtractionStats, run: RunContext, started: float, hit: bool) -> RunCounts:
    prices = PriceTable.load(Path(run.settings.prices_file) if run.settings.prices_file else None)
    price = prices.price_of(run.settings.model)
    cost = (
        price.cost(stats.prompt_tokens, stats.cached_tokens, stats.completion_tokens)
        if price is not None
        else None
    )
    return RunCounts(
        requests=stats.http_attempts, model_calls=stats.model_calls,
        prompt_tokens=stats.prompt_tokens, completion_tokens=stats.completion_tokens, cost=cost,
        seconds=time.monotonic() - started, cache_hits=1 if hit else 0,
    )  # fmt: skip


def read_output(case: GoldCase, outputs: Path) -> Prediction:
    """The first candidate output file (GoldCase.output_candidates) made with the gold's schema."""
    if not outputs.is_dir():
        raise UsageError(f"--outputs {outputs}: not a directory")
    for path in case.output_candidates(outputs):
        if not path.is_file():
            continue
        try:
            raw = load_output_json(path)
            schema = raw.get("schema") if isinstance(raw, dict) else None
            if isinstance(schema, dict) and schema.get("name") == case.schema:
                record_from_json(raw, path)  # the shape eval reads, or an InputError
                return Prediction(raw)
        except InputError as error:  # a broken output is that article's failure, not the eval's
            return Prediction(None, error=error.message)
    return Prediction(None, error=f"no {case.schema} output for {case.label} in {outputs}")


def score_case(case: GoldCase, prediction: Prediction, texts: ArticleTexts) -> ArticleScore:
    parts = [part for part in PARTS if RESULT_KEYS[part] in case.raw["result"]]
    predicted_raw = prediction.raw or {"result": {}}
    predicted = record_from_json(predicted_raw, case.gold_path)
    counts = count_parts(case.record, predicted, parts, case.aliases())
    # quotes are grounded again here, against the article in GOLD_DIR: an output's own `match`
    # fields may be stale or hand-edited
    _, document = texts.get(case)
    report = ground_result(predicted_raw["result"], document.text)
    gold_missing = len(ground_result(case.raw["result"], document.text).not_found)
    if gold_missing:
        log.warning("%s: %d gold quote(s) not found in the article: check the gold record",
                    case.gold_path, gold_missing)  # fmt: skip
    grounding = GroundingCounts(report.exact, report.fuzzy, len(report.not_found))
    return ArticleScore(case.label, case.schema, counts, grounding, prediction.run,
                        prediction.error)  # fmt: skip
