"""Logging to stderr, with every record passed through the API-key redactor."""

from __future__ import annotations

import logging

from summarise_agent.redact import RedactingFilter


def configure_logging(verbosity: int) -> None:
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("summarise: %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if verbosity < 3:
        # httpx/openai debug logs carry request headers; keep them out unless asked for with -vvv
        for noisy in ("httpx", "httpx2", "httpcore", "openai"):
            logging.getLogger(noisy).setLevel(max(level, logging.INFO))
