"""A problem `validate` found: one line naming the file, where in it, and what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Location = tuple[str | int, ...]


def format_location(location: Location) -> str:
    """`("result", "positions", 2, "evidence", 0)` -> `result.positions[2].evidence[0]`."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def shorten(text: str, limit: int = 60) -> str:
    """A quote fit for a one-line message: repr'd (so newlines stay visible) and cut."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


@dataclass(frozen=True)
class Problem:
    path: str
    location: str  # empty when the problem concerns the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: {self.location}" if self.location else self.path
        return f"{where}: {' '.join(self.message.split())}"


@dataclass
class ProblemList:
    """Collects the problems of one file."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, location: Location | Sequence[str | int], message: str) -> None:
        self.problems.append(Problem(self.path, format_location(tuple(location)), message))
