# Drogowskaz: everything a developer or CI needs, from a fresh clone.
#   make run    create what is missing, train if needed, migrate, start everything
#   make test   the whole test suite (both environments), ends with pytest's summary

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
RVENV := .venv-rasa
APP_PY := $(VENV)/bin/python
RASA := $(RVENV)/bin/rasa
MODEL := models/drogowskaz.tar.gz
RASA_ENV := PYTHONPATH=$(CURDIR) TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
TRAIN_INPUTS := config.yml $(shell find bot/domain nlu_data -name '*.yml' 2>/dev/null) $(wildcard bot/nlu/*.py)

.PHONY: help run train test test-app test-rasa test-stories bench system-deps lint validate eval-nlu eval-nlu-dev lock clean envs

help:
	@echo "make run       set up what is missing, train if needed, start all services"
	@echo "make test      lint, validate the training data, conversation tests, pytest"
	@echo "make train     train the Rasa model (only when data or config changed)"
	@echo "make eval-nlu  evaluate the NLU on the held-out test set (reports/nlu/)"
	@echo "make eval-nlu-dev  score the model on the development sets, list its errors"
	@echo "make bench     benchmarks (reports/bench/)"
	@echo "make lint      ruff and mypy"
	@echo "make lock      re-resolve requirements/app.txt from requirements/app.in"

# ---------------------------------------------------------------- environments
$(VENV)/.installed: requirements/app.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed (found %d.%d); set PYTHON=..." % sys.version_info[:2])'
	@echo "==> Creating $(VENV): the application environment (web app, actions, database)"
	@test -x $(APP_PY) || $(PYTHON) -m venv $(VENV)
	$(APP_PY) -m pip install --quiet --upgrade "pip>=24"
	$(APP_PY) -m pip install --progress-bar off -r requirements/app.txt
	$(APP_PY) -m pip install --quiet --no-deps -e .
	@touch $@

$(RVENV)/.installed: requirements/rasa.txt requirements/rasa-nodeps.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed (found %d.%d); set PYTHON=..." % sys.version_info[:2])'
	@echo "==> Creating $(RVENV): Rasa 3.6.21 (about 3 GB; several minutes the first time)"
	@test -x $(RVENV)/bin/python || $(PYTHON) -m venv $(RVENV)
	$(RVENV)/bin/python -m pip install --quiet --upgrade "pip>=24"
	$(RVENV)/bin/python -m pip install --progress-bar off -r requirements/rasa.txt
	$(RVENV)/bin/python -m pip install --progress-bar off --no-deps --ignore-requires-python -r requirements/rasa-nodeps.txt
	@touch $@

envs: $(VENV)/.installed $(RVENV)/.installed

# Debian packages beyond Python (espeak-ng for read-aloud, chromium for the kiosk tests),
# installed only when missing (needs root; CI runs as root).
system-deps:
	@bash scripts/system-deps.sh

# axe-core, for the accessibility check in the kiosk tests.
node_modules/.package-lock.json: package.json package-lock.json
	@echo "==> npm ci (axe-core for the kiosk tests)"
	npm ci --no-audit --no-fund
	@touch $@

# ---------------------------------------------------------------- model
# Retrain when the data, domain, config or our NLU components changed, or no model
# exists. The inputs' hash is taken before training starts, so an edit made while a
# training runs is never mistaken for trained.
TRAIN_HASH = $(shell cat $(sort $(TRAIN_INPUTS)) | sha256sum | cut -c1-16)

train: $(RVENV)/.installed
	@if [ -f $(MODEL) ] && [ "$$(cat models/.inputs-hash 2>/dev/null)" = "$(TRAIN_HASH)" ]; then \
		echo "==> Model is up to date ($(MODEL))"; \
	else \
		echo "==> Training the Rasa model (data, domain or config changed)"; \
		rm -f models/.inputs-hash; \
		$(RASA_ENV) $(RASA) train --config config.yml --domain bot/domain --data nlu_data \
			--out models --fixed-model-name drogowskaz; \
		echo "$(TRAIN_HASH)" > models/.inputs-hash; \
	fi

# ---------------------------------------------------------------- run
run: envs train
	@bash scripts/system-deps.sh run --warn-only
	@echo "==> Starting Drogowskaz"
	$(VENV)/bin/drogowskaz run

# ---------------------------------------------------------------- checks and tests
lint: $(VENV)/.installed
	@echo "==> ruff"
	$(VENV)/bin/ruff check bot actions tests bench
	@echo "==> mypy"
	$(VENV)/bin/mypy

validate: $(RVENV)/.installed
	@echo "==> rasa data validate"
	$(RASA_ENV) $(RASA) data validate --config config.yml --domain bot/domain --data nlu_data \
		--fail-on-warnings
	@echo "==> NLU data check (counts, annotations, no test example copied into training)"
	$(RVENV)/bin/python tests/nlu/check_data.py > $(RVENV)/check_data.log || \
		{ cat $(RVENV)/check_data.log; exit 1; }
	@grep -E "^[0-9]+ errors" $(RVENV)/check_data.log

test-rasa: $(RVENV)/.installed train
	@if [ -d tests/rasa_env ]; then echo "==> pytest (Rasa environment)"; \
		$(RASA_ENV) $(RVENV)/bin/python -m pytest -q -p no:cacheprovider \
			--confcutdir=tests/rasa_env -W ignore::DeprecationWarning tests/rasa_env; fi

test-app: $(VENV)/.installed train system-deps node_modules/.package-lock.json
	@echo "==> pytest (application environment: unit, database, end to end, kiosk in Chromium)"
	$(VENV)/bin/python -m pytest -ra

# Conversation tests: every topic, fallback and crisis (tests/stories/).
test-stories: train
	@echo "==> rasa test: conversation stories"
	$(RASA_ENV) $(RASA) test core --model $(MODEL) --stories tests/stories \
		--fail-on-prediction-errors --out results/stories

test: lint validate test-rasa test-stories test-app

# Trains our pipeline, the plain `rasa init` pipeline and the ablations in
# bench/nlu_configs/ on nlu_data/, tests each on the held-out set and on a copy without
# Polish letters, measures /model/parse latency; writes reports/nlu/ (about 20 minutes).
eval-nlu: $(RVENV)/.installed
	@echo "==> Evaluating the NLU on the held-out set tests/nlu/test_nlu.yml"
	$(RASA_ENV) $(RVENV)/bin/python bench/nlu_eval.py --extra $(wildcard bench/nlu_configs/*.yml)

# Development sets: score the trained model and list its errors (var/nlu-dev/).
eval-nlu-dev: $(RVENV)/.installed train
	$(RASA_ENV) $(RVENV)/bin/python bench/nlu_eval.py --dev models/drogowskaz.tar.gz

# Benchmarks (results in reports/bench/). The scale-out run uses this PostgreSQL database
# (a schema of its own, dropped afterwards) and Redis on 127.0.0.1:6379; it is skipped,
# saying why, when either is missing.
BENCH_DATABASE_URL ?= $(or $(TEST_DATABASE_URL),postgresql://postgres@127.0.0.1:5432/test)
bench: $(VENV)/.installed train
	@echo "==> Place resolution: 10,000 queries (reports/bench/places.json)"
	$(APP_PY) bench/places_bench.py
	@echo "==> Fuzzing the text normaliser: atheris, 200,000 runs or 60 s (reports/bench/fuzz.txt)"
	$(APP_PY) bench/fuzz_textnorm.py --runs 200000 --seconds 60 --out reports/bench/fuzz.txt
	@echo "==> Load: 10, 25, 50 (2 min) and 100 simulated users through /api/chat, on one machine's"
	@echo "    setup and on the scale-out profile (PostgreSQL, Redis; reports/bench/load.md)"
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" $(APP_PY) bench/load_bench.py

# ---------------------------------------------------------------- maintenance
lock: $(VENV)/.installed
	@tmp=$$(mktemp -d); $(PYTHON) -m venv $$tmp/venv; \
	$$tmp/venv/bin/pip install --quiet -r requirements/app.in; \
	{ echo "# Pinned lock of the application environment (.venv); generated from requirements/app.in by 'make lock'."; \
	  $$tmp/venv/bin/pip freeze; } > requirements/app.txt; rm -rf $$tmp
	@echo "requirements/app.txt updated"

clean:
	rm -rf var models/*.tar.gz models/.inputs-hash results node_modules .pytest_cache .mypy_cache .ruff_cache
