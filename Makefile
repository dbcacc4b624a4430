# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test bench install install-dev translations messages clean

run: install translations
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The registration race: 40 people register at once for 5 seats. Set BENCH_DATABASE_URL
# (e.g. postgresql://postgres@127.0.0.1:5432/bench) to race on PostgreSQL; a fresh SQLite
# file otherwise. BENCH_ARGS="--url http://host --event ID" races a running server instead.
bench: install translations
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python bench/registration_race.py $(BENCH_ARGS)

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
