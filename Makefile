# citymgmt: one entry point for setup, demo, tests, benchmarks, packaging and lint.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export QT_QPA_PLATFORM ?= offscreen
export PYTHONPATH := $(CURDIR):/usr/share/qgis/python/plugins
export PYTHONDONTWRITEBYTECODE := 1
DEMO_OUT ?= demo-output
TS := citymgmt_plugin/i18n/citymgmt_zh_CN.ts
QM := citymgmt_plugin/i18n/citymgmt_zh_CN.qm

.PHONY: setup demo test bench package deploy lint format translations clean

setup: $(VENV)/.requirements.installed

$(VENV)/.requirements.installed: requirements.txt scripts/setup.sh
	bash scripts/setup.sh

translations: setup $(QM)

$(QM): $(TS)
	lrelease -silent $(TS) -qm $(QM)

demo: setup translations
	$(PY) -m citymgmt_plugin demo --out $(DEMO_OUT)

# The session's QGIS authentication database is a throwaway one (tests set a master password
# and store accounts in it), never the test profile's.
test: setup translations lint
	auth="$$(mktemp -d -t citymgmt-auth.XXXXXX)"; trap 'rm -rf "$$auth"' EXIT; \
	CITYMGMT_TEST_PG="$$(bash scripts/pg_throwaway.sh)" \
	QGIS_AUTH_DB_DIR_PATH="$${QGIS_AUTH_DB_DIR_PATH:-$$auth}" \
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup translations
	CITYMGMT_TEST_PG="$$(bash scripts/pg_throwaway.sh)" $(PY) tests/bench/run_all.py

package: setup translations
	$(PY) scripts/package.py

deploy: package
	$(PY) scripts/deploy.py $(if $(PROFILE_DIR),--profile-dir "$(PROFILE_DIR)")

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf dist build $(DEMO_OUT) tests/artifacts $(QM)
