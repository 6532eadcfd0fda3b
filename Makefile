# The two commands of the README: `make book` and `make test` (`make pdf` for the PDFs, and
# `make lab` to explore).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock

.PHONY: book pdf check test lint bench verify lab lock clean

# Create the environment from the lock file; redone whenever the lock or pyproject changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/python -m analysis build

# The book and a PDF of each edition, printed by headless Chromium (installed with apt-get by
# scripts/ensure_browser.sh when missing); every page then links to its edition's PDF.
pdf: $(STAMP)
	scripts/ensure_browser.sh
	$(BIN)/python -m analysis build --pdf

verify: $(STAMP)
	$(BIN)/python -m analysis verify

check: $(STAMP)
	$(BIN)/python -m analysis check

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

# The browser tests need Debian's Chromium and a CJK font: installed with apt-get when missing.
test: $(STAMP) lint
	scripts/ensure_browser.sh
	$(BIN)/python -m pytest

# JupyterLab on the chapter notebooks, run from chapters/ as "Run All" expects, with the project's
# kernel: the environment's python3 comes before any user kernel of that name. More options:
# make lab LAB_ARGS="--no-browser --port 8899". As root, Jupyter needs --allow-root.
LAB_ARGS ?=
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	cd chapters && JUPYTER_PREFER_ENV_PATH=1 $(CURDIR)/$(BIN)/jupyter lab $(ROOT_ARGS) $(LAB_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/assess.py
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/editions.py
	scripts/ensure_browser.sh
	$(BIN)/python benchmarks/preview.py

# Re-resolve the pinned versions from requirements.in (needs pip-tools).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --no-emit-find-links --no-emit-index-url --no-emit-trusted-host \
		--strip-extras -o requirements.lock requirements.in

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
