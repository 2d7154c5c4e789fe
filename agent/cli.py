"""The `summarise` command line: a thin layer over summarise_agent.pipeline and the subcommand modules.

`summarise FILE ...` is the short form of `summarise run FILE ...`: the group below routes any
first argument that is not a subcommand name to `run`. Heavy modules (openai, trafilatura) are
imported inside the commands, so `summarise --help` stays fast.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperGroup

from summarise_agent.commands import batch as batch_command
from summarise_agent.commands import cache as cache_command
from summarise_agent.commands import clean as clean_command
from summarise_agent.commands import config_show as config_command
from summarise_agent.commands import eval as eval_command
from summarise_agent.commands import export as export_command
from summarise_agent.commands import review as review_command
from summarise_agent.commands import run as run_command
from summarise_agent.commands import schemas as schemas_command
from summarise_agent.commands.help_format import tidy_help
from summarise_agent.errors import ExitCode, SummariseError
from summarise_agent.redact import safe_line

DEFAULT_COMMAND = "run"
GROUP_OPTIONS = ("--help", "-h", "--version")
DISTRIBUTION = "summarise-news"  # the installed distribution's name (pyproject.toml)


class DefaultCommandGroup(TyperGroup):
    """A group whose unknown first word is taken as the FILE of the default command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Only the first word decides: a subcommand name or the group's help stays as it is;
        # anything else (a file, '-', an option of `run`) goes to `run`. A file named like a
        # subcommand is reached as ./clean or with `summarise run clean`.
        if args and args[0] not in self.commands and args[0] not in GROUP_OPTIONS:
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=DefaultCommandGroup,
    name="summarise",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)
run_command.register(app)
clean_command.register(app)
review_command.register(app)
batch_command.register(app)
cache_command.register(app)
config_command.register(app)
export_command.register(app)
eval_command.register(app)
app.add_typer(schemas_command.app, name="schemas")


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version(DISTRIBUTION)
        except PackageNotFoundError:  # run from a source tree that was never installed
            installed = "unknown (not installed)"
        typer.echo(f"summarise {installed}")
        raise typer.Exit()


@app.callback()
def _group(
    show_version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", callback=_print_version,
        is_eager=True,
    ),
) -> None:  # fmt: skip
    """Turn news articles into structured, grounded JSON: actors, positions and proposed
    actions, every claim backed by a verbatim quote checked against the article.

    Short form: summarise FILE --schema positions (same as: summarise run FILE ...)."""


tidy_help(app)


class StopRequested(BaseException):
    """SIGINT or SIGTERM outside a batch's own graceful handling. A BaseException, like
    KeyboardInterrupt, so no `except Exception` on the way up swallows it; not a
    KeyboardInterrupt, which click would turn into a silent exit 130."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every expected failure is one line on stderr and a documented exit code;
    SIGINT and SIGTERM end any command through the same path: one line, exit 130."""
    previous = _install_stop_handlers()
    try:
        _main(argv)
    except StopRequested as stop:
        for signum in STOP_SIGNALS:  # a second signal must not interrupt the last words
            signal.signal(signum, signal.SIG_IGN)
        _fail(f"interrupted by {stop.signal_name}", ExitCode.INTERRUPTED)
    finally:
        if argv is None:
            # The process itself: its outcome is decided and said; what is left is exiting.
            # Ignored, not handled: Python puts back the default action (a kill, 143, with no
            # message) for every signal it handles before the interpreter finally stops.
            for signum in STOP_SIGNALS:
                with contextlib.suppress(ValueError):
                    signal.signal(signum, signal.SIG_IGN)
        else:  # called in process (tests, embedding): give the caller its handlers back
            for number, handler in previous.items():
                signal.signal(number, handler)


def _raise_stop(signum: int, frame: object) -> None:
    raise StopRequested(signal.Signals(signum).name)


def _install_stop_handlers() -> dict[int, Callable[..., Any] | int | None]:
    previous: dict[int, Any] = {}
    for signum in STOP_SIGNALS:
        try:
            previous[signum] = signal.signal(signum, _raise_stop)
        except ValueError:  # not the main thread (an embedding program): leave them be
            break
    return previous


def _main(argv: list[str] | None) -> None:
    try:
        # Without standalone mode, `typer.Exit(code)` comes back as a return value, not raised
        outcome = app(args=argv, standalone_mode=False, prog_name="summarise")
    except SummariseError as error:
        _fail(error.message, error.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _fail("interrupted", ExitCode.INTERRUPTED)
    except typer.TyperException as error:  # click's usage errors
        if type(error).__name__ == "NoArgsIsHelpError":  # bare `summarise`: the help
            show = getattr(error, "show", None)  # click's, not part of TyperException
            if callable(show):
                show()
            sys.exit(ExitCode.USAGE)
        _fail(usage_line(error), getattr(error, "exit_code", ExitCode.USAGE))
    except BrokenPipeError:
        sys.exit(ExitCode.OK)  # `summarise ... | head` closing early is not an error
    except Exception as error:  # a bug: still one line, never a traceback
        _fail(f"internal error ({type(error).__name__}): {error}", ExitCode.INTERNAL)
    if isinstance(outcome, int) and outcome != 0:
        sys.exit(outcome)


def usage_line(error: Exception) -> str:
    """Click's usage error as the one documented line, with a hint on the same line:
    `summarise a.txt b.txt` is pointed at `batch`; everything else at the command's --help."""
    ctx = getattr(error, "ctx", None)
    format_message = getattr(error, "format_message", None)
    message = format_message() if callable(format_message) else str(error)
    command = getattr(ctx, "command_path", None) or "summarise"
    if command.endswith(f" {DEFAULT_COMMAND}") and "unexpected extra argument" in message:
        return (
            f"{message}: summarise reads one article; for several, use "
            "'summarise batch FILES... --out DIR'"
        )
    return f"{message} (try '{command} --help')"


def _fail(message: str, code: int) -> None:
    print(f"summarise: error: {safe_line(message)}", file=sys.stderr)
    sys.exit(int(code))
