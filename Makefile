# Each target creates .venv on first use and reinstalls only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test test-all bench lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "seedwise needs Python >= 3.11; set PYTHON=python3.11 (or newer)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# the kernels of the common commands, compiled once (about a minute), so that each command
	@# starts without importing numba; without a C compiler the commands run on numba's JIT
	@$(BIN)/seedwise compile --quiet || echo "note: kernels not compiled ahead of time; commands load numba's JIT instead"
	@touch $(STAMP)

# OPIM-C on the embedded wiki-Vote graph, an independent Monte-Carlo check of the seeds, then CIM (RR-OPIM+)
demo: $(STAMP)
	$(BIN)/seedwise select --dataset wiki-vote --k 10 --algorithm opim-c --seed 0 --output $(VENV)/demo-seeds.csv
	@echo
	@echo "independent check: 10,000 Monte-Carlo runs of the same seeds"
	$(BIN)/seedwise spread --dataset wiki-vote --seeds-file $(VENV)/demo-seeds.csv --simulations 10000 --seed 1
	@echo
	@echo "capacity constrained IM: each of 12 active participants of the physicians network recommends 2 friends"
	$(BIN)/seedwise cim --dataset cim-physic --aps src/seedwise/datasets/cim-physic.ap.gz --ap-set 4 --k 2 --seed 0

# pytest's status passes through: 5 (no tests collected) fails the target like any other error.
# Tests marked slow run on CI (CI=1, see .ci/run) and with `make test-all`.
test: $(STAMP)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)
	$(BIN)/python -m pytest -q --runslow

# every bench/bench_*.py with its defaults (results in bench/out/; the CIM grid is run by hand, see
# bench/bench_cim.py), then bench/report.py gathers them into BENCHMARKS.md
bench: $(STAMP)
	@set -e; ls bench/bench_*.py >/dev/null 2>&1 || { echo "no benchmarks in bench/"; exit 1; }; \
	for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done; \
	$(BIN)/python bench/summarize_cim_grid.py >/dev/null; $(BIN)/python bench/report.py

lint: $(STAMP)
	@$(BIN)/python -m ruff --version >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet ruff
	$(BIN)/python -m ruff check src tests bench

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
