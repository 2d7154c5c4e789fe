"""`summarise eval GOLD_DIR`: score extractions against gold records (docs/evaluation.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
    TemperatureOption,
    TimeoutOption,
    VerboseOption,
    model_flags,
)
from summarise_agent.errors import ExitCode, SummariseError

if TYPE_CHECKING:
    from summarise_agent.eval.report import ConfigurationResult

FORMATS = ("table", "markdown", "json")


class EvalIncomplete(SummariseError):
    """Some articles had no prediction: they were scored as empty, the report says why."""

    exit_code = ExitCode.BATCH_PARTIAL


def register(app: typer.Typer) -> None:
    app.command("eval")(evaluate)


def evaluate(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            help="Articles (NAME.txt/.md/.html) beside gold records "
            "(NAME.gold.json or NAME.SCHEMA.gold.json).",
            show_default=False,
        ),
    ],
    schema: Annotated[
        list[str] | None,
        typer.Option(
            "--schema",
            "-s",
            help="Score only this schema's gold (repeatable). (default: every schema with gold)",
        ),
    ] = None,
    outputs: Annotated[
        Path | None,
        typer.Option(
            help="Score the outputs in DIR (NAME.json, as batch names them) "
            "instead of running the pipeline."
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="table, markdown or json.")
    ] = "table",
    compare: Annotated[
        list[str] | None,
        typer.Option(
            help="A configuration to compare, NAME:key=value[,key=value...] "
            "(repeatable), e.g. v2:prompt_version=2."
        ),
    ] = None,
    compare_file: Annotated[
        Path | None, typer.Option(help="Configurations to compare, one TOML table each.")
    ] = None,
    min_f1: Annotated[
        float | None,
        typer.Option(
            help="Exit 11 when any overall F1 (actors, positions, actions, any "
            "configuration) is below this floor (0-1)."
        ),
    ] = None,
    replay: Annotated[
        Path | None, typer.Option(help="Answer from responses recorded in DIR.")
    ] = None,
    record: Annotated[
        Path | None, typer.Option(help="Record every endpoint response into DIR.")
    ] = None,
    prices: Annotated[
        Path | None, typer.Option(help="Price table (TOML/JSON) for the cost estimate.")
    ] = None,
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
    verbose: VerboseOption = 0,
) -> None:
    """Score extractions against gold records: precision, recall and F1 of actors, positions
    and actions, stance and status accuracy, grounding, tokens, cost and latency.

    Runs the pipeline on every gold article (an endpoint, --replay DIR or the cache), or
    scores existing outputs (--outputs DIR). --compare runs several configurations side by
    side. Exit codes: 0 ok, 2 usage, 3 gold set unusable, 4 config, 8 some articles had no
    prediction (scored as empty), 11 an overall F1 below --min-f1. See docs/evaluation.md.
    """
    from summarise_agent.logs import configure_logging

    configure_logging(verbose)
    if output_format not in FORMATS:
        raise typer.BadParameter(f"{output_format!r} is not one of {', '.join(FORMATS)}",
                                 param_hint="--format")  # fmt: skip
    if min_f1 is not None and not 0 <= min_f1 <= 1:
        raise typer.BadParameter("must be between 0 and 1", param_hint="--min-f1")
    flags = model_flags(
        schema=None, model=model, base_url=base_url, prompt_version=prompt_version, mode=mode,
        temperature=temperature, timeout=timeout, max_reasks=max_reasks, no_cache=no_cache,
        connect_timeout=connect_timeout, max_output_tokens=max_output_tokens,
    ) | {"prices_file": str(prices) if prices else None}  # fmt: skip
    options = {"schemas": schema or [], "outputs": outputs, "compare": compare or [],
               "compare_file": compare_file, "replay": replay, "record": record}  # fmt: skip
    _evaluate(gold_dir, flags, options, output_format, min_f1)


def _evaluate(gold_dir: Path, flags: dict[str, Any], options: dict[str, Any],
              output_format: str, min_f1: float | None) -> None:  # fmt: skip
    import asyncio

    from summarise_agent.config import resolve_settings
    from summarise_agent.eval.configs import configurations_to_run
    from summarise_agent.eval.execute import EvalInputs, score_configuration
    from summarise_agent.eval.gold import ArticleTexts, find_gold
    from summarise_agent.eval.report import ConfigurationResult, report_json
    from summarise_agent.pipeline import Endpoint

    configurations = configurations_to_run(options["compare"], options["compare_file"],
                                           options["outputs"])  # fmt: skip
    cases = find_gold(gold_dir, options["schemas"])
    settings = resolve_settings(flags)
    inputs = EvalInputs(cases, flags, Endpoint(options["replay"], options["record"]),
                        ArticleTexts(settings.max_input_bytes))  # fmt: skip
    results = [
        ConfigurationResult(configuration, asyncio.run(score_configuration(configuration, inputs)))
        for configuration in configurations
    ]
    schemas = sorted({case.schema for case in cases})
    report = report_json(results, schemas, min_f1)
    _print(results, report, output_format)
    _exit_status(results, report)


def _print(results: list[ConfigurationResult], report: dict[str, Any], output_format: str) -> None:
    import json
    import sys

    from summarise_agent.eval.render import markdown, terminal

    if output_format == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    elif output_format == "markdown":
        sys.stdout.write(markdown(results, report))
    else:
        terminal(results, report)
    sys.stdout.flush()


def _exit_status(results: list[ConfigurationResult], report: dict[str, Any]) -> None:
    from summarise_agent.errors import QualityBelowFloor

    failed = [f"{result.configuration.name}/{article.name}" for result in results
              for article in result.articles if article.error]  # fmt: skip
    if failed:
        raise EvalIncomplete(f"{len(failed)} article(s) had no prediction and were scored as "
                             f"empty: {', '.join(failed[:5])}")  # fmt: skip
    if report["below_min_f1"]:
        raise QualityBelowFloor(f"below --min-f1 {report['min_f1']}: "
                                f"{'; '.join(report['below_min_f1'])}")  # fmt: skip
