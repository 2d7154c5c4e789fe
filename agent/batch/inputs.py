"""Which articles a batch run covers: files, directories (recursive) and manifests.

Every article gets a key, its path relative to the input it was found through, which names
its output file (naming.py) and its `source.name`:
- a file given directly: its file name;
- a file found in a directory given: its path relative to that directory;
- a manifest entry: the path as the manifest writes it (relative paths are read relative to
  the manifest's directory), or the entry's "id" in a JSONL manifest. A JSONL entry may also
  give "title", "url" and "published", recorded as the output's provenance.
Directories are walked in sorted order; hidden files and directories, and the output directory
itself, are skipped, and so are files that are not regular files (FIFOs, sockets, devices: never
opened, a warning says why). Include/exclude globs are matched against the key and the file name.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from summarise_agent.batch.naming import output_name
from summarise_agent.errors import UsageError
from summarise_agent.load import given_provenance, refuse_url
from summarise_agent.output import kind_of
from summarise_agent.record import Provenance

# Markdown is left out by default: a folder's README.md or CHANGELOG.md is not an article, and
# would be sent to the model and billed. `--include '*.md'` takes Markdown articles.
DEFAULT_INCLUDE = ("*.txt", "*.html", "*.htm")
MAX_MANIFEST_BYTES = 64_000_000  # ~ a million paths; `--manifest /dev/zero` stops here

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchItem:
    path: Path  # where the article is read from
    key: str  # stable relative path (posix): names the output and the article in the report
    given: Provenance = field(default_factory=Provenance)  # title/url/published of a manifest

    @property
    def output_name(self) -> str:
        return output_name(self.key)


@dataclass(frozen=True)
class InputSelection:
    paths: tuple[str, ...]  # files and directories
    manifests: tuple[Path, ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()


def discover(selection: InputSelection, out_dir: Path) -> list[BatchItem]:
    """Every article of the selection, once, in a stable order; UsageError on a bad input."""
    found: list[BatchItem] = []
    for text in selection.paths:
        refuse_url(text)
        path = Path(text)
        if path.is_dir():
            found += _walk(path, selection, out_dir.resolve())
        elif path.is_file():
            found.append(BatchItem(path, path.name))
        else:
            raise UsageError(f"{text}: {_why_unusable(path)}")
    for manifest in selection.manifests:
        found += _read_manifest(manifest)
    return _deduplicated(found)


def _why_unusable(path: Path) -> str:
    """Neither a file nor a directory: missing, a symlink loop, unreadable, or special."""
    try:
        path.stat()
    except FileNotFoundError:
        return "no such file or directory"
    except OSError as error:  # e.g. "Too many levels of symbolic links"
        return f"cannot be read ({error.strerror or error})"
    return "not a regular file or a directory"


def _walk(root: Path, selection: InputSelection, out_dir: Path) -> Iterator[BatchItem]:
    for directory, subdirectories, files in os.walk(root):
        here = Path(directory)
        # skip hidden directories (.git) and the output directory, which may sit inside
        subdirectories[:] = sorted(
            name for name in subdirectories
            if not name.startswith(".") and (here / name).resolve() != out_dir
        )  # fmt: skip
        for name in sorted(files):
            if name.startswith("."):
                continue
            key = (here / name).relative_to(root).as_posix()
            if _selected(key, selection) and _is_regular_or_explained(here / name, key):
                yield BatchItem(here / name, key)


def _is_regular_or_explained(path: Path, key: str) -> bool:
    """A regular file (through symlinks) is taken; a FIFO, socket or device is skipped with a
    warning and never opened (opening a FIFO blocks until someone writes to it). A path that
    cannot be examined is taken: reading it fails with the reason, in the report."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return True
    if stat.S_ISREG(mode):
        return True
    log.warning("skipped %s: a %s, not a regular file (never opened)", key, kind_of(mode))
    return False


def _selected(key: str, selection: InputSelection) -> bool:
    def matches(globs: Iterable[str]) -> bool:
        name = PurePosixPath(key).name
        return any(fnmatchcase(key, glob) or fnmatchcase(name, glob) for glob in globs)

    return matches(selection.include) and not matches(selection.exclude)


def _read_manifest(manifest: Path) -> list[BatchItem]:
    """A JSONL manifest ({"path": ..., "id": optional key}) or a text list, one path a line."""
    try:
        with manifest.open("rb") as handle:  # a FIFO is fine (`--manifest <(find ...)`)
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            raise UsageError(f"--manifest {manifest}: over {MAX_MANIFEST_BYTES:,} bytes: "
                             "not a list of articles (split it)")  # fmt: skip
        lines = raw.decode("utf-8").splitlines()
    except FileNotFoundError:
        raise UsageError(f"--manifest {manifest}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"--manifest {manifest}: is a directory") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--manifest {manifest}: cannot be read ({error})") from None
    entries = [(number, line.strip()) for number, line in enumerate(lines, 1)]
    entries = [(n, line) for n, line in entries if line and not line.startswith("#")]
    is_jsonl = manifest.suffix == ".jsonl" or (entries and entries[0][1].startswith("{"))
    items = []
    for number, line in entries:
        path_text, key, given = (
            _jsonl_entry(manifest, number, line) if is_jsonl else (line, None, Provenance())
        )
        path = Path(path_text).expanduser()
        items.append(BatchItem(manifest.parent / path, key or _manifest_key(path_text), given))
    return items


def _jsonl_entry(manifest: Path, number: int, line: str) -> tuple[str, str | None, Provenance]:
    try:
        entry = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise UsageError(f"--manifest {manifest} line {number}: not a JSON object") from None
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise UsageError(f'--manifest {manifest} line {number}: needs a "path" string')
    key = entry.get("id")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        raise UsageError(f'--manifest {manifest} line {number}: "id" must be a non-empty string')
    return entry["path"], key, _entry_provenance(entry, f"--manifest {manifest} line {number}")


def _entry_provenance(entry: dict[str, object], where: str) -> Provenance:
    fields: dict[str, str | None] = {}
    for name in ("title", "url", "published"):
        value = entry.get(name)
        if value is not None and not isinstance(value, str):
            raise UsageError(f'{where}: "{name}" must be a string')
        fields[name] = value
    return given_provenance(fields["title"], fields["url"], fields["published"], where)


def _manifest_key(path_text: str) -> str:
    return os.path.normpath(path_text).replace(os.sep, "/").lstrip("/")


def _deduplicated(items: list[BatchItem]) -> list[BatchItem]:
    """The same file reached twice is one article; two files with one output name are refused."""
    by_file: dict[Path, BatchItem] = {}
    by_name: dict[str, BatchItem] = {}
    unique = []
    for item in items:
        identity = item.path.resolve()
        if identity in by_file:
            continue
        clash = by_name.get(item.output_name)
        if clash is not None:
            raise UsageError(
                f"{clash.path} and {item.path} would both be written as {item.output_name} "
                f"(same key {item.key!r}): give them through one directory or a manifest with ids"
            )
        by_file[identity] = by_name[item.output_name] = item
        unique.append(item)
    return unique
