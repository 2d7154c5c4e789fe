"""A batch run's CPU stages (cleaning, answer checks, grounding, the record and its JSON) in
worker processes, so the event loop only sends requests and reads answers.

At concurrency 64 against a fast endpoint the loop, not the endpoint, was the limit: about
10 ms of CPU per article ran on it (docs/batch.md, benchmark). Threads would not help (that
work holds the GIL); processes do, on a machine with a core to spare.

Each worker is a forked process with a pipe; the event loop writes a stage to it and reads
the reply when the pipe is readable (`add_reader`). ProcessPoolExecutor was measured first:
its manager and feeder threads cost three thread wake-ups per stage, each contending with the
loop for the GIL, which under load took a third of what the pool saved. Each article's stages
go to one worker (its lane, taken in turn), so the article is indexed for grounding once there
and reused when its record is built. A worker is sent one stage while it runs another, no
more: the rest wait in the loop, where the stages of articles that have their answer go
before the cleaning of articles still to be asked (cleaning runs ahead of the requests, and
must not hold up the articles whose answers are in, which hold the concurrency slots).

The workers are forked when the run starts, before it takes the directory lock, installs its
signal handlers or starts threads, so each has the run's schema, prompt and cleaning model
already loaded and receives only an article's bytes or text. They ignore Ctrl-C and SIGTERM
(the run stops gracefully, then closes their pipes) and exit when their pipe closes, which
the kernel does when the run's process dies, however it dies. A worker that dies sends its
stages back to the event loop for the rest of the run. Without `fork` (not Linux), with one
core, or when the machine has no core to spare as the run starts (load average above the cores
less one), the stages run in the event loop as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import itertools
import logging
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from summarise_agent.errors import SummariseError
from summarise_agent.pipeline import RunContext
from summarise_agent.stages import clean_stage

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_WORKERS = 8  # past this, the one event loop sending the requests is the limit again
# Workers yield the CPU to the event loop (and to the rest of the machine): the loop's work,
# sending requests and taking answers, is what keeps the endpoint busy; cleaning ahead can
# wait a moment. Measured on 2 cores (docs/batch.md): ratio to the plain loop 0.87
# at niceness 10 against 0.79 at 0 and 0.82 at 19, alternated in one run.
WORKER_NICENESS = 10
IN_PIPE = 2  # stages sent to a worker at once: the one it runs and the next
# The worker the current article's stages go to (set per article, in its task's context).
_article_lane: contextvars.ContextVar[int] = contextvars.ContextVar("article_lane", default=0)


def usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def busy_cores() -> float:
    """How many cores other work keeps busy: the 1-minute load average."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


class WorkerGone(Exception):
    """The worker process died (OOM killer, kill -9) with a stage in hand."""


_Stage = tuple[Callable[..., Any], tuple[Any, ...], "asyncio.Future[Any]"]


class _Lane:
    """One worker process, its pipe, the replies it owes (it answers in order) and the stages
    waiting to be sent to it, those that finish articles first."""

    def __init__(self, run: RunContext, others: list[_Lane]) -> None:
        context = multiprocessing.get_context("fork")
        self.pipe, worker_end = context.Pipe()
        inherited = [self.pipe, *(lane.pipe for lane in others)]  # closed in the child
        self.process = context.Process(target=_serve, args=(run, worker_end, inherited),
                                       name="summarise-worker", daemon=True)  # fmt: skip
        self.process.start()
        worker_end.close()
        self.owed: deque[asyncio.Future[Any]] = deque()
        self.finishing: deque[_Stage] = deque()
        self.ahead: deque[_Stage] = deque()

    def send_waiting(self) -> None:
        while len(self.owed) < IN_PIPE and (self.finishing or self.ahead):
            work, args, reply = (self.finishing or self.ahead).popleft()
            if reply.cancelled():
                continue
            try:
                self.pipe.send((work, args))
            except OSError:
                raise
            except Exception as error:  # a stage that does not pickle fails its article only
                reply.set_exception(error)
                continue
            self.owed.append(reply)


class WorkerProcesses:
    """An Offload (agent/pipeline.py) backed by forked worker processes, one per core."""

    def __init__(self, run: RunContext, count: int,
                 ahead: tuple[Callable[..., Any], ...] = ()) -> None:  # fmt: skip
        self._run = run
        self._ahead = ahead  # stages that run ahead of the requests: sent last
        self._lanes: list[_Lane] = []
        self._loop = asyncio.get_running_loop()
        # The objects loaded so far (modules, the cleaning model, the schema) are frozen out
        # of the garbage collector while forking: a worker's collections would otherwise
        # touch every one of them, copying the run's memory page by page into each worker.
        gc.freeze()
        try:
            for _ in range(count):
                lane = _Lane(run, self._lanes)
                self._lanes.append(lane)
                self._loop.add_reader(lane.pipe.fileno(), self._on_replies, lane)
        except BaseException:
            self.close()
            raise
        finally:
            gc.unfreeze()  # in this process only: the workers keep them frozen
        self._next_lane = itertools.cycle(range(count))
        self._gone = False

    @classmethod
    def for_run(cls, run: RunContext) -> WorkerProcesses | None:
        """Workers for this run, or None where they cannot help: one core, no fork, or no core
        to spare (measured: on 2 cores loaded 3x over, the workers' extra CPU for the pipes
        made runs 9 to 25% slower than the event loop alone)."""
        cores = usable_cores()
        if cores < 2 or sys.platform != "linux" or busy_cores() > cores - 1:
            return None
        _warm_up()
        return cls(run, min(cores, MAX_WORKERS), ahead=(clean_stage,))

    def start_article(self) -> None:
        """The current article's stages go to the next worker in turn."""
        _article_lane.set(next(self._next_lane))

    async def __call__(self, work: Callable[..., T], /, *args: Any) -> T:
        if not self._gone:
            lane = self._lanes[_article_lane.get() % len(self._lanes)]
            reply: asyncio.Future[T] = self._loop.create_future()
            (lane.ahead if work in self._ahead else lane.finishing).append((work, args, reply))
            try:
                lane.send_waiting()
                return await reply
            except (WorkerGone, OSError):
                self._worker_gone()
        return work(self._run, *args)

    def _on_replies(self, lane: _Lane) -> None:
        # One reply per call: the loop calls again while the pipe is readable (Connection.poll
        # would build a selector per call, which cost more than the rest of this).
        try:
            ok, value = lane.pipe.recv()
            reply = lane.owed.popleft()
            if reply.cancelled():  # its article was abandoned: the answer is not needed
                pass
            elif ok:
                reply.set_result(value)
            else:
                reply.set_exception(value)
            lane.send_waiting()
        except (EOFError, OSError):
            self._loop.remove_reader(lane.pipe.fileno())
            waiting = [*lane.owed, *(reply for _, _, reply in (*lane.finishing, *lane.ahead))]
            for queue in (lane.owed, lane.finishing, lane.ahead):
                queue.clear()
            for reply in waiting:
                if not reply.done():
                    reply.set_exception(WorkerGone())

    def _worker_gone(self) -> None:
        if not self._gone:
            log.warning("a worker process died: the run's CPU work goes on in its own process")
            self._gone = True

    def close(self) -> None:
        """Close the pipes (each worker exits when it reads the end) and reap the workers."""
        for lane in self._lanes:
            self._loop.remove_reader(lane.pipe.fileno())
            lane.pipe.close()
        for lane in self._lanes:
            lane.process.join(5)
            if lane.process.is_alive():
                lane.process.kill()
                lane.process.join()


_WARM_UP_TEXT = (
    b"Talks resume\n\nNegotiators met on Monday, officials said, and will meet again.\n\n"
    b"Subscribe to our newsletter for \xe2\x82\xac5 a month.\n"
)


def _warm_up() -> None:
    """Load what every worker needs once, before the fork, instead of once per worker: the
    cleaning model, the rules, the regexes compiled on first use and ftfy."""
    from summarise_agent.cleaning import clean_document

    with contextlib.suppress(SummariseError):  # a warm-up never stops a run
        clean_document(_WARM_UP_TEXT, "warm-up.txt")


def _serve(run: RunContext, pipe: Connection, inherited: list[Connection]) -> None:
    """A worker: run each stage it is sent, send back (True, value) or (False, exception)."""
    # the run's loop writes signals to a wakeup fd this process shares: a Ctrl-C seen here
    # too would reach the run twice (and a second one abandons the articles in flight)
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for other in inherited:  # so that a pipe closes when the run's end of it closes
        other.close()
    os.nice(WORKER_NICENESS)
    while True:
        try:
            work, args = pipe.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            reply: tuple[bool, Any] = (True, work(run, *args))
        except Exception as error:
            reply = (False, error)
        try:
            pipe.send(reply)
        except OSError:
            os._exit(0)
        except Exception as error:  # a value or exception that does not pickle
            pipe.send((False, RuntimeError(f"{type(reply[1]).__name__}: {error}")))
