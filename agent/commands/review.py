"""`summarise validate|diff|show`: review tooling for committed outputs (issue 5, in progress)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Adds the review commands to the CLI (none yet)."""
