# Supervision and caseload analytics. `make` alone lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PROJECT_ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
VENV := $(PROJECT_ROOT)/.venv
PYTHON := $(VENV)/bin/python
KERNEL := supervision-caseload
SYSTEM_PYTHON ?= python3

MONTH ?=
FROM ?=
TO ?=
DATA ?= $(PROJECT_ROOT)/data/sample
OUT ?= $(PROJECT_ROOT)/reports
CONFIG ?=
CONFIG_ARG := $(if $(CONFIG),--config "$(CONFIG)",)
FROM_ARG := $(if $(FROM),--from "$(FROM)",)
# The reports' language (not LANG, the shell's locale): en, cy or both.
REPORT_LANG_ARG := $(if $(REPORT_LANG),--lang "$(REPORT_LANG)",)

.PHONY: help
help: ## List the targets
	@echo "Usage: make TARGET [MONTH=YYYY-MM] [FROM=YYYY-MM] [TO=YYYY-MM] [DATA=dir] [CONFIG=file]"
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

# Three staged installs, each pinned: what a report needs, what the lab adds, what the tests add.
# uv (a pinned registry package) installs them; pip only bootstraps it.
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
REQUIREMENTS := $(PROJECT_ROOT)/requirements
REPORT_STAMP := $(VENV)/.installed-report
LAB_STAMP := $(VENV)/.installed-lab
TEST_STAMP := $(VENV)/.installed-test

$(REPORT_STAMP): $(REQUIREMENTS)/report.lock $(PROJECT_ROOT)/pyproject.toml $(PROJECT_ROOT)/setup.py
	test -x "$(PYTHON)" || $(SYSTEM_PYTHON) -m venv "$(VENV)"
	test -x "$(UV)" || "$(PYTHON)" -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	"$(UV)" pip install --quiet --python "$(PYTHON)" -r "$(REQUIREMENTS)/report.lock"
	"$(UV)" pip install --quiet --python "$(PYTHON)" --no-deps -e "$(PROJECT_ROOT)"
	"$(PYTHON)" -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (supervision-caseload)" > /dev/null
	touch "$(REPORT_STAMP)"

$(LAB_STAMP): $(REPORT_STAMP) $(REQUIREMENTS)/lab.lock
	"$(UV)" pip install --quiet --python "$(PYTHON)" -r "$(REQUIREMENTS)/lab.lock"
	touch "$(LAB_STAMP)"

$(TEST_STAMP): $(LAB_STAMP) $(REQUIREMENTS)/test.lock
	"$(UV)" pip install --quiet --python "$(PYTHON)" -r "$(REQUIREMENTS)/test.lock"
	-cd "$(PROJECT_ROOT)" && test -d .git && "$(VENV)/bin/pre-commit" install > /dev/null
	touch "$(TEST_STAMP)"

.PHONY: setup
setup: $(TEST_STAMP) ## Create .venv with everything: the report, the lab and the test tools (each pinned)

.PHONY: test
test: $(TEST_STAMP) ## Run every test (unit, property, notebooks, browser, email)
	cd $(PROJECT_ROOT) && $(PYTHON) -m pytest -n 2 --dist loadgroup

.PHONY: test-busy
test-busy: ## Run two clean clones' `make test` at the same time, ROUNDS times (default 3): the suite on a busy machine
	cd "$(PROJECT_ROOT)" && ROUNDS="$(or $(ROUNDS),3)" bash tests/busy_machine.sh

.PHONY: test-fast
test-fast: $(TEST_STAMP) ## Run the tests that take seconds, not minutes
	cd $(PROJECT_ROOT) && $(PYTHON) -m pytest -m "not slow" -n 2

.PHONY: lint
lint: $(TEST_STAMP) ## Lint, check formatting (ruff) and types (mypy, strict on the definitions); `make format` rewrites
	cd "$(PROJECT_ROOT)" && "$(VENV)/bin/ruff" check src tests benchmarks && "$(VENV)/bin/ruff" format --check src tests benchmarks
	cd "$(PROJECT_ROOT)" && "$(VENV)/bin/mypy"

.PHONY: format
format: $(TEST_STAMP) ## Format the code (ruff)
	cd "$(PROJECT_ROOT)" && "$(VENV)/bin/ruff" check --fix src tests benchmarks && "$(VENV)/bin/ruff" format src tests benchmarks

.PHONY: validate
validate: $(REPORT_STAMP) ## Check a data folder (DATA=dir) and list every problem
	"$(PYTHON)" -m analysis validate --data "$(DATA)" $(CONFIG_ARG)

.PHONY: tables
tables: $(REPORT_STAMP) ## Write the CSV tables for MONTH into OUT/MONTH/tables
	@test -n "$(MONTH)" || (echo "Give a month: make tables MONTH=2019-12" && exit 2)
	"$(PYTHON)" -m analysis tables --data "$(DATA)" --month "$(MONTH)" $(FROM_ARG) $(CONFIG_ARG) --out "$(OUT)/$(MONTH)/tables"

.PHONY: report
report: $(REPORT_STAMP) ## Write the month's reports: make report MONTH=2019-12 [FROM=2019-09] [REPORT_LANG=en|cy|both]
	@test -n "$(MONTH)" || (echo "Give a month: make report MONTH=2019-12" && exit 2)
	"$(PYTHON)" -m analysis report --month "$(MONTH)" $(FROM_ARG) --data "$(DATA)" --out "$(OUT)" $(CONFIG_ARG) $(REPORT_LANG_ARG)

.PHONY: reports
reports: $(REPORT_STAMP) ## Write a report for every month FROM..TO: make reports FROM=2019-01 TO=2019-12
	@test -n "$(FROM)" -a -n "$(TO)" || (echo "Give the months: make reports FROM=2019-01 TO=2019-12" && exit 2)
	"$(PYTHON)" -m analysis report --month "$(FROM):$(TO)" --data "$(DATA)" --out "$(OUT)" $(CONFIG_ARG) $(REPORT_LANG_ARG)

.PHONY: answer
answer: $(REPORT_STAMP) ## Write the committee answer, Word and PDF, English and Welsh: make answer MONTH=2019-12 [QUESTION=file] [ANSWER_LANG=en|cy|both]
	@test -n "$(MONTH)" || (echo "Give a month: make answer MONTH=2019-12" && exit 2)
	"$(PYTHON)" -m analysis answer --month "$(MONTH)" $(FROM_ARG) --data "$(DATA)" --out "$(OUT)" $(CONFIG_ARG) $(if $(QUESTION),--question "$(QUESTION)",) --lang "$(or $(ANSWER_LANG),both)"

.PHONY: email
email: $(REPORT_STAMP) ## Email the month's leadership reports (SMTP_* settings from the environment or .env) [REPORT_LANG=en|cy|both]
	@test -n "$(MONTH)" || (echo "Give a month: make email MONTH=2019-12" && exit 2)
	"$(PYTHON)" -m analysis email --month "$(MONTH)" --reports "$(OUT)" $(if $(DRY_RUN),--dry-run,) $(if $(RESEND),--resend,) $(REPORT_LANG_ARG)

.PHONY: lab
lab: $(LAB_STAMP) ## Open JupyterLab on the project kernel
	cd $(PROJECT_ROOT) && $(VENV)/bin/jupyter lab --notebook-dir=$(PROJECT_ROOT)/notebooks

.PHONY: synth
synth: $(REPORT_STAMP) ## Regenerate the synthetic sample authority in data/sample
	$(PYTHON) -m analysis synth --out $(PROJECT_ROOT)/data/sample

.PHONY: bench
bench: $(TEST_STAMP) ## Time the pipeline against its baselines and print the ratios
	cd $(PROJECT_ROOT) && $(PYTHON) benchmarks/run.py

.PHONY: mutation
mutation: $(TEST_STAMP) ## Mutation-test the definition modules (mutmut; slow, not in CI) and print the score per module
	"$(UV)" pip install --quiet --python "$(PYTHON)" "mutmut==3.8.1"
	cd "$(PROJECT_ROOT)" && rm -rf mutants && HYPOTHESIS_EXAMPLES_SCALE=0.25 "$(VENV)/bin/mutmut" run --max-children 2 > /dev/null || true
	cd "$(PROJECT_ROOT)" && "$(PYTHON)" tests/mutation_scores.py

.PHONY: messages
messages: $(REPORT_STAMP) ## Update the message catalogues (.po) from the code and list what is left to translate
	cd "$(PROJECT_ROOT)" && "$(PYTHON)" -m analysis.vocabulary.messages

.PHONY: tables-doc
tables-doc: $(REPORT_STAMP) ## Write the data dictionary (docs/tables.md) from the tables' specs
	cd "$(PROJECT_ROOT)" && "$(PYTHON)" -m analysis.table_docs

.PHONY: strip
strip: $(TEST_STAMP) ## Strip outputs from the notebooks (also a pre-commit hook)
	$(VENV)/bin/nbstripout $(PROJECT_ROOT)/notebooks/*.ipynb

.PHONY: lock
lock: $(TEST_STAMP) ## Re-pin requirements/{report,lab,test}.lock from the current environment
	"$(PYTHON)" "$(REQUIREMENTS)/lock.py"

.PHONY: clean
clean: ## Remove reports and caches (keeps .venv)
	rm -rf $(PROJECT_ROOT)/reports $(PROJECT_ROOT)/.pytest_cache $(PROJECT_ROOT)/.hypothesis
	find $(PROJECT_ROOT) -name __pycache__ -type d -prune -exec rm -rf {} +
