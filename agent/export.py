"""`summarise export DIR`: every record in a folder as one table, one row per claim and quote.

A claim is a position or a proposed action; a claim backed by two quotes is two rows with the
same `claim` number (the number `show` gives it). A record with neither (the `actors` schema)
gives one row per actor. CSV, JSONL and SQLite use the standard library; Parquet needs the
optional `pyarrow` (`pip install 'summarise-news[parquet]'`). docs/export.md has an example.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from summarise_agent.errors import UsageError
from summarise_agent.review.claims import layout
from summarise_agent.review.records import ActorView, EvidenceView, RecordView

FORMATS = ("csv", "jsonl", "sqlite", "parquet")
SUFFIX_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
                  ".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite"}  # fmt: skip
# column -> SQLite type; the order is every format's column order
COLUMNS = {
    "file": "TEXT", "article": "TEXT", "path": "TEXT", "title": "TEXT", "url": "TEXT",
    "published": "TEXT", "schema": "TEXT", "model": "TEXT", "claim": "INTEGER",
    "kind": "TEXT", "actor_id": "TEXT", "actor": "TEXT", "actor_kind": "TEXT",
    "actor_role": "TEXT", "actor_affiliation": "TEXT", "topic": "TEXT", "stance": "TEXT",
    "action": "TEXT", "status": "TEXT", "participants": "TEXT", "summary": "TEXT",
    "quote": "TEXT", "match": "TEXT", "start": "INTEGER", "end": "INTEGER",
}  # fmt: skip
Row = dict[str, Any]


def export_rows(records: list[tuple[str, RecordView]]) -> list[Row]:
    """The rows of every (file name relative to DIR, record), records in file order."""
    return [row for file, record in records for row in _record_rows(file, record)]


def _record_rows(file: str, record: RecordView) -> Iterator[Row]:
    source = record.source
    article = {"file": file, "article": source.name, "path": source.path, "title": source.title,
               "url": source.url, "published": source.published,
               "schema": record.schema.name, "model": record.model}  # fmt: skip
    actors = {actor.id: actor for actor in record.actors}
    shown = layout(record)
    for group in shown.topics:
        for number, position in group.positions:
            claim = {"claim": number, "kind": "position", **_actor(actors, position.actor),
                     "topic": position.topic, "stance": position.stance,
                     "summary": position.summary}  # fmt: skip
            yield from _with_quotes(article | claim, position.evidence)
    for number, action in shown.actions:
        participants = "; ".join(_name(actors, actor_id) for actor_id in action.participants)
        claim = {"claim": number, "kind": "action", **_actor(actors, action.proposer),
                 "action": action.action, "status": action.status,
                 "participants": participants}  # fmt: skip
        yield from _with_quotes(article | claim, action.evidence)
    if not shown.topics and not shown.actions:
        for actor in record.actors:
            yield _complete(article | {"kind": "actor", **_actor(actors, actor.id)})


def _with_quotes(base: Row, evidence: tuple[EvidenceView, ...]) -> Iterator[Row]:
    if not evidence:
        yield _complete(base)
    for item in evidence:
        yield _complete(base | {"quote": item.quote, "match": item.match,
                                "start": item.start, "end": item.end})  # fmt: skip


def _actor(actors: dict[str, ActorView], actor_id: str) -> Row:
    actor = actors.get(actor_id)
    if actor is None:  # a dangling id: kept, so the row still says who the model meant
        return {"actor_id": actor_id}
    return {"actor_id": actor.id, "actor": actor.name, "actor_kind": actor.kind,
            "actor_role": actor.role, "actor_affiliation": actor.affiliation}  # fmt: skip


def _name(actors: dict[str, ActorView], actor_id: str) -> str:
    actor = actors.get(actor_id)
    return actor.name if actor is not None and actor.name else actor_id


def _complete(row: Row) -> Row:
    return {column: row.get(column) for column in COLUMNS}


def choose_format(given: str | None, output: Path | None) -> str:
    """--format, else the output file's suffix, else CSV."""
    if given is not None:
        if given not in FORMATS:
            raise UsageError(f"--format: {given!r} is not one of {', '.join(FORMATS)}")
        return given
    if output is not None and output.suffix.lower() in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[output.suffix.lower()]
    if output is not None:
        raise UsageError(
            f"-o {output}: say which format with --format ({', '.join(FORMATS)}), or end the "
            f"name in {', '.join(SUFFIX_FORMATS)}"
        )
    return "csv"


def render(rows: list[Row], format_name: str) -> bytes:
    """The whole table in FORMAT_NAME, as the bytes of one file."""
    return {"csv": _csv, "jsonl": _jsonl, "sqlite": _sqlite, "parquet": _parquet}[format_name](rows)


def _csv(rows: list[Row]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def _jsonl(rows: list[Row]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def _sqlite(rows: list[Row]) -> bytes:
    """A database with one `claims` table (Datasette opens it as it is), built in memory and
    written as one file, so a half-built database is never left behind."""
    with sqlite3.connect(":memory:") as db:
        columns = ", ".join(f'"{name}" {kind}' for name, kind in COLUMNS.items())
        db.execute(f"CREATE TABLE claims ({columns})")
        marks = ", ".join("?" for _ in COLUMNS)
        db.executemany(f"INSERT INTO claims VALUES ({marks})",
                       [tuple(row[name] for name in COLUMNS) for row in rows])  # fmt: skip
        for indexed in ("article", "actor", "topic"):
            db.execute(f'CREATE INDEX claims_{indexed} ON claims ("{indexed}")')
        db.commit()
        return db.serialize()


def _parquet(rows: list[Row]) -> bytes:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(
            "--format parquet needs pyarrow, an optional extra: pip install "
            "'summarise-news[parquet]' (or use csv, jsonl or sqlite)"
        ) from None
    types = {"TEXT": pa.string(), "INTEGER": pa.int64()}
    schema = pa.schema([(name, types[kind]) for name, kind in COLUMNS.items()])
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), sink)
    return sink.getvalue()


def read_records(directory: Path) -> list[tuple[str, RecordView]]:
    """Every output file under DIR (recursively, hidden ones skipped), sorted by path."""
    from summarise_agent.review.files import collect_output_paths
    from summarise_agent.review.records import load_record

    paths = collect_output_paths([directory])
    base = directory if directory.is_dir() else directory.parent
    return [(path.relative_to(base).as_posix(), load_record(path)) for path in paths]
