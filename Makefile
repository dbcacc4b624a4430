# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test bench bench-tools bench-race bench-burst install install-dev translations messages clean

run: install translations
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The benchmark: data of BENCH_SCALE (1: 200 events, 50: 10,000) in BENCH_DB, generated
# when missing, served by gunicorn and loaded for BENCH_SECONDS per page; see bench/.
#   make bench BENCH_SCALE=50 BENCH_DB=postgresql://postgres@127.0.0.1:5432/bench_scale50
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

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
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
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs ".* __pycache__" -o translations/messages.pot --no-location --sort-output -w 100 .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -w 100 --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache
