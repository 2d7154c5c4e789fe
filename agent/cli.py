"""The `summarise` command line: a thin layer over agent.pipeline and the subcommand modules.

`summarise FILE ...` is the short form of `summarise run FILE ...`: the group below routes any
first argument that is not a subcommand name to `run`. Heavy modules (openai, trafilatura) are
imported inside the commands, so `summarise --help` stays fast.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from agent.commands import batch as batch_command
from agent.commands import cache as cache_command
from agent.commands import clean as clean_command
from agent.commands import config_show as config_command
from agent.commands import eval as eval_command
from agent.commands import export as export_command
from agent.commands import review as review_command
from agent.commands import run as run_command
from agent.commands import schemas as schemas_command
from agent.commands.help_format import tidy_help
from agent.errors import ExitCode, SummariseError
from agent.redact import redact

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


def main(argv: list[str] | None = None) -> None:
    """Entry point: every expected failure is one line on stderr and a documented exit code."""
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
    print(f"summarise: error: {redact(message)}", file=sys.stderr)
    sys.exit(int(code))
