"""A batch run's CPU stages in worker processes (agent/batch/workers.py): the same bytes as in
the event loop, errors carried back, a dead worker survived, Ctrl-C left to the run."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest
from batch_support import ArticleResponder, write_articles

from conftest import run_cli
from summarise_agent.batch import workers as workers_module
from summarise_agent.batch.workers import WorkerProcesses
from summarise_agent.errors import NoArticleFound
from summarise_agent.localserver import LocalChatServer

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux")


def process_id(run: Any) -> int:
    return os.getpid()


def fail_with(run: Any, message: str) -> None:
    raise NoArticleFound(message)


def run_label(run: Any, suffix: str) -> str:
    return f"{run}{suffix}"


async def with_workers(count: int, *steps: Any) -> list[Any]:
    workers = WorkerProcesses("the run", count)  # type: ignore[arg-type]
    try:
        return [await step(workers) for step in steps]
    finally:
        workers.close()


def test_stages_run_in_other_processes_with_their_copy_of_the_run() -> None:
    async def both(workers: WorkerProcesses) -> tuple[set[int], list[str]]:
        pids, labels = set(), []
        for number in range(4):
            workers.start_article()  # in turn: two articles per worker
            pids.add(await workers(process_id))
            labels.append(await workers(run_label, f"-{number}"))
        return pids, labels

    [(pids, labels)] = asyncio.run(with_workers(2, both))
    assert len(pids) == 2 and os.getpid() not in pids
    assert labels == ["the run-0", "the run-1", "the run-2", "the run-3"]


def test_a_stage_error_comes_back_as_itself() -> None:
    async def failing(workers: WorkerProcesses) -> None:
        await workers(fail_with, "talks.txt: no article text found")

    with pytest.raises(NoArticleFound, match="no article text found"):
        asyncio.run(with_workers(1, failing))


def test_a_stage_that_does_not_pickle_fails_alone() -> None:
    async def unpicklable(workers: WorkerProcesses) -> tuple[str, int]:
        with pytest.raises(Exception, match="pickle"):
            await workers(run_label, lambda: None)
        return await workers(run_label, "!"), await workers(process_id)

    [(label, pid)] = asyncio.run(with_workers(1, unpicklable))
    assert label == "the run!" and pid != os.getpid()


def test_workers_ignore_ctrl_c_which_is_the_run_s_to_handle() -> None:
    async def interrupted(workers: WorkerProcesses) -> tuple[int, int]:
        worker = await workers(process_id)
        os.kill(worker, signal.SIGINT)  # what Ctrl-C sends the whole process group
        await asyncio.sleep(0.2)
        return worker, await workers(process_id)

    [(worker, after)] = asyncio.run(with_workers(1, interrupted))
    assert worker != os.getpid() and after == worker  # the same worker, alive


def test_a_killed_worker_sends_its_stages_back_to_the_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def killed(workers: WorkerProcesses) -> tuple[int, int]:
        worker = await workers(process_id)
        os.kill(worker, signal.SIGKILL)
        await asyncio.sleep(0.2)  # the loop sees the pipe close
        return worker, await workers(process_id)

    with caplog.at_level(logging.WARNING):
        [(worker, after)] = asyncio.run(with_workers(1, killed))
    assert worker != os.getpid() and after == os.getpid()
    assert "a worker process died" in caplog.text


def test_closing_reaps_every_worker() -> None:
    async def lanes(workers: WorkerProcesses) -> list[Any]:
        return [lane.process for lane in workers._lanes]

    [processes] = asyncio.run(with_workers(2, lanes))
    assert len(processes) == 2 and not any(process.is_alive() for process in processes)


def test_outputs_are_byte_for_byte_those_of_the_event_loop(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_articles(env / "in", 6)
    monkeypatch.setattr(workers_module, "usable_cores", lambda: 2)
    monkeypatch.setattr(workers_module, "busy_cores", lambda: 0.0)  # a core to spare
    started: list[WorkerProcesses] = []
    monkeypatch.setattr(workers_module.WorkerProcesses, "start_article",
                        lambda self: started.append(self))  # fmt: skip
    with LocalChatServer(ArticleResponder()) as server:
        common = ("--base-url", server.base_url, "--no-cache", "--quiet")
        in_workers = run_cli("batch", str(env / "in"), "--out", str(env / "workers"), *common)
        assert in_workers.exit_code == 0, in_workers.stderr
        assert len(started) == 6  # every article went through the workers
        monkeypatch.setattr(workers_module, "usable_cores", lambda: 1)  # no workers
        in_loop = run_cli("batch", str(env / "in"), "--out", str(env / "loop"), *common)
        assert in_loop.exit_code == 0, in_loop.stderr
        assert len(server.requests) == 12

    def files(out: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}

    assert len(files(env / "workers")) == 6
    assert files(env / "workers") == files(env / "loop")


def test_no_workers_on_one_core_or_without_a_core_to_spare(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers_module, "usable_cores", lambda: 1)
    monkeypatch.setattr(workers_module, "busy_cores", lambda: 0.0)
    assert WorkerProcesses.for_run(object()) is None  # type: ignore[arg-type]
    monkeypatch.setattr(workers_module, "usable_cores", lambda: 2)
    monkeypatch.setattr(workers_module, "busy_cores", lambda: 1.5)  # others use 1.5 of 2
    assert WorkerProcesses.for_run(object()) is None  # type: ignore[arg-type]
