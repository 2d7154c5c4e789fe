"""The reliability matrices as data: the tests run every row, and docs/reliability.md must
list exactly these rows with these outcomes (tests/reliability/test_reliability_docs.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from summarise_agent.errors import ExitCode
from summarise_agent.localserver import Reply, error_reply
from conftest import recorded

RETRY_ATTEMPTS = 3  # SUMMARISE_RETRY_ATTEMPTS for the fault rows: a small, exact bound
CLIENT_TIMEOUT = 0.5  # --timeout for the hung-request rows; the server waits longer

HUNG = Reply(delay=2.5, body=b"{}")


@dataclass(frozen=True)
class Fault:
    id: str
    what: str
    replies: tuple[Reply, ...]
    exit_code: ExitCode
    requests: int
    outcome: str  # as the docs table says it

    @property
    def writes_output(self) -> bool:
        return self.exit_code in (ExitCode.OK, ExitCode.STRICT)

    @property
    def batch_exit_code(self) -> ExitCode:
        """A batch run records a failed article and goes on (8); a rejected key stops it (4)."""
        if self.writes_output:
            return ExitCode.OK
        return ExitCode.CONFIG if self.exit_code is ExitCode.CONFIG else ExitCode.BATCH_PARTIAL


def _times(reply: Reply, count: int = RETRY_ATTEMPTS) -> tuple[Reply, ...]:
    return (reply,) * count


OK = recorded("positions_ok")
FAULTS: tuple[Fault, ...] = (
    Fault("429", "429, no Retry-After", (error_reply(429, "Rate limit reached", "rate_limit_exceeded"), OK), ExitCode.OK, 2, "recovered: backoff, one retry"),
    Fault("429-retry-after", "429 with Retry-After: 0", (error_reply(429, "slow down", None, **{"Retry-After": "0"}), OK), ExitCode.OK, 2, "recovered: waits what the server asks, one retry"),
    Fault("500", "500", (error_reply(500, "server error"), OK), ExitCode.OK, 2, "recovered: one retry"),
    Fault("502-503", "502, then 503", (error_reply(502, "bad gateway"), error_reply(503, "overloaded"), OK), ExitCode.OK, 3, "recovered: two retries"),
    Fault("reset", "connection reset", (Reply(drop=True), OK), ExitCode.OK, 2, "recovered: one retry"),
    Fault("hung", "hung request (client timeout)", (HUNG, OK), ExitCode.OK, 2, "recovered: timeout, one retry"),
    Fault("invalid-once", "schema-invalid JSON, once", (recorded("positions_invalid"), OK), ExitCode.OK, 2, "recovered: one re-ask naming the errors"),
    Fault("not-json-once", "non-JSON content, once", (recorded("positions_not_json"), OK), ExitCode.OK, 2, "recovered: one re-ask"),
    Fault("quote-once", "a quote not in the article, once", (recorded("positions_bad_quote"), OK), ExitCode.OK, 2, "recovered: one re-ask naming the quote"),
    Fault("dangling-once", "an actor id that resolves to nothing, once", (recorded("positions_dangling"), OK), ExitCode.OK, 2, "recovered: one re-ask naming the id"),
    Fault("500-always", "500 on every attempt", _times(error_reply(500, "server error")), ExitCode.ENDPOINT, RETRY_ATTEMPTS, "failed: HTTP 500 after the retries"),
    Fault("429-always", "429 on every attempt", _times(error_reply(429, "quota")), ExitCode.ENDPOINT, RETRY_ATTEMPTS, "failed: HTTP 429 after the retries"),
    Fault("reset-always", "connection reset on every attempt", _times(Reply(drop=True)), ExitCode.ENDPOINT, RETRY_ATTEMPTS, "failed: cannot reach the endpoint"),
    Fault("hung-always", "hung on every attempt", _times(HUNG), ExitCode.ENDPOINT, 2, "failed: timed out twice (a timed-out request is retried once)"),
    Fault("400", "400 bad request", (error_reply(400, "bad request"),), ExitCode.ENDPOINT, 1, "failed at once: not retried"),
    Fault("401", "401 wrong API key", (error_reply(401, "Incorrect API key provided"),), ExitCode.CONFIG, 1, "failed at once: check OPENAI_API_KEY"),
    Fault("context", "400 context_length_exceeded", (error_reply(400, "maximum context length is 8192 tokens", "context_length_exceeded"),), ExitCode.INPUT, 1, "failed at once: article too long for the model"),
    Fault("html-body", "a non-JSON body (an HTML page)", (Reply(body=b"<html>Welcome to nginx</html>"),), ExitCode.ENDPOINT, 1, "failed: not JSON, check --base-url"),
    Fault("not-chat", "JSON that is not Chat Completions", (Reply(body=b'{"data": []}'),), ExitCode.ENDPOINT, 1, "failed: not a Chat Completions response"),
    Fault("empty-choices", "empty choices", (recorded("empty_choices"),), ExitCode.ENDPOINT, 1, "failed: no choices"),
    Fault("truncated", "truncated answer (finish_reason=length)", (recorded("positions_truncated"),), ExitCode.ANSWER, 1, "failed: cut off, not re-asked"),
    Fault("refusal", "refusal", (recorded("refusal"),), ExitCode.ANSWER, 1, "failed: refused, not re-asked"),
    Fault("not-json-always", "non-JSON content every time", _times(recorded("positions_not_json")), ExitCode.ANSWER, 3, "failed: invalid after 2 re-asks"),
    Fault("invalid-always", "schema-invalid JSON every time", _times(recorded("positions_invalid")), ExitCode.ANSWER, 3, "failed: invalid after 2 re-asks"),
    Fault("quote-always", "a quote not in the article every time", _times(recorded("positions_bad_quote"), 2), ExitCode.STRICT, 2, "written, quote marked not_found; exit 7 with --strict"),
    Fault("dangling-always", "a dangling actor id every time", _times(recorded("positions_dangling")), ExitCode.STRICT, 3, "written, counted in dangling_actor_ids; exit 7 with --strict"),
)  # fmt: skip


@dataclass(frozen=True)
class BadInput:
    id: str
    what: str
    make: Callable[[Path], Path]  # creates the input under a temporary directory
    exit_code: ExitCode
    message: str  # a fragment of the one-line error
    batch_exit_code: ExitCode | None  # given to `batch` as an input; None: not an error there


def _file(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name

    return make


def _huge(tmp: Path) -> Path:
    path = tmp / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(100_000_000)  # sparse: 100 MB without writing them
    return path


def _directory(tmp: Path) -> Path:
    (tmp / "folder.txt").mkdir()
    return tmp / "folder.txt"


def _symlink_loop(tmp: Path) -> Path:
    (tmp / "loop.txt").symlink_to(tmp / "loop.txt")
    return tmp / "loop.txt"


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
NAV_ONLY = b"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><form>Log in</form></body></html>"

BAD_INPUTS: tuple[BadInput, ...] = (
    BadInput("empty", "empty file", _file("empty.txt", b""), ExitCode.INPUT, "empty", ExitCode.BATCH_PARTIAL),
    BadInput("whitespace", "whitespace only", _file("blank.txt", b" \n\t\r\n  "), ExitCode.INPUT, "empty", ExitCode.BATCH_PARTIAL),
    BadInput("pdf", "binary: a PDF", _file("report.pdf", PDF), ExitCode.INPUT, "PDF", ExitCode.BATCH_PARTIAL),
    BadInput("png", "binary: a PNG", _file("photo.txt", PNG), ExitCode.INPUT, "PNG", ExitCode.BATCH_PARTIAL),
    BadInput("nul-bytes", "binary: NUL bytes", _file("data.txt", b"abc\x00\x00\x00def" * 50), ExitCode.INPUT, "binary", ExitCode.BATCH_PARTIAL),
    BadInput("huge", "a 100 MB file", _huge, ExitCode.INPUT, "over the 5,000,000-byte limit", ExitCode.BATCH_PARTIAL),
    BadInput("directory", "a directory", _directory, ExitCode.INPUT, "is a directory", None),
    BadInput("missing", "a path that does not exist", lambda tmp: tmp / "missing.txt", ExitCode.INPUT, "no such file", ExitCode.USAGE),
    BadInput("symlink-loop", "a symlink loop", _symlink_loop, ExitCode.INPUT, "Too many levels of symbolic links", ExitCode.USAGE),
    BadInput("html-no-article", "HTML with no article", _file("nav.html", NAV_ONLY), ExitCode.INPUT, "no article", ExitCode.BATCH_PARTIAL),
)  # fmt: skip
