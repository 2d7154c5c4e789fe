"""The cleaned text of the article an output was made from (`--source`).

Offsets in an output index the *cleaned* text, so the article goes through the same cleaner
as in `summarise run` (summarise_agent.cleaning.clean_document). `--source` is either the article file
itself or a directory holding articles under the names (relative paths) in `source.name`.
Without `--source`, a v2 record's `source.path` (relative to the directory the run was made
from) is used when that file exists there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from summarise_agent.load import read_file_bytes


@dataclass(frozen=True)
class CleanedSource:
    path: Path
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def clean_article(path: Path) -> CleanedSource:
    """Read and clean one article; unreadable or empty articles are InputErrors (exit 3)."""
    from summarise_agent.cleaning import clean_document

    data = read_file_bytes(path)
    return CleanedSource(path=path, text=clean_document(data, path.name).text)


@dataclass
class SourceLookup:
    """Finds (and cleans once) the article for each output's `source.name`."""

    location: Path | None
    _cache: dict[Path, CleanedSource] = field(default_factory=dict)

    def article_path(self, source_name: str, recorded_path: str | None = None) -> Path | None:
        """Where the article should be: by --source, else the record's own `source.path` when
        that file exists; None when neither says."""
        if self.location is None:
            found = Path(recorded_path) if recorded_path else None
            return found if found is not None and found.is_file() else None
        if self.location.is_dir():
            return self.location / _inside(source_name) if source_name else None
        return self.location

    def cleaned(self, source_name: str, recorded_path: str | None = None) -> CleanedSource | None:
        path = self.article_path(source_name, recorded_path)
        if path is None:
            return None
        if path not in self._cache:
            self._cache[path] = clean_article(path)
        return self._cache[path]


def _inside(source_name: str) -> Path:
    """source.name as a path under the articles directory: a batch run records the article's
    path relative to the directory it was found in (`europe/talks.txt`); a name that would
    leave the directory (absolute, `..`) is reduced to its last part."""
    relative = PurePosixPath(source_name)
    if relative.is_absolute() or ".." in relative.parts:
        return Path(relative.name)
    return Path(*relative.parts)
