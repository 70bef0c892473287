# Harbour: `make run` to try it, `make test` to prove it. Both install what
# they need from nothing (Python packages, npm packages, built CSS).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
CHROMIUM ?= /usr/bin/chromium
# make test-ahead: the suite with the machine's clock shifted by libfaketime
# (Debian's faketime package), so a test that forgot to freeze time fails.
AHEAD ?= +365d
LIBFAKETIME ?= /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1

.DEFAULT_GOAL := help
.PHONY: help install run test test-ahead test-fast lint format bench load lock chromium totp clean-data

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@# Put the checkout on the virtualenv's path, so pytest can load tests.embedded
	@# before anything else, and celery/manage.py work from any folder.
	$(PY) -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'harbour.pth').write_text('$(CURDIR)\n')"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/harbour.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build

install: $(BIN)/.installed node_modules/.installed static/build/harbour.css ## Install Python and npm packages, build CSS

run: install ## Start PostgreSQL, Redis, web, worker and beat with demo data
	$(PY) -m cse_cases.wiring.devstack

chromium: ## Install Debian's Chromium for the browser tests, if missing
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Chromium is missing: installing Debian's package for the browser tests."; \
		if ! (apt-get update -qq && apt-get install -y -qq chromium >/dev/null); then \
			if [ -n "$$CI" ] && [ "$$CI" != false ] && [ "$$CI" != 0 ]; then \
				echo "!!! Could not install Chromium, and CI is set: failing rather than skipping the browser tests. !!!" >&2; \
				exit 1; \
			fi; \
			echo "!!! Could not install Chromium: browser tests will be SKIPPED. !!!"; \
		fi; \
	fi

test: install chromium ## Run the whole suite on real PostgreSQL, Redis and Chromium
	$(BIN)/pytest $(PYTEST_ARGS)

test-ahead: install chromium ## The whole suite with the clock a year ahead (AHEAD=+730d: two)
	@test -f $(LIBFAKETIME) || { echo "libfaketime is missing: apt-get install faketime" >&2; exit 1; }
	@# pytest and what it starts (live server, Celery worker, Chromium, the
	@# embedded servers) run shifted; servers named by DATABASE_URL/REDIS_URL keep
	@# the real clock, which proves nothing compares the database's now() with Python's.
	FAKETIME="$(AHEAD)" FAKETIME_DONT_RESET=1 LD_PRELOAD=$(LIBFAKETIME) $(BIN)/pytest $(PYTEST_ARGS)

test-fast: install ## The suite without the browser, worker and make-run tests
	$(BIN)/pytest -m "not browser and not worker and not stack" $(PYTEST_ARGS)

# What mypy checks: the access policy and every app's (or sub-package's)
# services and selectors, module or package, so a new one is included.
TYPED := cse_cases/access reports/network/graph.py reports/disclosure.py reports/disclosure_audit.py reports/measures $(sort $(wildcard $(foreach dir,* */*,$(foreach name,services selectors,$(dir)/$(name) $(dir)/$(name).py))))

lint: install ## ruff, djLint, import-linter contracts, mypy on the access policy, services and selectors
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	@# The layering contracts in pyproject.toml (docs/architecture.md).
	$(BIN)/lint-imports
	@# The Django plugin loads the settings; the test settings need no secret
	@# and name no server (nothing connects while checking types).
	HARBOUR_ENV=test $(BIN)/mypy $(TYPED)

format: install ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## Benchmarks against generated data at realistic scale (with the load test)
	$(PY) -m benchmarks

load: install ## Only the load test: gunicorn in production shape, 32 clients for 60 s
	$(PY) -m benchmarks bench_load

PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host

lock: ## Re-pin the Python dependency trees (production and dev) from pyproject.toml
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev -o requirements-dev.lock pyproject.toml

totp: install ## Print the current two-factor code for a demo user: make totp who=USERNAME
	HARBOUR_ENV=development $(PY) manage.py demo_code $(who)

clean-data: ## Stop nothing; delete the embedded databases (asks first)
	@read -p "Delete .data (all local Harbour data)? [y/N] " answer; [ "$$answer" = y ] && rm -rf .data || true
