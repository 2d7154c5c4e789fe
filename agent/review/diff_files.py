"""Which files to compare: two files, or two directories paired by relative path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from summarise_agent.errors import InputError, UsageError
from summarise_agent.review.diff import Change, diff_records
from summarise_agent.review.files import outputs_in_directory
from summarise_agent.review.matching import DEFAULT_TEXT_THRESHOLD
from summarise_agent.review.records import load_record


@dataclass(frozen=True)
class FileDiff:
    name: str  # the relative path in directory mode, else the new file's path
    old_path: Path | None
    new_path: Path | None
    changes: tuple[Change, ...]

    @property
    def status(self) -> str:
        if self.old_path is None:
            return "added"
        if self.new_path is None:
            return "removed"
        return "changed" if self.changes else "unchanged"


@dataclass(frozen=True)
class DiffReport:
    old: Path
    new: Path
    files: tuple[FileDiff, ...]

    @property
    def changed(self) -> bool:
        return any(file.status != "unchanged" for file in self.files)

    def count(self, status: str) -> int:
        return sum(file.status == status for file in self.files)


def diff_paths(old: Path, new: Path, threshold: float = DEFAULT_TEXT_THRESHOLD) -> DiffReport:
    for path in (old, new):
        if not path.exists():
            raise InputError(f"{path}: no such file or directory")
    if old.is_dir() != new.is_dir():
        raise UsageError(f"compare two files or two directories, not {old} with {new}")
    if not old.is_dir():
        changes = diff_records(load_record(old), load_record(new), threshold)
        return DiffReport(old, new, (FileDiff(str(new), old, new, tuple(changes)),))
    return DiffReport(old, new, tuple(_diff_directories(old, new, threshold)))


def _diff_directories(old: Path, new: Path, threshold: float) -> list[FileDiff]:
    old_files = {path.relative_to(old).as_posix(): path for path in outputs_in_directory(old)}
    new_files = {path.relative_to(new).as_posix(): path for path in outputs_in_directory(new)}
    diffs: list[FileDiff] = []
    for name in sorted({*old_files, *new_files}):
        old_path, new_path = old_files.get(name), new_files.get(name)
        if old_path is None or new_path is None:
            kind = "file_added" if old_path is None else "file_removed"
            diffs.append(FileDiff(name, old_path, new_path, (Change(kind, name),)))
            continue
        changes = diff_records(load_record(old_path), load_record(new_path), threshold)
        diffs.append(FileDiff(name, old_path, new_path, tuple(changes)))
    return diffs
