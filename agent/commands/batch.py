"""`summarise batch INPUTS... --out DIR`: many articles, one output file each (docs/batch.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from summarise_agent.commands.options import (
    BaseUrlOption,
    ChunkOverlapOption,
    ChunkTokensOption,
    ConfigOption,
    ConnectTimeoutOption,
    MaxOutputTokensOption,
    MaxReasksOption,
    ModelOption,
    ModeOption,
    NoCacheOption,
    PromptVersionOption,
    SchemaOption,
    StrictFlagCommand,
    StrictOption,
    TemperatureOption,
    TimeoutOption,
    VerboseOption,
    chunk_flags,
    model_flags,
    strict_flag,
)
from summarise_agent.errors import ExitCode, SummariseError

if TYPE_CHECKING:
    from summarise_agent.batch.provider import ProviderOptions
    from summarise_agent.batch.report import RunReport
    from summarise_agent.batch.stopping import StopSignal
    from summarise_agent.config import Settings


class BatchFailed(SummariseError):
    exit_code = ExitCode.BATCH_PARTIAL


def register(app: typer.Typer) -> None:
    app.command("batch", cls=StrictFlagCommand)(batch)


def batch(
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Output directory: one JSON per article.", show_default=False
        ),
    ],
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Article files and directories (searched recursively).",
            show_default=False,
            metavar="INPUTS",
        ),
    ] = None,
    schema: SchemaOption = None,
    manifest: Annotated[
        list[Path] | None,
        typer.Option(
            help='A list of articles: JSONL ({"path": ..., "id": ...}) or one path a line. '
            "Repeatable."
        ),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            help="Glob of files to take from directories (repeatable). "
            "(default: *.txt *.html *.htm; add --include '*.md' for Markdown articles)"
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Glob of files to leave out (repeatable).")
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(help="Articles in flight at once. (default: 8)")
    ] = None,
    rpm: Annotated[
        int | None,
        typer.Option(help="Requests per minute (0: learn from the endpoint). (default: 0)"),
    ] = None,
    tpm: Annotated[
        int | None,
        typer.Option(help="Tokens per minute (0: learn from the endpoint). (default: 0)"),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(help="Write the run report here. (default: DIR/.summarise-report.json)"),
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option(help="Price table (TOML/JSON, $ per million tokens) for the cost estimate."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Redo every article, even those whose output is current."),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option(
            "--wait",
            help="If another run holds DIR, wait for it instead of exiting 9. With "
            "--provider-batch, also wait (polling) until the provider's batches have ended.",
        ),
    ] = False,
    provider_batch: Annotated[
        bool,
        typer.Option(
            "--provider-batch",
            help="Send the articles through the provider's Batch API (half price, answered "
            "within 24 h); a later run collects them (see docs/batch.md).",
        ),
    ] = False,
    poll_interval: Annotated[
        float,
        typer.Option(help="Seconds between polls of provider batches with --wait."),
    ] = 30.0,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No progress bar or log lines; the summary only when something failed.",
        ),
    ] = False,
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
    chunk_tokens: ChunkTokensOption = None,
    chunk_overlap_tokens: ChunkOverlapOption = None,
    strict: StrictOption = None,
    config: ConfigOption = None,
    verbose: VerboseOption = 0,
) -> None:
    """Summarise many articles into DIR, one JSON file each, skipping those already current.

    Concurrent and rate-limited; a lock keeps two runs off one DIR; Ctrl-C or SIGTERM stops
    cleanly and the next run resumes. A run report goes to DIR/.summarise-report.json.
    Exit codes: 0 all done (written or skipped), 8 some articles failed, 7 (--strict) some
    outputs hold unverified claims, 9 DIR is locked by another run, 10 the disk failed (full,
    read-only) or the report cannot be written, 2 usage, 4 config, 130 interrupted. See
    docs/batch.md.
    """
    from summarise_agent.config import resolve_settings
    from summarise_agent.logs import configure_logging

    configure_logging(verbose)
    flags = model_flags(
        schema=schema, model=model, base_url=base_url, prompt_version=prompt_version, mode=mode,
        temperature=temperature, timeout=timeout, max_reasks=max_reasks, no_cache=no_cache,
        connect_timeout=connect_timeout, max_output_tokens=max_output_tokens,
    ) | {"concurrency": concurrency, "rpm": rpm, "tpm": tpm, "strict": strict_flag(strict),
         "prices_file": str(prices) if prices else None}  # fmt: skip
    flags |= chunk_flags(chunk_tokens, chunk_overlap_tokens)
    selection: dict[str, Any] = {
        "paths": tuple(inputs or ()), "manifests": tuple(manifest or ()),
        "include": tuple(include or ()), "exclude": tuple(exclude or ()),
    }  # fmt: skip
    provider = {"provider_batch": provider_batch, "poll_interval": poll_interval}
    _run(resolve_settings(flags, config), selection, out, report, provider,
         force=force, wait=wait, quiet=quiet)  # fmt: skip


def _run(settings: Settings, selection: dict[str, Any], out: Path, report_path: Path | None,
         provider: dict[str, Any], *, force: bool, wait: bool, quiet: bool) -> None:  # fmt: skip
    import asyncio

    from summarise_agent.batch.inputs import DEFAULT_INCLUDE, InputSelection, discover
    from summarise_agent.batch.prices import PriceTable
    from summarise_agent.batch.progress import choose_display
    from summarise_agent.batch.report import REPORT_FILE_NAME
    from summarise_agent.batch.runner import BatchOptions, run_batch
    from summarise_agent.pipeline import Endpoint

    _check_settings(settings, selection, out)
    selection["include"] = selection["include"] or DEFAULT_INCLUDE
    items = discover(InputSelection(**selection), out)
    _make_directory(out)
    prices = PriceTable.load(Path(settings.prices_file) if settings.prices_file else None)
    options = BatchOptions(out, report_path or out / REPORT_FILE_NAME, prices, force, wait,
                           provider=_provider_options(settings, provider, wait, quiet))
    display = choose_display(quiet)
    outcome, stop = asyncio.run(run_batch(items, settings, Endpoint(), options, display))
    _finish(outcome, stop, options.report_path, quiet)


def _provider_options(
    settings: Settings, provider: dict[str, Any], wait: bool, quiet: bool
) -> ProviderOptions | None:
    from summarise_agent.batch.provider import ProviderOptions
    from summarise_agent.errors import UsageError

    if not provider["provider_batch"]:
        return None
    if not settings.cache:
        raise UsageError("--provider-batch needs the answer cache (it keeps the answers "
                         "between the run that collects them and the outputs): drop --no-cache")
    if provider["poll_interval"] <= 0:
        raise UsageError("--poll-interval must be more than 0 seconds")
    return ProviderOptions(wait, provider["poll_interval"], quiet)


def _check_settings(settings: Settings, selection: dict[str, Any], out: Path) -> None:
    from summarise_agent.errors import UsageError

    if not selection["paths"] and not selection["manifests"]:
        raise UsageError("batch: give article files or directories, or --manifest FILE")
    if settings.concurrency < 1:
        raise UsageError(f"concurrency must be at least 1, not {settings.concurrency}")
    if settings.rpm < 0 or settings.tpm < 0:
        raise UsageError("rpm and tpm must be 0 (no limit) or more")
    from summarise_agent.strict import strict_level

    strict_level(settings.strict)  # a bad `strict` setting: exit 4 before any article
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a directory")


def _make_directory(out: Path) -> None:
    from summarise_agent.errors import UsageError

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out {out}: cannot be created ({error.strerror or error})") from None


def _finish(report: RunReport, stop: StopSignal, report_path: Path, quiet: bool) -> None:
    """The human summary, then the exit code: the report already holds the details."""
    from summarise_agent.batch.progress import print_summary, summary_lines
    from summarise_agent.errors import Interrupted

    totals = report.totals()
    if not quiet or totals["failed"] or totals["strict_failed"] or report.outcome != "completed":
        print_summary(summary_lines(report, report_path))
    if stop.fatal is not None:
        raise stop.fatal
    if report.outcome == "interrupted":
        left = totals["interrupted"] + totals["not_started"] + totals["pending"]
        raise Interrupted(f"interrupted: {left} article(s) not done; the next run resumes them")
    if totals["failed"]:
        raise BatchFailed(f"{totals['failed']} of {totals['articles']} articles failed "
                          f"(reasons in {report_path})")  # fmt: skip
    if totals["strict_failed"]:
        from summarise_agent.errors import StrictCheckFailed

        raise StrictCheckFailed(
            f"--strict: {totals['strict_failed']} of {totals['articles']} outputs hold quotes or "
            f"actors the article does not back (listed in {report_path})"
        )
