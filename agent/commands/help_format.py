"""How `--help` reads: metavars a person understands instead of Python type tags, and
paragraphs that the terminal wraps instead of the source file's line breaks.

Typer shows each option's Python type (`<bool>`, `<list[Path]>`, `<str>`); users read
`PATH` or `N`, and a flag takes no value at all. Docstrings are wrapped at 100 columns in the
source, and Typer keeps those breaks, so at 80 columns sentences break mid-line. Both are fixed
here once for every command, including those added later.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer
import typer.core

# Python type of the value -> what --help shows (anything else: its name in capitals)
_METAVARS = {"str": "TEXT", "int": "N", "float": "NUMBER", "Path": "PATH", "bool": "BOOL"}


def help_metavar(param: Any, ctx: Any) -> str | None:
    """The value placeholder shown in --help: the declared metavar; nothing for a flag, a
    counter (-v) or an argument (its name is shown); else the value's kind in capitals."""
    if isinstance(param, typer.core.TyperArgument):
        return None
    if param.metavar is not None:
        return str(param.metavar)
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    bare = param.bare_type() if hasattr(param, "bare_type") else "value"
    name = bare.removeprefix("list[").removesuffix("]")  # repeatable: the help says so
    return _METAVARS.get(name, name.upper())


def reflow(text: str | None) -> str | None:
    """Each paragraph (separated by a blank line) on one line: the help renderer wraps it."""
    if not text:
        return text
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)


def tidy_help(app: typer.Typer) -> None:
    """Reflow the help of APP, its commands and sub-apps; show metavars, not type tags."""
    typer.core.TyperOption.display_type_rich = help_metavar  # type: ignore[method-assign,assignment]
    typer.core.TyperArgument.display_type_rich = help_metavar  # type: ignore[method-assign,assignment]
    _reflow_app(app)


def _reflow_app(app: typer.Typer) -> None:
    info = app.info
    if isinstance(info.help, str):
        info.help = reflow(info.help)
    for command in app.registered_commands:
        if command.callback is not None:
            command.help = reflow(command.help or inspect.getdoc(command.callback))
    for group in app.registered_groups:
        if group.typer_instance is not None:
            _reflow_app(group.typer_instance)
