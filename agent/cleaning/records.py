"""The cleaning stage's result types: the cleaned text and a record of what was cut."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Removal:
    rule: str  # the id of the rule that fired (rules.toml), "model", or "html-extraction"
    text: str  # the text removed
    reason: str  # the rule's description or the model's score, for --show-removed


@dataclass(frozen=True)
class CleanedDocument:
    text: str
    media_type: str = "text/plain"
    encoding: str = "utf-8"
    title: str | None = None
    date: str | None = None
    url: str | None = None  # an HTML page's canonical URL, when it declares one
    removed: tuple[Removal, ...] = field(default_factory=tuple)
    repaired_mojibake: bool = False  # ftfy changed the text (mis-decoded characters repaired)
    # One line when the cleaned text is a small share of the input's visible text (a probable
    # truncation); `summarise FILE` prints it on stderr, batch records it in its report.
    warning: str | None = None
