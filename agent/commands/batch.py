"""`summarise batch` (issue 4, in progress)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Adds the `batch` command(s) to the CLI (none yet)."""
