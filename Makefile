# The two commands of the README: `make run` and `make test`. Everything else supports them.

# The first Python 3.11+ found; override with `make PYTHON=/path/to/python3.12 ...`.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for candidate in python3 python3.13 python3.12 python3.11; do \
	$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$candidate; break; }; \
	done)
endif
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PIP    := $(BIN)/python -m pip --disable-pip-version-check -qq
export PORT ?= 8000
# Extra pytest arguments, e.g. `make test-sqlite PYTEST_ARGS="-k demo -x"`.
PYTEST_ARGS ?=
# pytest exits 5 when it selects no test: a pass for a filtered run, an error for the whole suite.
PYTEST := $(BIN)/pytest $(PYTEST_ARGS)$(if $(PYTEST_ARGS), || [ $$? -eq 5 ])

.PHONY: install venv-tools run test layers test-sqlite test-postgres test-scale browser bench clean

# Re-installs only when the pinned set or the project metadata changed.
$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (none of python3, python3.11-3.13 is)." >&2; exit 1; }
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV) && $(MAKE) --no-print-directory venv-tools && $(PYTHON) -m venv $(VENV); }
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	@touch $(STAMP)

# Debian ships `venv` without ensurepip; as root, add the missing package (as with-postgres does).
venv-tools:
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null && exit 0; \
	package=python$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv; \
	if [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing $$package from Debian's packages..." >&2; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$package >/dev/null; \
	else \
		echo "$(PYTHON) cannot create virtual environments: install $$package (sudo apt-get install $$package)." >&2; \
		exit 1; \
	fi

install: $(STAMP)

# The demo firm and the server both apply migrations first.
run: install
	DEBUG=1 $(BIN)/clientport demo
	DEBUG=1 $(BIN)/clientport serve

# The layers' import contracts (pyproject.toml), then the whole suite, on SQLite and then on a
# throwaway PostgreSQL cluster.
test: layers test-sqlite test-postgres

layers: install
	$(BIN)/lint-imports

test-sqlite: install browser
	$(PYTEST)

test-postgres: install browser
	scripts/with-postgres sh -c '$(PYTEST)'

# Several workers, one database (tests/scale): 2 web processes and 3 workers on a throwaway
# PostgreSQL, 22 imports at once, one worker killed. Kept out of `make test` by its marker.
test-scale: install
	scripts/with-postgres sh -c '$(BIN)/pytest -p no:cacheprovider -m scale -s tests/scale $(PYTEST_ARGS)'

# Browser tests drive the system Chromium (Playwright's own download does not work here).
browser:
	@grep -rqs "mark.browser" tests || exit 0; \
	command -v chromium >/dev/null && exit 0; \
	if [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Chromium for the browser tests..." >&2; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; \
	fi

# SQLite and PostgreSQL (a throwaway cluster, as test-postgres uses), their runs alternating.
bench: install
	scripts/with-postgres $(BIN)/python -m bench --database both

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
