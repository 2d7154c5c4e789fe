"""Cleaning stage: bytes of an article in, the article's text (and what was cut) out.

PLACEHOLDER interface, being replaced by the full cleaner (issue 3). Offsets of grounded quotes
refer to `CleanedDocument.text`, so cleaning must be deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.errors import EmptyInput, InputTooLarge

DEFAULT_MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class Removal:
    rule: str  # the id of the rule that fired (rules file), or e.g. "html-extraction"
    text: str  # the text removed
    reason: str  # the rule's description, for --show-removed


@dataclass(frozen=True)
class CleanedDocument:
    text: str
    media_type: str = "text/plain"
    encoding: str = "utf-8"
    title: str | None = None
    date: str | None = None
    removed: tuple[Removal, ...] = field(default_factory=tuple)


def clean_document(
    data: bytes, name: str, *, media_type: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> CleanedDocument:
    if len(data) > max_bytes:
        raise InputTooLarge(f"{name}: {len(data)} bytes is over the limit of {max_bytes}")
    text = data.decode("utf-8").replace("\r\n", "\n").strip()
    if not text:
        raise EmptyInput(f"{name}: the file is empty")
    return CleanedDocument(text=text + "\n")
