# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export PORT ?= 8000

.PHONY: install run test test-sqlite test-postgres bench clean

# Re-installs only when the pinned set or the project metadata changed.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: install
	DEBUG=1 $(BIN)/clientport migrate --noinput
	DEBUG=1 $(BIN)/clientport demo
	DEBUG=1 $(BIN)/clientport serve

# The whole suite, on SQLite and then on a throwaway PostgreSQL cluster.
test: test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest

test-postgres: install
	scripts/with-postgres $(BIN)/pytest

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
