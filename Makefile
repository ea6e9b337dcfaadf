# verkenning: `make run` and `make test` set everything up on a fresh machine with only Python 3.11.
# Set-up steps leave stamp files so that later calls skip what is already done.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
SYNCED := $(VENV)/.synced
SET_UP := $(VENV)/.set-up

export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export GX_ANALYTICS_ENABLED := false
# Dagster telemetry stays off even with a DAGSTER_HOME whose dagster.yaml does not say so.
export DAGSTER_DISABLE_TELEMETRY := yes
export UV_PYTHON_DOWNLOADS := never
# Bytecode is written: `uv sync --compile-bytecode` compiles the dependencies at set-up, and the project's own
# modules are compiled once instead of in every process of every run (issue 14).

CHROMIUM := /usr/bin/chromium

.PHONY: setup browser postgres run test ui bench eval-privacy sample validate recover codebook clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(SYNCED): pyproject.toml uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $@

$(SET_UP): $(SYNCED) verkenning/environment.py
	$(VENV)/bin/python -m verkenning.environment
	touch $@

setup: $(SET_UP) ## environment, deduce's lookup structures, DuckDB extensions, Dagster home

# The browser test drives Debian's Chromium (Playwright cannot download its own browser here).
$(CHROMIUM):
	@echo "setup: installing Debian's chromium for the browser test"
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null \
	  || { echo "Could not install chromium: run 'apt-get install chromium' as root, then 'make test' again."; exit 1; }

browser: $(CHROMIUM)

# The shared-deployment test starts a throwaway cluster of Debian's PostgreSQL (Dagster instance and DuckLake catalog).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "setup: installing Debian's postgresql for the shared-deployment test"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null \
	  || { echo "Could not install postgresql: run 'apt-get install postgresql' as root, then 'make test' again."; exit 1; }; \
	fi

run: setup ## materialise every asset for every wave in <data>/inbox/
	$(VENV)/bin/python -m pipelines.run

# Test files are shared out over TEST_WORKERS processes (pytest-xdist), each file whole in one process: its
# module-scoped pipeline runs are not repeated. Two, for the 2-core machines the suite is measured on. Files go out
# in collection order, the slowest first (tests/conftest.py), not reordered by their number of tests.
TEST_WORKERS ?= 2

test: setup browser postgres ## the whole test suite, the browser test included
	$(VENV)/bin/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=15

ui: setup ## the Dagster UI on http://127.0.0.1:3000
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p $${PORT:-3000}

bench: setup ## time the whole pipeline on waves of 215, 10,000 and 100,000 respondents
	$(VENV)/bin/python -m pipelines.bench

eval-privacy: setup ## recall, precision and over-redaction of the text de-identifier on the gold set eval/gold/answers.txt
	$(VENV)/bin/python -m pipelines.eval_privacy $(ARGS)

recover: setup ## mark runs whose process died (kill -9, out of memory) failed and free what they held
	$(VENV)/bin/python -m pipelines.recover

validate: setup ## check that the Dagster definitions load
	$(VENV)/bin/dagster definitions validate -w workspace.yaml

sample: setup ## regenerate the bundled sample wave (deterministic)
	$(VENV)/bin/python -m verkenning.sample --out data/inbox/2024-01

# Checked when the Makefile is read, so that a forgotten LSS= is refused before any set-up runs.
ifneq ($(filter codebook,$(MAKECMDGOALS)),)
ifeq ($(strip $(LSS)),)
$(error make codebook needs the survey's structure file: make codebook LSS=path/to/survey.lss)
endif
endif

codebook: setup ## a questionnaire.yaml for the steward from LimeSurvey's structure file: make codebook LSS=path/to/survey.lss [OUT=path]
	$(VENV)/bin/python -m pipelines.codebook import "$(LSS)" $(if $(OUT),--out "$(OUT)")

clean: ## remove generated zones and the environment (keeps the inbox)
	rm -rf $(VENV) $(TOOLS) .dagster_home .duckdb_extensions test-artifacts data/restricted data/analysis data/releases data/reports
