# The two set-up commands are `make site` and `make test`; each bootstraps what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages the browser tests and PDF checks use (installed when missing and root).
APT_PACKAGES := chromium poppler-utils fonts-dejavu-core

.PHONY: site test check lint format bench system-deps clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@if [ -x /usr/bin/chromium ] && command -v pdftoppm >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(APT_PACKAGES); \
	else echo "missing Debian packages: sudo apt-get install -y $(APT_PACKAGES)" >&2; exit 1; fi

# `pdf` typesets only when the print edition's inputs changed (their hash is kept with the
# last PDF in build/pdf/); otherwise it copies that PDF. `make clean` drops the cache.
site: $(STAMP) node_modules/.installed
	$(PY) -m generator build
	$(PY) -m generator pdf

check: $(STAMP)
	$(PY) -m generator check

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(STAMP) node_modules/.installed system-deps lint
	$(PY) -m generator check
	$(VENV)/bin/pytest -q

bench: $(STAMP) node_modules/.installed
	$(PY) -m bench

clean:
	rm -rf site .venv-zensical site_src/generated site_src/index.md site_src/assets/iframe-worker site_src/assets/ts-fsrs build
