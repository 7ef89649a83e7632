# The one entry point. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PROTOS := $(shell find protos -name '*.proto')

.PHONY: help run test test-faults test-scale browser screenshots bench bench-tools lint fmt unit integration e2e protos reconcile analytics-rebuild k8s-validate lock clean venv

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed; set PYTHON=python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# the repo and its generated code are importable from the venv, wherever it runs
	@$(PY) -c 'import pathlib, sys, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "loyalty-platform.pth").write_text("\n".join(sys.argv[1:]) + "\n")' "$(CURDIR)" "$(CURDIR)/gen"
	@touch $@

venv: $(VENV)/.installed ## Create .venv and install the pinned dependencies

gen/.stamp: $(VENV)/.installed $(PROTOS)
	@rm -rf gen && mkdir -p gen
	$(PY) -m grpc_tools.protoc -I protos \
	  --python_out=gen --grpc_python_out=gen --mypy_out=quiet:gen --mypy_grpc_out=quiet:gen \
	  --plugin=protoc-gen-mypy=$(VENV)/bin/protoc-gen-mypy \
	  --plugin=protoc-gen-mypy_grpc=$(VENV)/bin/protoc-gen-mypy_grpc \
	  $(PROTOS)
	@touch $@

protos: gen/.stamp ## Generate Python code and .pyi stubs from protos/ into gen/

run: gen/.stamp ## Start the whole platform in the foreground (Ctrl-C stops it)
	$(PY) -m libs.stack run

test: lint unit integration e2e k8s-validate ## Lint, type-check and run every test suite

lint: gen/.stamp ## ruff check, ruff format --check, mypy --strict, import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

fmt: $(VENV)/.installed ## Format and autofix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

unit: gen/.stamp ## Domain and handler tests with in-memory fakes (seconds)
	$(PY) -m pytest -m unit

integration: gen/.stamp ## Adapters and services against real MongoDB-protocol, Redis and NATS servers
	$(PY) -m pytest -m integration

e2e: gen/.stamp ## The whole stack through the gateway's HTTP API
	$(PY) -m pytest -m e2e

reconcile: gen/.stamp ## Print members whose points drift from their ledger (MONGO_URL, MONGO_DB)
	$(PY) -m services.points.reconcile

analytics-rebuild: gen/.stamp ## Drop the analytics read model and replay its event log into it (MONGO_URL, MONGO_DB)
	$(PY) -m services.analytics.rebuild

test-faults: gen/.stamp ## Kill each part of the running platform under load; nothing lost or doubled
	$(PY) -m pytest -m faults tests/faults

test-scale: gen/.stamp ## 3 NATS nodes, 2 of each service and gateway; kill one of each under load
	$(PY) -m pytest -m scale tests/scale

browser: ## Install Debian's chromium and a CJK font for the console's browser tests (apt-get, as root)
	@{ command -v chromium >/dev/null && fc-list | grep -qi -e 'WenQuanYi' -e 'Noto Sans CJK'; } || \
	  { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; }

screenshots: gen/.stamp ## Retake the console's, till's and member centre's screenshots in docs/screenshots (needs make browser)
	$(PY) -m tests.screenshots docs/screenshots

bench: gen/.stamp ## Load test vs baselines (BENCH_MEMBERS=100000, BENCH_QUICK=1, BENCH_REPORTS_ONLY=1); not in make test
	@command -v wrk >/dev/null || $(MAKE) bench-tools || echo "wrk is missing: the run skips its cross-check"
	$(PY) -m bench

bench-tools: ## Install Debian's wrk, the benchmark's cross-check of the bare endpoint (apt-get, as root)
	@command -v wrk >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

k8s-validate: $(VENV)/.installed ## Render and validate every kustomize overlay offline
	$(PY) -m pytest tests/k8s

lock: ## Re-pin requirements.txt from requirements.in
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.in
	{ echo '# Pinned by `make lock` from requirements.in; install with `make venv`.'; \
	  $(PY) -m pip freeze --exclude-editable; } > requirements.txt

clean: ## Delete local data (var/) and generated code (gen/)
	rm -rf var gen
