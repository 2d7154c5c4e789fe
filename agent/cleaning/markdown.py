"""Markdown input: keep the words, drop the markup the model does not need.

Only unambiguous markup is touched (images, link targets, heading marks, emphasis markers,
HTML comments, code fences); anything else stays as written.
"""

from __future__ import annotations

import re

_REPLACEMENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)\s]*(\s+\"[^\"]*\")?\)"), r"\1"),  # [text](url "title")
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$", re.M), ""),  # [ref]: url
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),  # # Heading #
    (re.compile(r"^\s{0,3}(```|~~~).*$", re.M), ""),  # code fences
    (re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$", re.M), ""),  # horizontal rules
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **bold**
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *italic*
)
_MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd")


def is_markdown(name: str, media_type: str | None) -> bool:
    declared = (media_type or "").split(";")[0].strip().lower()
    return declared in ("text/markdown", "text/x-markdown") or (
        not declared and name.lower().endswith(_MARKDOWN_EXTENSIONS)
    )


def markdown_to_text(text: str) -> str:
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return text
