"""The real-model tier: a real OpenAI-compatible server (llama-cpp-python) with real small
models, installed from the package index by provision.py. Runs only under `make test-real`
(SUMMARISE_REAL=1); `make test` skips it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

REAL = os.environ.get("SUMMARISE_REAL") == "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if REAL:
        return
    skip = pytest.mark.skip(reason="the real-model tier runs with `make test-real` (SUMMARISE_REAL=1)")
    for item in items:
        if "tests/real/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def real_server() -> Iterator[str]:
    from provision import running_server

    with running_server() as base_url:
        yield base_url
