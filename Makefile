# dateline: `make demo` sets everything up and runs the demo; `make test` sets up and runs the whole test suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: demo test lint bench soak audit clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 'setuptools>=78.1.1'
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/dateline demo

test: $(STAMP)
	bash scripts/test_services.sh $(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench scripts

bench: $(STAMP)
	for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

audit: $(STAMP)
	$(PY) -m pip install --quiet -c constraints.txt 'pip-audit>=2.9,<3'
	$(VENV)/bin/pip-audit --skip-editable --vulnerability-service osv || { echo "make audit: the OSV database could not be reached or a vulnerable package was found (see above)"; exit 1; }

soak: $(STAMP)
	$(PY) -m pip install --quiet -e '.[soak]'
	for f in bench/soak_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info dateline.db dateline.db-wal dateline.db-shm test-output
