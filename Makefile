# The two commands of the README: `make run` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test bench load-check install install-dev chromium wrk clean

run: $(VENV)/.installed
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@# Email goes to this terminal: the mail worker runs beside the server and stops with it.
	$(BIN)/flask mail-worker --poll 2 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port 5000

# The suite runs on SQLite and, when FORUM_TEST_DATABASE_URL is set (an administrator URL:
# the suite makes and drops its own database through it), on PostgreSQL side by side; the
# PostgreSQL pass's output is printed once it ends. Either failing fails the target.
PYTEST_ARGS ?= --durations=25
test: $(VENV)/.installed-dev chromium wrk
	@if [ -n "$$FORUM_TEST_DATABASE_URL" ]; then \
	  $(BIN)/python -m pytest -m "not browser" -p no:cacheprovider $(PYTEST_ARGS) > .pytest-postgresql.log 2>&1 & pg=$$!; \
	  env -u FORUM_TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS); sqlite=$$?; \
	  wait $$pg; postgresql=$$?; \
	  echo "== The same suite on PostgreSQL =="; cat .pytest-postgresql.log; \
	  test $$sqlite -eq 0 -a $$postgresql -eq 0; \
	else \
	  $(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

# The benchmark (issue 10): full scale on SQLite and PostgreSQL by default; tens of minutes.
# For example: make bench BENCH_ARGS="--scale 0.01 --db sqlite --pages latest,post"
BENCH_ARGS ?= --scale 1 --db sqlite,postgresql
bench: $(VENV)/.installed wrk
	$(BIN)/python -m bench $(BENCH_ARGS)

# Two servers behind nginx, 32 connections for 60 s: zero errors and nothing lost (README).
LOAD_ARGS ?= --scale 0.01 --seconds 60 --connections 32
load-check: $(VENV)/.installed-dev wrk
	$(BIN)/python -m bench.load_check $(LOAD_ARGS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Browser tests drive Debian's Chromium; Playwright cannot download its own here.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing and this is not root: browser tests will be skipped."; \
	  fi; \
	fi

# The benchmark's load tool, from Debian's packages (its test is skipped without it, except in CI).
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "wrk is missing and this is not root: the benchmark test will be skipped (apt-get install wrk)."; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) instance .pytest_cache
