"""Repair and normalise decoded text: mojibake, Unicode form, line endings, spaces, paragraphs.

The output of `normalise_text` is the canonical form every later step works on: NFC, `\\n`
line endings, no trailing spaces, no runs of spaces, paragraphs separated by one blank line.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that break quote matching and carry no meaning in news text. ZWJ and
# ZWNJ (U+200C/D) are kept: they matter in Persian, Indic scripts and emoji sequences.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\u180e"), None)
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Every Unicode space separator (NBSP, thin space, ideographic space...) and the tab.
_SPACES = re.compile(r"[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{2,}")
# Printable ASCII, tabs and line ends: nothing ftfy would change (tests/cleaning check it).
_NOTHING_TO_FIX = re.compile(r"[\x20-\x7e\t\n]*")


def repair_mojibake(text: str) -> str:
    """Undo mis-decoding ('CafÃ©' -> 'Café') and similar damage, changing nothing else.

    Typographic quotes, full-width characters and HTML entities are left as the author wrote
    them: they are the article's text, and quotes must match it.
    """
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        explain=False,
        normalization="NFC",
    )
    if _NOTHING_TO_FIX.fullmatch(text):
        return text
    # ftfy fixes each line (up to "\n") on its own, and leaves a line of printable ASCII as
    # it is: only the other lines go through it (most lines of most articles are plain ASCII).
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return "".join(line if _NOTHING_TO_FIX.fullmatch(line) else ftfy.fix_text(line, config)
                   for line in lines)  # fmt: skip


def normalise_text(text: str) -> str:
    """NFC, `\\n` line endings, single spaces, trimmed lines, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _LINE_BREAKS.sub("\n", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def join_paragraphs(paragraphs: list[list[str]]) -> str:
    """The canonical text: paragraphs separated by one blank line, ending with one newline."""
    blocks = ["\n".join(lines) for lines in paragraphs if lines]
    return "\n\n".join(blocks) + "\n" if blocks else ""
