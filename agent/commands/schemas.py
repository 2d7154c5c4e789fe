"""`summarise schemas list|export`: the built-in schemas and their JSON Schemas, for readers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="List the output schemas or export their JSON Schemas.", no_args_is_help=True
)


@app.command("list")
def list_schemas() -> None:
    """Print each built-in schema: name, version and the hash recorded in outputs."""
    from summarise_agent.schema_registry import load_schema
    from summarise_schemas import BUILTIN_SCHEMAS

    for name in BUILTIN_SCHEMAS:
        spec = load_schema(name)
        typer.echo(f"{spec.name}\tv{spec.version}\t{spec.sha256}")


@app.command("export")
def export_schemas(
    directory: Annotated[
        Path, typer.Argument(help="Directory to write NAME.vN.schema.json into.", metavar="DIR")
    ],
    schema: Annotated[
        list[str] | None,
        typer.Option("--schema", "-s", help="Only these schemas (name or file.py[:Class])."),
    ] = None,
) -> None:
    """Write each schema's strict JSON Schema (exactly what is sent to the model) to DIRECTORY."""
    from summarise_agent.output import write_atomically
    from summarise_agent.schema_registry import load_schema
    from summarise_schemas import BUILTIN_SCHEMAS

    directory.mkdir(parents=True, exist_ok=True)
    for reference in schema or list(BUILTIN_SCHEMAS):
        spec = load_schema(reference)
        target = directory / f"{spec.name}.v{spec.version}.schema.json"
        text = json.dumps(spec.json_schema, indent=2, ensure_ascii=False) + "\n"
        write_atomically(target, text.encode("utf-8"))
        typer.echo(str(target))
