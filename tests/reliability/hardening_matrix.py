"""The hardening matrix as data: hazards the program meets on the machine it runs on (special
files, a damaged cache, a full disk, signals, odd keys and settings, hostile names and text).
tests/reliability/test_reliability_hardening*.py run every row through the CLI (one test per
row id, each over several variations of its hazard); docs/reliability.md lists exactly these
rows (tests/reliability/test_reliability_docs.py)."""

from __future__ import annotations

from dataclasses import dataclass

from summarise_agent.errors import ExitCode


@dataclass(frozen=True)
class Hazard:
    id: str
    kind: str  # the class of fault it belongs to, as the docs group them
    what: str
    exit_code: ExitCode | None  # `summarise FILE` (or the command `what` names); None: n/a
    batch_exit_code: ExitCode | None  # `summarise batch`; None: does not apply
    outcome: str


OK, USAGE, INPUT, CONFIG = ExitCode.OK, ExitCode.USAGE, ExitCode.INPUT, ExitCode.CONFIG
OUTPUT, INTERRUPTED = ExitCode.OUTPUT, ExitCode.INTERRUPTED

HAZARDS: tuple[Hazard, ...] = (
    Hazard("output-device", "files", "-o (or --report) a character device or a symlink to one: /dev/null, /dev/stdout", OK, OK, "written through; the device and the link stay as they were"),
    Hazard("output-fifo", "files", "-o a FIFO, with and without a reader", OK, None, "written through to the reader; without one, exit 10 at once (no hang), answer kept"),
    Hazard("output-not-writable-kind", "files", "-o a socket, a device that is not null or a terminal (the input article itself: exit 2)", OUTPUT, None, "refused before any request; nothing touched"),
    Hazard("review-output-device", "files", "show -o and diff -o a device", OK, None, "written through; the device stays (diff exits 1: differences)"),
    Hazard("lock-not-plain", "files", "the batch lock file is a symlink, a hard link or a FIFO", None, USAGE, "refused; its target untouched (content and mode)"),
    Hazard("state-report-symlink", "files", "the batch state and report files are symlinks to a victim", None, OK, "the links are replaced; the victim untouched"),
    Hazard("key-whitespace", "key", "OPENAI_API_KEY with whitespace around it (newline, CR, tab, spaces)", OK, OK, "stripped once: the request succeeds"),
    Hazard("key-illegal-character", "key", "OPENAI_API_KEY holding a control or non-ASCII character", CONFIG, CONFIG, "one config error naming the position, never the key; no request"),
    Hazard("key-escaped-forms", "key", "a server error echoing the key as bytes repr, JSON-escaped or URL-encoded", ExitCode.ENDPOINT, ExitCode.BATCH_PARTIAL, "every form redacted in stderr and the run report"),
    Hazard("write-fails-after-answer", "answers", "the output write fails after the answer (ENOSPC, EROFS, EIO, EACCES; -o /dev/full)", OUTPUT, None, "exit 10; the answer is in the cache: the re-run makes no request"),
    Hazard("write-fails-no-cache", "answers", "the output write fails with --no-cache", OUTPUT, None, "exit 10; the answer is in a rescue file the error line names"),
    Hazard("stdout-fails", "answers", "stdout is /dev/full or closed", OUTPUT, None, "exit 10; the answer is kept in the cache"),
    Hazard("cache-unwritable", "answers", "the cache database refuses writes", OK, OK, "output written; one warning line"),
    Hazard("cache-and-output-unwritable", "answers", "the cache refuses writes and the output write fails", OUTPUT, None, "exit 10; the answer is in a rescue file"),
    Hazard("batch-disk-full", "answers", "a batch on a full disk (outputs, report and state all fail)", None, OUTPUT, "stops at once; one line; answers cached for the next run"),
    Hazard("batch-special-inputs", "hangs", "a FIFO, a socket, a device among a batch's inputs (in a directory or a manifest)", None, OK, "skipped with a reason, never opened; a manifest entry fails alone"),
    Hazard("manifest-unbounded", "hangs", "--manifest /dev/zero, or a huge manifest", None, USAGE, "refused after a bounded read; one line"),
    Hazard("input-fifo-signal", "hangs", "summarise FIFO with no writer, then SIGTERM or SIGINT", INTERRUPTED, None, "one line, exit 130"),
    Hazard("cache-damaged-file", "cache", "the cache file is garbage, truncated or empty pages", CONFIG, None, "one line naming `cache clear`; `cache clear` removes and recreates it"),
    Hazard("cache-bad-row", "cache", "a cached row that is not JSON, not an object, or not the schema's shape", OK, OK, "a miss, logged: asked again, the output valid"),
    Hazard("signal-run", "signals", "SIGTERM or SIGINT to summarise FILE mid-request", INTERRUPTED, None, "one line `interrupted by SIGTERM`, exit 130"),
    Hazard("signal-batch-twice", "signals", "two or more SIGTERM/SIGINT to a batch", None, INTERRUPTED, "no traceback; report written; exit 130"),
    Hazard("setting-not-finite", "values", "nan, inf or -inf for a number flag (--temperature, --timeout...)", USAGE, USAGE, "usage error naming the flag; no request"),
    Hazard("setting-not-finite-env", "values", "nan, inf, -inf or out of range in SUMMARISE_* or the config file", CONFIG, CONFIG, "config error naming the variable or key; no request"),
    Hazard("setting-out-of-range", "values", "--timeout 0 or -1, --max-reasks -3, --temperature 5, --model '', --base-url without http(s)://", USAGE, USAGE, "usage error naming the flag; no request"),
    Hazard("config-missing", "values", "SUMMARISE_CONFIG or --config names a missing file or a directory", CONFIG, CONFIG, "config error naming the file"),
    Hazard("retry-after-junk", "values", "429 with Retry-After: abc, nan, inf, a bad date", OK, OK, "our own backoff, one retry"),
    Hazard("stdin-closed", "values", "summarise - with stdin closed", INPUT, None, "one input error line"),
    Hazard("json-too-deep", "values", "100,000-deep JSON to validate, show or diff", INPUT, None, "one input error line, no RecursionError"),
    Hazard("mixed-encoding", "text", "UTF-8 with some cp1252/Latin-1 lines (or bytes inside a UTF-8 line)", OK, OK, "each part decoded as what it is: no accent garbled"),
    Hazard("delimiter-variants", "text", "the article holds </ARTICLE>, </article >, < /article>, <article id=x>", OK, None, "defused: the prompt has one closing tag"),
    Hazard("names-control-characters", "text", "batch inputs named with newlines, ANSI escapes, bidi overrides", None, OK, "escaped in every progress, summary and log line"),
    Hazard("output-modes", "modes", "new output under umask 022, 027, 077; an existing 0600 or 0640 output", OK, OK, "new files follow the umask; an existing file keeps its mode"),
)  # fmt: skip
