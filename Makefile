# Eternal: developer and CI entry points. Tools run from .venv/bin and node_modules, never PATH.
# CONTRACTS_DIR (environment) points the contract targets at another source directory.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
NODE ?= node
NPM ?= npm
VENV := .venv
PY := $(VENV)/bin/python
ARTIFACTS := src/eternal/chain/artifacts
PYTEST_ARGS ?= -q -n 2
PYTEST_FAST_ARGS ?= -q -m "not slow" tests/unit
RUFF_PATHS ?= src tests bench scripts examples

# Stamps: `make install` does nothing when they are newer than what they were installed from.
VENV_STAMP := $(VENV)/.eternal-installed
NODE_STAMP := node_modules/.package-lock.json

.PHONY: help install contracts contracts-check test test-fast lint gas demo clean distclean

help:
	@echo "make install          .venv with eternal[dev,examples] (editable) and node_modules (npm ci)"
	@echo "make demo             run the whole network locally"
	@echo "make test             all tests (PYTEST_ARGS='$(PYTEST_ARGS)')"
	@echo "make test-fast        unit tests only, no slow ones"
	@echo "make contracts        compile contracts/ into $(ARTIFACTS)"
	@echo "make contracts-check  fail if the committed artifacts differ from a fresh build"
	@echo "make lint             ruff, mypy, slither (accepted findings: docs/slither.md)"
	@echo "make gas              gas snapshot into bench/gas.json"
	@echo "make clean            remove caches and build/ (distclean: also .venv*, node_modules)"

install: $(VENV_STAMP) $(NODE_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV_STAMP): pyproject.toml | $(PY)
	@echo "pip install -e '.[dev,examples]' into $(VENV) (log: $(VENV)/install.log)"
	@$(PY) -m pip install -e ".[dev,examples]" >$(VENV)/install.log 2>&1 \
		|| { tail -n 40 $(VENV)/install.log >&2; echo "make install: pip install failed" >&2; exit 1; }
	@touch $@

$(NODE_STAMP): package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

contracts: $(NODE_STAMP) $(VENV_STAMP)
	$(NODE) scripts/build_contracts.js --out $(ARTIFACTS)
	$(PY) scripts/gen_bindings.py --artifacts $(ARTIFACTS) --out src/eternal/chain/bindings

contracts-check: $(NODE_STAMP) $(VENV_STAMP)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; status=0; \
	$(NODE) scripts/build_contracts.js --out "$$tmp/artifacts"; \
	if [ ! -d $(ARTIFACTS) ]; then \
		echo "contracts-check: $(ARTIFACTS) does not exist: run 'make contracts' and commit it" >&2; \
		exit 1; \
	fi; \
	if differences=$$(diff -rq -x __pycache__ -x '*.py' $(ARTIFACTS) "$$tmp/artifacts"); then \
		echo "contracts-check: $(ARTIFACTS) matches a fresh build"; \
	else \
		status=1; \
		echo "contracts-check: $(ARTIFACTS) is out of date with the contracts:" >&2; \
		sed -e "s|^Files $(ARTIFACTS)/\(.*\) and .* differ$$|  differs: \1|" \
			-e "s|^Only in $(ARTIFACTS): \(.*\)$$|  no longer built: \1|" \
			-e "s|^Only in $$tmp/artifacts: \(.*\)$$|  not committed: \1|" <<<"$$differences" >&2; \
		if [ -f $(ARTIFACTS)/sizes.json ] && [ -f "$$tmp/artifacts/sizes.json" ]; then \
			diff -u --label committed/sizes.json --label built/sizes.json \
				$(ARTIFACTS)/sizes.json "$$tmp/artifacts/sizes.json" >&2 || true; \
		fi; \
		echo "contracts-check: run 'make contracts' and commit $(ARTIFACTS)" >&2; \
	fi; \
	bindings=src/eternal/chain/bindings; \
	$(PY) scripts/gen_bindings.py --artifacts "$$tmp/artifacts" --out "$$tmp/bindings" >/dev/null; \
	if differences=$$(diff -rq -x __pycache__ -x _runtime.py "$$bindings" "$$tmp/bindings" 2>&1); then \
		echo "contracts-check: $$bindings matches the bindings generated from a fresh build"; \
	else \
		status=1; \
		echo "contracts-check: $$bindings is out of date (or was edited by hand):" >&2; \
		sed -e "s|^Files $$bindings/\(.*\) and .* differ$$|  differs: \1|" \
			-e "s|^Only in $$bindings: \(.*\)$$|  no longer generated: \1|" \
			-e "s|^Only in $$tmp/bindings: \(.*\)$$|  not committed: \1|" <<<"$$differences" >&2; \
		diff -ru -x __pycache__ -x _runtime.py "$$bindings" "$$tmp/bindings" | head -n 60 >&2 || true; \
		echo "contracts-check: run 'make contracts' and commit $$bindings" >&2; \
	fi; \
	exit $$status

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest $(PYTEST_FAST_ARGS)

lint: install
	$(VENV)/bin/ruff check $(RUFF_PATHS)
	$(VENV)/bin/mypy src/eternal
	scripts/slither.sh

# bench.gas writes bench/gas.json.
gas: install
	$(PY) -m bench.gas

demo: install
	$(VENV)/bin/eternal demo --workdir build/demo --json build/demo.json

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .hypothesis src/*.egg-info
	find . \( -path ./node_modules -o -path './.venv*' -o -path ./.git \) -prune \
		-o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .venv-slither node_modules
