# PeerPath — every command a developer or CI needs. `make demo` and `make test` are the README's two.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
EXTRAS ?= dev,postgres,redis,serve
PYTEST_ARGS ?=
# pytest-xdist: the suite spends much of its time waiting on child processes and browsers.
PYTEST_WORKERS ?= auto

.PHONY: demo test lint pytest install system-packages bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $@

install: $(VENV)/.installed

system-packages:
	@bash scripts/system-packages.sh

demo: system-packages install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "PeerPath demo: http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)"
	$(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

pytest: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint pytest

bench: install
	@bash scripts/system-packages.sh wrk
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
