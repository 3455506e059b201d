# Two commands for a newcomer: `make demo` (install, then brief the bundled example) and
# `make test` (install if needed, then lint, type-check and run every test, the slow quality
# gate included). Everything lives in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export SPARK_LOCAL_IP ?= 127.0.0.1

.PHONY: demo install test audit bench

demo: install
	$(BIN)/newsdesk brief examples/port-strike.txt

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -U pip
	# CPU torch first, from the wheel on disk: an unpinned torch pulls several GB of CUDA.
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e '.[dev,web,spark,names]'
	# The web tests drive Debian's Chromium (never a browser download); Spark needs Java 17. CI runs as root.
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium chromium-driver)
	command -v java >/dev/null || (apt-get update && apt-get install -y openjdk-17-jre-headless)
	# Export MiniLM to ONNX once, so that briefs start without importing torch.
	$(BIN)/newsdesk setup
	touch $@

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q --slow --durations=25
	$(BIN)/python .ci/audit.py

# Known vulnerabilities in the installed dependencies (pip-audit; needs PyPI's JSON API or OSV).
audit: install
	$(BIN)/python .ci/audit.py

bench: install
	$(BIN)/python benchmarks/speed.py
