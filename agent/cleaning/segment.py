"""Split normalised text into blocks: blank-line paragraphs, one paragraph per line, or a mix.

Pasted text comes in every shape: a browser copy has one paragraph per line and no blank line;
a hand-written file separates paragraphs with blank lines and may hard-wrap them; a scraped
page often mixes both (an article in blank-line paragraphs followed by an appeal written one
line per paragraph). A blank-line paragraph is kept whole only when its lines read as one
wrapped paragraph; otherwise each of its lines is a block of its own, so a boilerplate line
glued under an article's last paragraph can be judged on its own.
"""

from __future__ import annotations

import re

# A line that ends a sentence, a clause or a heading-like label: where a writer ends a line
# on purpose, not where a hard wrap falls.
_DELIBERATE_END = re.compile(r"[.!?:;\u2026][\"'\u201d\u2019)\]]*$|[,\u2014-]$")
_WRAP_MIN_CHARS = 40


def split_blocks(text: str, *, one_per_line: bool = False) -> list[list[str]]:
    """Blocks of normalised TEXT, each a list of its lines."""
    if one_per_line or "\n\n" not in text:
        return [[line] for line in text.split("\n") if line]
    blocks: list[list[str]] = []
    for paragraph in text.split("\n\n"):
        lines = [line for line in paragraph.split("\n") if line]
        if not lines:
            continue
        if is_wrapped(lines):
            blocks.append(lines)
        else:
            blocks.extend([line] for line in lines)
    return blocks


def is_wrapped(lines: list[str]) -> bool:
    """Whether LINES read as one hard-wrapped paragraph rather than several short ones.

    Every line but the last must be long and most of them must stop mid-sentence (a hard wrap
    falls between words, not after a full stop).
    """
    if len(lines) < 2:
        return True
    inner = lines[:-1]
    if any(len(line) < _WRAP_MIN_CHARS for line in inner):
        return False
    mid_sentence = sum(1 for line in inner if not _DELIBERATE_END.search(line))
    return mid_sentence * 2 >= len(inner)
