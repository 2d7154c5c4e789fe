"""`summarise` against llama-cpp-python's server with SmolLM2-135M-Instruct and Gemma 3 270M,
on a short article written for this test: every schema in the default mode (auto), and every
mode the server offers. Asserted: exit 0 and an output `summarise validate` accepts, with no
endpoint error. Quality is not asserted (the models are tiny); the figures are printed.

One kind of validate problem is tolerated, because it is a documented outcome and not a broken
file: an actor id that names no actor, which no grammar can prevent (the ids are the answer's
own). `summarise` re-asks, then keeps the answer and counts it in `checks.dangling_actor_ids`
(`--strict` exits 7); the test checks that every such problem is counted there.

json_object is the one mode that constrains only the syntax (the schema is in the prompt, not
in the grammar): a tiny model may not meet the schema, so there the documented outcome may
also be exit 6 (ANSWER) with one clear line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

# Only under `make test-real` (SUMMARISE_REAL=1): `make test` stays fast and needs no server.
pytestmark = pytest.mark.skipif(
    os.environ.get("SUMMARISE_REAL") != "1",
    reason="the real-model tier runs with `make test-real` (SUMMARISE_REAL=1)",
)
ARTICLE = Path(__file__).parent / "article.txt"
SUMMARISE = Path(sys.executable).parent / "summarise"
MODELS = ("smollm2-135m", "gemma3-270m")
SCHEMAS = ("actors", "positions", "actions")
# auto and json_schema are one dialect on this server (json-object-schema): json_schema is
# run once to show an explicit mode takes the server's own dialect. Gemma (11 tokens/s) gets
# the modes that constrain decoding only, to keep the tier within CI's time.
# Gemma 3 270M on the index is the *base* model. Measured before the model layer's fixes: it
# wrote "1000000..." into every string the grammar allowed (llama.cpp ignores maxLength beside
# a pattern) until the 4,096-token cap (exit 6), and in tools mode it gave every actor one id
# through the re-asks (exit 6). Now: patterns bounded in the grammar form, repeat_penalty 1.3
# for llama.cpp servers, shared ids and repeated items repaired, and a cut-off answer's
# complete items kept with a warning (docs/servers.md). Any such warning is printed.
CASES = [
    pytest.param(model, schema, "auto", id=f"{model}-{schema}-auto")
    for model in MODELS for schema in SCHEMAS
] + [
    pytest.param("smollm2-135m", "actors", "json_schema", id="smollm2-135m-actors-json_schema"),
    pytest.param("smollm2-135m", "actors", "tools", id="smollm2-135m-actors-tools"),
    pytest.param("smollm2-135m", "actors", "json_object", id="smollm2-135m-actors-json_object"),
    pytest.param("gemma3-270m", "actors", "tools", id="gemma3-270m-actors-tools"),
]
DANGLING = re.compile(r": actor id '[^']*' is not in result\.actors$")
USAGE = re.compile(r"dialect (\S+);(?: chunks: \d+;)? model calls: (\d+); requests: (\d+); tokens: prompt (\d+), completion (\d+)")


@pytest.fixture(scope="module")
def real_server() -> Iterator[str]:
    from provision import running_server

    with running_server() as base_url:
        yield base_url


def summarise(base_url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp / "none.toml").write_text("")  # no user config file changes the run
    env = {**os.environ, "OPENAI_API_KEY": "local", "SUMMARISE_CACHE_DIR": str(tmp / "cache"),
           "SUMMARISE_CONFIG": str(tmp / "none.toml"), "SUMMARISE_CONTEXT_TOKENS": "8192"}  # fmt: skip
    command = [str(SUMMARISE), *args]
    # Gemma actions: 3 model calls, 7,586 completion tokens, measured 1,267 s on a machine
    # loaded by three other model servers (load ~7 on 2 cores); about 720 s unloaded.
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800, check=False)


@pytest.mark.timeout(1900)
@pytest.mark.parametrize(("model", "schema", "mode"), CASES)
def test_a_real_model_writes_a_valid_output(real_server: str, tmp_path: Path, model: str, schema: str, mode: str) -> None:
    output = tmp_path / "out.json"
    started = time.monotonic()
    run = summarise(real_server, tmp_path, str(ARTICLE), "--schema", schema, "--model", model,
                    "--mode", mode, "--base-url", real_server, "--output", str(output), "-v")  # fmt: skip
    seconds = time.monotonic() - started
    usage = USAGE.search(run.stderr)
    errors = [line for line in run.stderr.splitlines() if line.startswith("summarise: error:")]
    figures = f"{model} {schema} {mode}: exit {run.returncode}, {seconds:.0f}s"
    if usage:
        figures += (f", dialect {usage[1]}, calls {usage[2]}, requests {usage[3]}, "
                    f"tokens {usage[4]}+{usage[5]}")  # fmt: skip
    checks: dict[str, int] = {}
    if run.returncode == 0:
        checks = json.loads(output.read_text())["checks"]
        figures += ", grounding " + " ".join(f"{key}={value}" for key, value in checks.items())
    warnings = [line for line in run.stderr.splitlines() if "cut off at the output cap" in line
                or "repaired the answer" in line]  # fmt: skip
    print(f"\nREAL {figures}" + "".join(f"\n  {line}" for line in [*errors[:1], *warnings]),
          flush=True)  # fmt: skip
    assert "endpoint" not in " ".join(errors) and "HTTP" not in " ".join(errors), errors
    if mode == "json_object" and run.returncode == 6:
        assert len(errors) == 1 and len(errors[0]) < 600  # the documented clear failure
        return
    assert run.returncode == 0, run.stderr[-2000:]
    check = summarise(real_server, tmp_path, "validate", str(output), "--source", str(ARTICLE))
    problems = check.stdout.splitlines()
    dangling = [line for line in problems if DANGLING.search(line)]
    assert check.returncode == 0 or (problems == dangling and len(dangling) == checks["dangling_actor_ids"]), check.stdout + check.stderr
