# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

# `make run PORT=5001` (HOST=0.0.0.0 to be reached from other machines); links in mail
# follow unless BASE_URL is set.
HOST ?= 127.0.0.1
PORT ?= 5000
RUN_BASE_URL = $(or $(BASE_URL),http://$(HOST):$(PORT))

.PHONY: run test lint bench bench-tools bench-race bench-burst venv install install-dev translations messages clean

run: install translations
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty
	BASE_URL="$(RUN_BASE_URL)" $(BIN)/flask run --host $(HOST) --port $(PORT)

test: install-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The code's rules (ruff.toml) and its one format; `ruff format .` writes the format.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The benchmark: data of BENCH_SCALE (1: 200 events, 50: 10,000) in BENCH_DB, generated
# when missing, served as deploy/ serves it (gunicorn -c deploy/gunicorn.conf.py, production
# configuration, Redis when redis-server is installed) beside a bare Flask + Jinja page, and
# loaded for BENCH_SECONDS per page; see README "Performance" and bench/run.py.
#   make bench BENCH_SCALE=50 BENCH_DB=postgresql://postgres@127.0.0.1:5432/bench_scale50
#   make bench BENCH_ARGS="--pages home 'event page' --skip-extras"
BENCH_SCALE ?= 1
BENCH_DB ?= sqlite:///$(CURDIR)/instance/bench-scale$(BENCH_SCALE).db
BENCH_SECONDS ?= 5
BENCH_TOOL ?= auto
BENCH_ARGS ?=

bench: install-dev translations bench-tools
	$(BIN)/python -m bench.generate --scale $(BENCH_SCALE) --database-url $(BENCH_DB) --if-needed
	$(BIN)/python -m bench.run --scale $(BENCH_SCALE) --database-url $(BENCH_DB) --duration $(BENCH_SECONDS) --tool $(BENCH_TOOL) $(BENCH_ARGS)

# wrk gives the truest figures; installed when missing if we may (root with apt-get),
# otherwise bench.run falls back to its Python load generator.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }; }; } || \
	  echo "wrk is not installed: the benchmark uses its Python load generator"

# The registration race alone (make bench runs it too): 40 people register at once for
# 5 seats. Set BENCH_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/bench) to
# race on PostgreSQL; a fresh SQLite file otherwise. RACE_ARGS="--url http://host
# --event ID" races a running server instead.
bench-race: install translations
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python bench/registration_race.py $(RACE_ARGS)

# The 1,000-way registration burst alone (make bench runs it too on PostgreSQL): gunicorn
# as deploy/gunicorn.conf.py sets it, production configuration, the last 20 seats.
#   make bench-burst BENCH_DB=postgresql://postgres@127.0.0.1:5432/bench
bench-burst: install translations
	$(BIN)/python -m bench.registration_burst --database-url $(BENCH_DB)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Python 3.11 or newer. A virtualenv whose Python is older, or no longer runs (made before
# switching Python, or by a pyenv version since removed), is made again with $(PYTHON).
PYTHON_OK := import sys; sys.exit(sys.version_info < (3, 11))
define MAKE_VENV
@if ! $(BIN)/python -c '$(PYTHON_OK)' 2>/dev/null; then \
  if [ -e $(VENV) ] || [ -L $(VENV) ]; then \
    echo "$(VENV) has a Python older than 3.11, or one that does not run: making it again with $(PYTHON)."; \
    rm -rf $(VENV); \
  fi; \
  if ! $(PYTHON) -c '$(PYTHON_OK)' 2>/dev/null; then \
    echo "Samverkan needs Python 3.11 or newer, and $(PYTHON) is $$(command -v $(PYTHON) >/dev/null && $(PYTHON) --version 2>&1 || echo "not found")." >&2; \
    echo "Name a newer one, e.g.: make $(or $(MAKECMDGOALS),run) PYTHON=python3.12" >&2; \
    exit 1; \
  fi; \
  echo "$(PYTHON) -m venv $(VENV)"; \
  $(PYTHON) -m venv $(VENV); \
fi
endef

# Without a working venv the stamps below say nothing, whatever their times.
ifneq ($(shell $(BIN)/python -c '$(PYTHON_OK)' 2>/dev/null && echo ok),ok)
.PHONY: $(VENV)/.installed
endif

venv:
	$(MAKE_VENV)

$(VENV)/.installed: requirements.txt
	$(MAKE_VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Compiled catalogues are build products; the .po files are the source.
translations: install
	$(BIN)/pybabel compile -d translations --statistics

# Re-extract the texts and merge them into the catalogues after changing them.
messages: install
# (-w 100 and no fuzzy guesses keep the .po as it is written, so merges stay small.)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k pgettext:1c,2 --ignore-dirs ".* __pycache__" -o translations/messages.pot --no-location --sort-output -w 100 .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -w 100 --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache
