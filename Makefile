# Từng Nhà — `make run` serves the demo, `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deps-stamp
export DJANGO_SETTINGS_MODULE ?= config.settings.local

# Python 3.12+ on PATH, else under pyenv (these machines keep 3.12/3.13 there, off PATH).
FIND_PYTHON = for c in python3.13 python3.12 python3 python; do \
	  p=$$(command -v $$c 2>/dev/null) || continue; \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done; \
	root=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); \
	for p in $$(ls -d $$root/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done; exit 1

.PHONY: help setup system-deps run serve test test-fast bench lint format messages translations clean

help:
	@echo "make run    set up, load Hanoi and the demo data, serve on http://127.0.0.1:8000"
	@echo "make test   set up and run the whole suite (browser tests in Chromium included)"
	@echo "make bench  run the benchmarks (BENCH_SCALE=full for the sizes the issues name)"
	@echo "make lint   ruff, and the layers checked by import-linter"

$(PY):
	@py=$$($(FIND_PYTHON)) || { \
	  echo "Từng Nhà needs Python 3.12 or newer, and none was found on PATH or under pyenv."; \
	  echo "Install one (e.g. 'pyenv install 3.12') and run make again."; exit 1; }; \
	echo "Using $$py ($$($$py --version))"; \
	$$py -m venv $(VENV)

$(STAMP): $(PY) requirements/dev.txt
	$(PY) -m pip install -q --disable-pip-version-check uv || true
	if [ -x $(VENV)/bin/uv ]; then \
	  $(VENV)/bin/uv pip install -q --python $(PY) -r requirements/dev.txt; \
	else \
	  $(PY) -m pip install -q --disable-pip-version-check -r requirements/dev.txt; \
	fi
	touch $(STAMP)

# gettext compiles the translations; Debian's Chromium runs the browser tests; npm brings axe-core.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$([ $$(id -u) = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# axe-core (the accessibility checker the browser tests inject) comes from npm, pinned by
# package.json, into node_modules/ (gitignored; no lockfile, see .npmrc). Never from a CDN.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json | system-deps
	@command -v npm >/dev/null || { \
	  echo "npm is missing: the browser tests need axe-core from npm."; \
	  echo "Install Node.js and npm (Debian: apt-get install nodejs npm) and run make again."; exit 1; }
	npm install --no-package-lock --no-audit --no-fund --loglevel=error
	@test -f $(AXE) || { echo "npm install did not produce $(AXE)"; exit 1; }
	touch $(AXE)

setup: $(STAMP) system-deps $(AXE)
	$(PY) manage.py compilemessages -v0 --ignore=.venv
	$(PY) manage.py migrate -v0

run: setup
	$(PY) manage.py seed_demo
	@echo; echo "Từng Nhà is at http://127.0.0.1:8000 — log in with a phone or email above."
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

bench: setup
	$(PY) -m bench

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Source strings are Vietnamese: the vi catalogue mirrors them (msgen), en carries the English.
messages: $(STAMP)
	$(PY) manage.py makemessages -l vi -l en --ignore=.venv --ignore=tests --ignore=bench --ignore=locale --no-obsolete
	# vi: msgstr = msgid everywhere. Fuzzy matches are emptied first (msgen keeps a stale msgstr),
	# and plural entries get exactly one form (nplurals=1), copied from msgid.
	for po in locale/vi/LC_MESSAGES/*.po; do \
	  msgattrib --clear-fuzzy --empty --clear-previous --no-wrap $$po | msgen --no-wrap - \
	  | awk '/^msgid "/ { id = substr($$0, 7) } \
	         /^msgstr\[0\] ""$$/ { print "msgstr[0] " id; next } \
	         /^msgstr\[[1-9]\]/ { next } { print }' > $$po.tmp && mv $$po.tmp $$po; \
	done

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles node_modules
