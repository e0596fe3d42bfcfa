# EIG assistant. `make run` to chat, `make test` for every check; `make help` lists targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export PYENV_VERSION ?= 3.10.13
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

VENV := .venv
PY := $(VENV)/bin/python
# Rasa's command line with the run-time changes of bot/rasa_server/patches.py installed first.
RASA := $(PY) -m bot rasa
MODEL := models/current.tar.gz
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locales/*/LC_MESSAGES/messages.po locales/*/LC_MESSAGES/widget.po locales/*/LC_MESSAGES/mail.po locales/*/LC_MESSAGES/privacy.po locales/*/LC_MESSAGES/admin.po))
TRAINING_INPUTS := config.yml domain.yml $(shell find data/nlu data/rules -type f -name "*.yml" 2>/dev/null) $(shell find bot/rasa_server/nlu -type f -name "*.py" 2>/dev/null)
RASA_DATA := data/nlu data/rules
# `make test` passes --skip-validation: it has just run `make validate`, a stricter check.
RASA_TRAIN_FLAGS ?=

# Python 3.10: pyenv's, else any python3.10 on PATH.
PYTHON310 := $(shell for c in "$$HOME/.pyenv/versions/$(PYENV_VERSION)/bin/python3.10" $$(ls -d $$HOME/.pyenv/versions/3.10.*/bin/python3.10 2>/dev/null) $$(command -v python3.10); do \
	if [ -x "$$c" ] && "$$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then echo "$$c"; break; fi; done)

.PHONY: help install catalogs catalogs-extract catalogs-update check-catalogs train run run-cluster shell \
	test check lint format typecheck unit validate story-test nlu-eval dialogue-eval dialogue-eval-dev e2e report-unanswered clean

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-24s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found (pyenv $(PYENV_VERSION) or python3.10 on PATH)"; exit 1; }
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

install: $(VENV)/.installed ## Create .venv, install the pinned requirements and the project (editable)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d locales -D messages -l $*

locales/%/LC_MESSAGES/mail.mo: locales/%/LC_MESSAGES/mail.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d locales -D mail -l $*

locales/%/LC_MESSAGES/privacy.mo: locales/%/LC_MESSAGES/privacy.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d locales -D privacy -l $*

# The back office's wording (bot/admin): keyed msgids, written in both languages.
locales/%/LC_MESSAGES/admin.mo: locales/%/LC_MESSAGES/admin.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d locales -D admin -l $*

catalogs: $(CATALOGS) ## Compile the gettext catalogs (.po → .mo)

catalogs-extract: install ## Extract every msgid into locales/messages.pot
	$(VENV)/bin/pybabel extract -F locales/babel.cfg -o locales/messages.pot --no-location \
		--sort-output --project eig-assistant .

catalogs-update: catalogs-extract widget-catalogs-update ## Merge new msgids into the fr and en catalogs
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages -w 88 --ignore-obsolete --no-fuzzy-matching

$(MODEL): $(TRAINING_INPUTS) | $(VENV)/.installed
	@mkdir -p models var
	$(RASA) train --data $(RASA_DATA) --out models --fixed-model-name current $(RASA_TRAIN_FLAGS)

train: install $(MODEL) ## Train the model if the data changed

run: install catalogs assets $(MODEL) ## Start Rasa, the actions and the web service; print where to chat
	$(PY) -m bot check
	$(PY) -m bot run

run-cluster: install catalogs assets $(MODEL) ## The cluster profile: PostgreSQL, Redis, 2 Rasa, nginx (docs/deploy.md)
	$(PY) -m bot check
	$(PY) -m bot cluster

shell: install catalogs assets $(MODEL) ## Chat in this terminal (starts the services too)
	$(PY) -m bot run --shell

lint: install ## ruff lint and format check, import contracts (lint-imports, pyproject.toml)
	$(VENV)/bin/ruff check bot actions tests bench
	$(VENV)/bin/ruff format --check bot actions tests bench
	$(VENV)/bin/lint-imports

format: install ## Format the code with ruff
	$(VENV)/bin/ruff format bot actions tests bench
	$(VENV)/bin/ruff check --fix bot actions tests bench

typecheck: install ## mypy on bot/ and actions/
	$(VENV)/bin/mypy bot actions

# One test process per core (pytest-xdist): the unit tests write only to their own temporary
# directories and take free ports.
unit: install catalogs ## Unit tests (pytest, no trained model needed, one process per core)
	$(VENV)/bin/pytest -q -rs -n auto tests --ignore=tests/e2e --ignore=tests/cluster

check: lint typecheck unit ## The fast checks before a commit: lint, import contracts, mypy, unit tests
	@echo "make check: lint, typecheck and unit tests passed"

validate: install ## rasa data validate, failing on unexpected warnings
	$(PY) -m bot.ops.validation

# Rasa replays each story's events and checks only the policies' next-action predictions:
# no action runs (real turns are tested by `make e2e`). The action server must still start.
story-test: install catalogs $(MODEL) ## Story tests on tests/stories/: next-action predictions only (no action runs)
	@rm -f var/story-applications.db; \
	DATABASE_URL=sqlite:///$(CURDIR)/var/story-applications.db EIG_TODAY=2026-11-23 \
		$(PY) -m bot actions --port 15155 > var/story-actions.log 2>&1 & pid=$$!; \
	trap "kill $$pid 2>/dev/null" EXIT; \
	healthy=; for i in $$(seq 120); do kill -0 $$pid 2>/dev/null || break; \
		$(PY) -c "import urllib.request as u; u.urlopen('http://127.0.0.1:15155/health', timeout=2)" 2>/dev/null && { healthy=1; break; }; sleep 0.5; done; \
	if [ -z "$$healthy" ]; then echo "story-test: the action server is not healthy on 127.0.0.1:15155; var/story-actions.log:" >&2; \
		cat var/story-actions.log >&2; exit 1; fi; \
	$(RASA) test core --model $(MODEL) --stories tests/stories --endpoints tests/stories/endpoints.yml \
		--fail-on-prediction-errors --out var/story-results

nlu-eval: install $(MODEL) ## NLU evaluation: held-out set gated (F1, topics, language), realistic set reported
	$(PY) -m bot evaluate

# The realistic sets played against the three real services, started once on spare ports by
# the command itself: the DEV set reported, the TEST set gated (bot/ops/dialogue_eval.py GATES).
dialogue-eval: install catalogs assets $(MODEL) ## Realistic dialogue evaluation on the real services: the TEST set, gated
	$(PY) -m bot evaluate-dialogue --set test --gate test

dialogue-eval-dev: install catalogs assets $(MODEL) ## The DEV set, gated: the working set of whoever improves the understanding
	$(PY) -m bot evaluate-dialogue --set dev --gate dev

e2e: install catalogs assets chromium $(MODEL) ## End-to-end tests against the three real services, browser included
	$(VENV)/bin/pytest -q -rs tests/e2e

test-cluster: install catalogs assets ## Fault tests on the cluster profile (skip if its servers cannot be installed; fail in CI)
	@test -f $(MODEL) || $(MAKE) train  # any trained model will do: no retraining for these tests
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/cluster -m cluster -rs

# Everything that does not need the model first (a broken file or a failing unit test stops
# the run before training), then training, then everything that needs the model, one at a
# time: on CI's two cores training alone keeps them busy (docs/testing.md, "CI time").
test: install catalogs assets validate lint typecheck unit ## Every check
	$(MAKE) --no-print-directory train RASA_TRAIN_FLAGS=--skip-validation
	$(MAKE) --no-print-directory story-test nlu-eval dialogue-eval e2e
	@echo "make test: all checks passed"

report-unanswered: install ## Unanswered questions of the last 7 days (user text, redacted) → var/unanswered.md
	@mkdir -p var
	$(PY) -m bot report unanswered --since $(or $(SINCE),7d) --format md --output var/unanswered.md

clean: ## Remove the model, compiled catalogs, local databases and copied vendor files
	rm -rf models var results locales/*/LC_MESSAGES/*.mo bot/web/static/vendor

# ---- Benchmark against a stock Rasa assistant (not part of `make test`) --------------
.PHONY: bench bench-quick
bench: install catalogs ## Speed and NLU benchmark vs stock Rasa → docs/benchmarks.md (~20 min)
	$(PY) -m bench $(BENCH_ARGS)

bench-quick: install catalogs ## The benchmark as a smoke run (1 repeat, no CV; writes docs/benchmarks.md)
	$(PY) -m bench --quick $(BENCH_ARGS)

# ---- Mutation testing of bot/domain and actions (not part of `make test`) -------------
# [tool.mutmut] in pyproject.toml; a fresh mutants/ each run, one test process at a time.
# MUTANTS="bot.domain.fit.*" runs only the mutants whose names match.
.PHONY: mutation
mutation: install catalogs ## Mutation testing of bot/domain and actions (mutmut, one core, ~30 min) → mutants/
	rm -rf mutants && mkdir mutants
	@echo "mutmut: progress in mutants/mutmut-run.log"
	HYPOTHESIS_PROFILE=ci $(VENV)/bin/mutmut run --max-children 1 $(MUTANTS) > mutants/mutmut-run.log 2>&1 \
		|| { tail -n 40 mutants/mutmut-run.log; exit 1; }
	$(VENV)/bin/mutmut results | { grep -v ": not checked$$" || true; }
	@$(VENV)/bin/mutmut export-cicd-stats > /dev/null
	@$(PY) -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); \
		run = sum(s[k] for k in ("killed", "timeout", "segfault", "survived", "suspicious", "no_tests")); \
		print("mutation score:", s["killed"] + s["timeout"] + s["segfault"], "killed /", run, "mutants run", s)'

# ---- The website chat: front-end packages, widget catalogs, browser tests -------------
.PHONY: assets widget-catalogs-extract widget-catalogs-update
NODE_STAMP := node_modules/.installed
VENDOR_STAMP := bot/web/static/vendor/.copied

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20 (with npm)"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

$(VENDOR_STAMP): $(NODE_STAMP) scripts/copy-vendor.sh
	bash scripts/copy-vendor.sh

# The page's files for a phone (bot/ops/assets.py): DSFR's parts the page uses,
# fingerprinted, gzip-precompressed, under bot/web/static/build/ (git-ignored).
ASSETS_BUILT := bot/web/static/build/manifest.json
$(ASSETS_BUILT): $(VENDOR_STAMP) bot/web/static/eig-chat.js bot/web/static/eig-chat.css bot/ops/assets.py $(VENV)/.installed
	$(PY) -m bot.ops.assets

assets: $(ASSETS_BUILT) ## npm ci if stale; copy DSFR + socket.io to bot/web/static/vendor; build the page's files

locales/%/LC_MESSAGES/widget.mo: locales/%/LC_MESSAGES/widget.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d locales -D widget -l $*

widget-catalogs-extract: install ## Extract the page and widget msgids into locales/widget.pot
	$(VENV)/bin/pybabel extract -F locales/widget.cfg -k W_ -k WN_ --no-default-keywords \
		-o locales/widget.pot --no-location --sort-output --project eig-assistant .

widget-catalogs-update: widget-catalogs-extract ## Merge new widget msgids into the fr and en widget.po
	$(VENV)/bin/pybabel update -i locales/widget.pot -d locales -D widget -w 88 --ignore-obsolete --no-fuzzy-matching

.PHONY: chromium e2e-browser
chromium: ## Install Debian's Chromium for the browser tests, if missing
	bash scripts/install-chromium.sh

e2e-browser: install catalogs assets chromium | $(MODEL) ## Browser tests of the chat page and the back office (Playwright + Chromium)
	$(VENV)/bin/pytest -q -rs tests/e2e/test_browser.py tests/e2e/test_back_office.py
