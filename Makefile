# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint format bench train clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.deps-run: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.deps-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.deps-run

# A fresh machine gets 30 days of simulated traffic in the demo log, so the
# monitoring page has something to show; delete .request-log to start over.
run: $(VENV)/.deps-run
	@test -d .request-log || $(PY) -m local_api.simulate --days 30 --per-day 200
	$(PY) -m streamlit run streamlit_app.py --server.port $(PORT)

test: $(VENV)/.deps-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(VENV)/.deps-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.deps-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

train: $(VENV)/.deps-dev
	$(PY) -m local_api.train --data ../shared/data/laptopPrice.csv

bench: $(VENV)/.deps-dev
	for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
