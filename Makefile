# The two commands: `make run` serves the app with demo data, `make test` runs the whole suite.
# Both set up everything they need from nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := hytu_events

PO_FILES := $(wildcard hytu_events/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
NODE_DEPS := $(if $(wildcard package.json),node_modules/.installed)

.PHONY: run test mutation install install-dev translations extract-messages update-translations lint bench settings-table clean

# `make run PORT=8000 HOST=0.0.0.0` serves elsewhere. Links in mail and feeds name the address
# served (on every interface: the loopback one) unless BASE_URL is set.
HOST ?= 127.0.0.1
PORT ?= 5000
LINK_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
BASE_URL ?= http://$(if $(findstring :,$(LINK_HOST)),[$(LINK_HOST)],$(LINK_HOST)):$(PORT)

run: $(VENV)/.installed translations
	FLASK_DEBUG=1 $(BIN)/flask db upgrade
	FLASK_DEBUG=1 $(BIN)/flask seed --demo
	FLASK_DEBUG=1 BASE_URL='$(BASE_URL)' $(BIN)/flask run --host '$(HOST)' --port '$(PORT)'

test: $(VENV)/.installed-dev translations $(NODE_DEPS)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Node tools the tests run (Mozilla's ical.js parses the calendar output; vnu-jar is the Nu HTML
# Checker, run with the machine's Java), pinned by package-lock.json. No install scripts: vnu-jar's
# would download a Java of its own. Without npm the tests that need them skip locally and fail
# in CI.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
	else echo "npm not found: tests that need ical.js or vnu will be skipped (and fail in CI)"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# Compiled catalogs are build output, made from the .po files at install time.
translations: $(MO_FILES)

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

# POT=path extracts elsewhere (tests/app/test_translations.py extracts afresh into a temporary file).
POT ?= hytu_events/translations/messages.pot
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -w 100 -o $(POT) .

update-translations: extract-messages
	$(BIN)/pybabel update -i hytu_events/translations/messages.pot -d hytu_events/translations -w 100 --no-fuzzy-matching --ignore-obsolete

# Mutation testing of the rules' modules ([tool.mutmut] in pyproject.toml; results in
# tests/MUTATION.md). SQLite only, one worker; not in CI (it takes about an hour).
# MUTANTS="hytu_events.registrations.capacity*" runs one module; later runs reuse mutants/.
mutation: $(VENV)/.installed-dev translations
	TEST_DATABASE_URL= CI= $(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/mutmut results

# ruff, then the import contracts of pyproject.toml ([tool.importlinter]: the layering of the
# packages, no import cycles inside one).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

# The README's configuration table, printed from the declarations in hytu_events/config.py
# (tests/app/test_settings_table.py fails while the README shows another one).
settings-table: $(VENV)/.installed
	@$(BIN)/python -c 'from hytu_events.config import settings_table; print(settings_table())'

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules mutants .import_linter_cache .grimp_cache
