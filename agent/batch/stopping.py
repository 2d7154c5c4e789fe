"""Graceful Ctrl-C / SIGTERM for a batch run.

The first signal stops new work: articles in flight may finish (up to a grace period) and are
written; the run then writes its report and exits 130. A second signal abandons what is still
in flight at once. Either way the next run resumes: finished outputs are current and skipped,
and nothing half-written exists (outputs are written by rename).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from summarise_agent.errors import SummariseError

log = logging.getLogger(__name__)
HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignal:
    def __init__(self) -> None:
        self.requested = asyncio.Event()  # no new articles
        self.forced = asyncio.Event()  # abandon the ones in flight too
        self.signal_name: str | None = None
        self.fatal: SummariseError | None = None  # an error that makes every article fail
        self._previous: dict[int, object] = {}  # handlers to put back when the run ends

    def is_set(self) -> bool:
        return self.requested.is_set()

    def on_signal(self, name: str) -> None:
        if self.requested.is_set():
            log.warning("%s again: abandoning the articles in flight", name)
            self.forced.set()
            return
        self.signal_name = name
        log.warning("%s: starting no new articles; finishing those in flight "
                    "(send it again to abandon them)", name)  # fmt: skip
        self.requested.set()

    def abort(self, error: SummariseError) -> None:
        """Stop the run because of `error` (e.g. a rejected API key): the rest would fail alike."""
        if self.fatal is None:
            self.fatal = error
            self.requested.set()

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        for signum in HANDLED_SIGNALS:
            self._previous[signum] = signal.getsignal(signum)
            # not available off the main thread or on some platforms: then Ctrl-C is abrupt
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.add_signal_handler(signum, self.on_signal, signal.Signals(signum).name)

    def uninstall(self, loop: asyncio.AbstractEventLoop) -> None:
        """Put back the handlers found at install (the CLI's one exit path), not the
        defaults asyncio would restore: a late signal then still ends with one line, not a kill."""
        for signum in HANDLED_SIGNALS:
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.remove_signal_handler(signum)
                previous = self._previous.get(signum)
                if previous is not None:
                    signal.signal(signum, previous)  # type: ignore[arg-type]
