"""`summarise cache` (issue 4, in progress)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Adds the `cache` command(s) to the CLI (none yet)."""
