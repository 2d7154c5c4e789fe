"""Keep the API key out of everything the program prints, logs or stores."""

from __future__ import annotations

import logging
import os

_KEY_VARIABLES = ("OPENAI_API_KEY", "SUMMARISE_API_KEY", "AZURE_OPENAI_API_KEY")


def redact(text: str) -> str:
    """`text` with every known secret replaced by `***`."""
    secrets = {os.environ.get(name, "") for name in _KEY_VARIABLES}
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


class RedactingFilter(logging.Filter):
    """Logging filter that redacts secrets from every record, whatever logger emits it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True
