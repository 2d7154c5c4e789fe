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
from agent.commands import eval as eval_command
from agent.commands import review as review_command
from agent.commands import run as run_command
from agent.commands import schemas as schemas_command
from agent.errors import ExitCode, SummariseError
from agent.redact import redact

DEFAULT_COMMAND = "run"


class DefaultCommandGroup(TyperGroup):
    """A group whose unknown first word is taken as the FILE of the default command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Only the first word decides: a subcommand name or the group's help stays as it is;
        # anything else (a file, '-', an option of `run`) goes to `run`. A file named like a
        # subcommand is reached as ./clean or with `summarise run clean`.
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=DefaultCommandGroup,
    name="summarise",
    help=(
        "Turn news articles into structured, grounded JSON: actors, positions and proposed "
        "actions, every claim backed by a verbatim quote checked against the article.\n\n"
        "Short form: summarise FILE --schema positions (same as: summarise run FILE ...)."
    ),
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
eval_command.register(app)
app.add_typer(schemas_command.app, name="schemas")


def main(argv: list[str] | None = None) -> None:
    """Entry point: every expected failure is one line on stderr and a documented exit code."""
    try:
        # Without standalone mode, `typer.Exit(code)` comes back as a return value, not raised
        outcome = app(args=argv, standalone_mode=False)
    except SummariseError as error:
        _fail(error.message, error.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _fail("interrupted", ExitCode.INTERRUPTED)
    except typer.TyperException as error:  # click's usage errors: usage line and message
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            print(f"summarise: error: {redact(str(error))}", file=sys.stderr)
        sys.exit(error.exit_code)
    except BrokenPipeError:
        sys.exit(ExitCode.OK)  # `summarise ... | head` closing early is not an error
    except Exception as error:  # a bug: still one line, never a traceback
        _fail(f"internal error ({type(error).__name__}): {error}", ExitCode.INTERNAL)
    if isinstance(outcome, int) and outcome != 0:
        sys.exit(outcome)


def _fail(message: str, code: int) -> None:
    print(f"summarise: error: {redact(message)}", file=sys.stderr)
    sys.exit(int(code))
