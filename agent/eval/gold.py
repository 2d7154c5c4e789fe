"""The gold set: every `*.gold.json` under GOLD_DIR, its article, and where its output lies.

`NAME.gold.json` is the gold record of the article `NAME.txt`, `NAME.md` or `NAME.html` beside
it; its schema is the one its `schema.name` says. To keep gold for several schemas beside one
article, name them `NAME.SCHEMA.gold.json` (`talks.positions.gold.json`): when no article is
called `NAME.SCHEMA.*`, the schema suffix is dropped to find it. A gold set that is not usable
(no article, two articles, a gold file that is not a record) is an InputError (exit 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from summarise_agent.batch.naming import output_name
from summarise_agent.cleaning import CleanedDocument, clean_document
from summarise_agent.errors import InputError, UsageError
from summarise_agent.load import read_file_bytes
from summarise_agent.review.files import load_output_json, outputs_in_directory
from summarise_agent.review.records import RecordView, record_from_json

GOLD_SUFFIX = ".gold.json"
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class GoldCase:
    label: str  # the gold file's path under GOLD_DIR without `.gold.json`: names the article
    schema: str
    gold_path: Path
    article_path: Path
    article_key: str  # the article's path under GOLD_DIR, as `batch GOLD_DIR` would key it
    raw: dict[str, Any]  # the gold file as parsed

    @cached_property
    def record(self) -> RecordView:
        return record_from_json(self.raw, self.gold_path)

    def aliases(self) -> dict[str, list[str]]:
        """Gold actors may list other names they go by (`"aliases": [...]`, gold files only)."""
        actors = self.raw["result"].get("actors", [])
        return {
            actor["id"]: [alias for alias in actor.get("aliases", []) if isinstance(alias, str)]
            for actor in actors
            if isinstance(actor, dict) and isinstance(actor.get("id"), str)
            and isinstance(actor.get("aliases"), list)
        }  # fmt: skip

    def output_candidates(self, outputs: Path) -> list[Path]:
        """Where an output for this case may be, in the order they are tried."""
        folder = outputs / Path(self.label).parent
        stem = Path(self.article_key).stem
        names = [f"{Path(self.label).name}.json", f"{stem}.{self.schema}.json", f"{stem}.json"]
        paths = [folder / name for name in dict.fromkeys(names)]
        return [*paths, outputs / output_name(self.article_key)]


def find_gold(gold_dir: Path, schemas: list[str]) -> list[GoldCase]:
    """Every gold case under GOLD_DIR (recursively, hidden files skipped), sorted, filtered to
    `schemas` when given."""
    if not gold_dir.is_dir():
        raise UsageError(f"{gold_dir}: not a directory of gold records")
    gold_paths = [
        path for path in outputs_in_directory(gold_dir) if path.name.endswith(GOLD_SUFFIX)
    ]
    cases = [_case(gold_dir, path) for path in gold_paths]
    if schemas:
        cases = [case for case in cases if case.schema in schemas]
    if not cases:
        wanted = f" for schema {', '.join(schemas)}" if schemas else ""
        raise UsageError(f"{gold_dir}: no gold records (NAME{GOLD_SUFFIX}){wanted}")
    return cases


def _case(gold_dir: Path, gold_path: Path) -> GoldCase:
    raw = load_output_json(gold_path)
    if not isinstance(raw, dict) or not isinstance(raw.get("result"), dict):
        raise InputError(f"{gold_path}: not a summarise record (no `result` object)")
    schema = raw.get("schema", {}).get("name") if isinstance(raw.get("schema"), dict) else None
    if not isinstance(schema, str) or not schema:
        raise InputError(f"{gold_path}: no schema.name: a gold record says which schema it is")
    label = gold_path.relative_to(gold_dir).as_posix()[: -len(GOLD_SUFFIX)]
    article = _article_for(gold_path, label, schema)
    return GoldCase(label, schema, gold_path, article,
                    article.relative_to(gold_dir).as_posix(), raw)  # fmt: skip


def _article_for(gold_path: Path, label: str, schema: str) -> Path:
    stems = [Path(label).name]
    if stems[0].endswith(f".{schema}"):
        stems.append(stems[0][: -len(schema) - 1])
    for stem in stems:
        found = [gold_path.with_name(stem + suffix) for suffix in ARTICLE_SUFFIXES]
        found = [path for path in found if path.is_file()]
        if len(found) > 1:
            names = ", ".join(path.name for path in found)
            raise InputError(f"{gold_path}: more than one article beside it ({names})")
        if found:
            return found[0]
    wanted = " or ".join(f"{stem}.txt/.md/.html" for stem in stems)
    raise InputError(f"{gold_path}: no article {wanted} beside it")


class ArticleTexts:
    """Each article read and cleaned once per eval, whatever number of configurations."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._documents: dict[Path, tuple[bytes, CleanedDocument]] = {}

    def get(self, case: GoldCase) -> tuple[bytes, CleanedDocument]:
        if case.article_path not in self._documents:
            data = read_file_bytes(case.article_path, max_bytes=self.max_bytes)
            document = clean_document(data, case.article_key, max_bytes=self.max_bytes)
            self._documents[case.article_path] = (data, document)
        return self._documents[case.article_path]
