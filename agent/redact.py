"""Keep the API key out of everything the program prints, logs or stores, and keep what it
prints to a terminal from being steered by the data it prints (file names, server messages).

A key can show up in other spellings than its own: with the newline a copy-paste left on it,
as Python shows it in a repr (`b'Bearer sk-...\\n'`, escaped), JSON-escaped or URL-encoded.
Every spelling of every key, whole or stripped, is replaced by `***`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import urllib.parse
from functools import lru_cache

_KEY_VARIABLES = ("OPENAI_API_KEY", "SUMMARISE_API_KEY", "AZURE_OPENAI_API_KEY")
_MIN_SECRET_LENGTH = 4
# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
# marks and overrides that can reorder a terminal line
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def redact(text: str) -> str:
    """`text` with every spelling of every known secret replaced by `***`."""
    for spelling in _spellings(tuple(os.environ.get(name, "") for name in _KEY_VARIABLES)):
        text = text.replace(spelling, "***")
    return text


@lru_cache(maxsize=8)
def _spellings(raw_values: tuple[str, ...]) -> tuple[str, ...]:
    found: set[str] = set()
    for raw in raw_values:
        for secret in {raw, raw.strip()}:
            if len(secret.strip()) < _MIN_SECRET_LENGTH:
                continue
            found |= {
                secret,
                repr(secret)[1:-1],  # str repr: \n, \r, \t, \xNN, \uNNNN escaped
                repr(secret.encode("utf-8", "surrogateescape"))[2:-1],  # bytes repr
                json.dumps(secret)[1:-1],
                json.dumps(secret, ensure_ascii=False)[1:-1],
                urllib.parse.quote(secret, safe=""),
                urllib.parse.quote_plus(secret),
            }
    # longest first, so a key with its newline goes before the bare key inside it
    return tuple(sorted(found, key=len, reverse=True))


def printable(text: str) -> str:
    """TEXT safe to print on one terminal line: control characters (newlines, ANSI escapes)
    and bidi overrides are shown escaped, so a file name cannot forge or recolour a line."""
    return _UNSAFE.sub(lambda match: repr(match.group())[1:-1], text)


def safe_line(text: str) -> str:
    """What any line for the user goes through: redacted, then made printable."""
    return printable(redact(text))


class RedactingFilter(logging.Filter):
    """Logging filter that redacts secrets from every record, whatever logger emits it, and
    escapes control characters so a logged name cannot forge a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            # one line, even for an error logged with its traceback (asyncio does this)
            error = record.exc_info[1]
            message = f"{message} ({type(error).__name__}: {error})"
            record.exc_info, record.exc_text = None, None
        record.msg = safe_line(message)
        record.args = None
        return True
