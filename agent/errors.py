"""Every failure the user can cause or meet, each with its documented exit code.

The CLI prints `summarise: error: <message>` (one line, API key redacted) and exits with
`exit_code`. Anything that is not a `SummariseError` is a bug: it gets exit code 1.
The table is documented in docs/exit-codes.md; keep the two in step.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1  # a bug: please report it
    USAGE = 2  # bad flags, unknown schema or prompt version (click uses 2 as well)
    INPUT = 3  # the article cannot be read: missing, empty, binary, undecodable, too large
    CONFIG = 4  # configuration: missing API key, unreadable config file
    ENDPOINT = (
        5  # the endpoint failed: unreachable, HTTP errors after retries, not Chat Completions
    )
    ANSWER = 6  # the model's answer is unusable: invalid after re-asks, truncated, refused
    STRICT = 7  # --strict: output written, but quotes not found or actor ids dangling
    BATCH_PARTIAL = 8  # batch: some articles failed, the others were written
    LOCKED = 9  # batch: another run holds the output directory
    OUTPUT = 10  # the output cannot be written; an answer already paid for is kept (see message)
    QUALITY = 11  # eval --min-f1: an overall F1 is below the floor (the report is printed)
    INTERRUPTED = 130  # Ctrl-C / SIGTERM, to any command (agent/cli.py: one exit path)


class SummariseError(Exception):
    """Base of every expected failure. The message is one line meant for the user."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever the input held

    @property
    def message(self) -> str:
        return str(self.args[0])


class UsageError(SummariseError):
    exit_code = ExitCode.USAGE


class InputError(SummariseError):
    exit_code = ExitCode.INPUT


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class UndecodableInput(InputError):
    pass


class InputTooLarge(InputError):
    pass


class NoArticleFound(InputError):
    pass


class ConfigError(SummariseError):
    exit_code = ExitCode.CONFIG


class EndpointError(SummariseError):
    exit_code = ExitCode.ENDPOINT


class ReplayMiss(EndpointError):
    """--replay found no recording for a request."""


class AnswerError(SummariseError):
    exit_code = ExitCode.ANSWER


class TruncatedAnswer(AnswerError):
    pass


class ModelRefused(AnswerError):
    pass


class InvalidAnswer(AnswerError):
    pass


class StrictCheckFailed(SummariseError):
    exit_code = ExitCode.STRICT


class OutputError(SummariseError):
    """The output (or a report) cannot be written. `disk_level`: the file system itself fails
    (full, read-only, I/O error), so every later write would fail the same way."""

    exit_code = ExitCode.OUTPUT

    def __init__(self, message: str, *, disk_level: bool = False) -> None:
        super().__init__(message)
        self.disk_level = disk_level


class QualityBelowFloor(SummariseError):
    exit_code = ExitCode.QUALITY


class Interrupted(SummariseError):
    exit_code = ExitCode.INTERRUPTED
