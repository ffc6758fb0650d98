# Helpdesk Commons: `make run` starts the site with demo content, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint format messages clean load soak

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

var:
	mkdir -p var

run: install | var
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	$(MANAGE) wagtail_update_index
	$(MANAGE) search_reindex
	@echo ""
	@echo "  Helpdesk Commons is at http://$(HOST):$(PORT)/"
	@echo "  Editor admin:  http://$(HOST):$(PORT)/admin/  (user: editor  password: demo-editor-pass)"
	@echo "  Reviewer:      reviewer / demo-reviewer-pass    Everything: admin / demo-admin-pass"
	@echo "  Community:     member / demo-member-pass    expert / demo-expert-pass    moderator / demo-moderator-pass"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

test: install | var
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install | var
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

# Load against gunicorn (2 workers) on a throwaway site: SQLite, or PostgreSQL when DATABASE_URL
# points at one (a fresh database is created and dropped; the role needs CREATEDB). The server
# runs with RATE_LIMITS_ENABLED=false since every simulated user comes from this machine.
# `make load`: the short form CI runs; `make soak`: 50 users, full demo content,
# SOAK_SECONDS of load (`make soak SOAK_SECONDS=1800` for half an hour).
LOAD_USERS ?= 50
LOAD_SECONDS ?= 25
SOAK_USERS ?= 50
SOAK_SECONDS ?= 60

load: install
	$(BIN)/python -m bench.loadsite --users $(LOAD_USERS) --duration $(LOAD_SECONDS) --seed short --out test-artifacts/load-short.json

soak: install
	$(BIN)/python -m bench.loadsite --users $(SOAK_USERS) --duration $(SOAK_SECONDS) --seed demo --out test-artifacts/soak.json

lint: install
	$(BIN)/ruff check .
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(MANAGE) makemessages --all --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(MANAGE) compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache

# Benchmarks (bench/README.md): a synthetic support corpus on a throwaway site (temporary SQLite,
# or a fresh PostgreSQL database when DATABASE_URL points at one), both search backends
# (osmem-server unless ELASTICSEARCH_URL is set), page speed under gunicorn, and machina's own
# forum search as the baseline. Results: bench/results/latest.md and latest.json. Extra options:
# make bench-quick BENCH_ARGS="--skip-machina --keep" (README "Runtime" for how long each takes).
.PHONY: bench bench-quick

bench: install
	$(BIN)/python -m bench.run --docs 100000 $(BENCH_ARGS)

bench-quick: install
	$(BIN)/python -m bench.run --docs 10000 --quick $(BENCH_ARGS)
