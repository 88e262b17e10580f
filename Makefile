# Gongkai — the two commands: `make run` and `make test`.
SHELL := /bin/bash
# Python 3.12: the PATH one if it really runs (a pyenv shim may not), else pyenv's install.
PYTHON ?= $(shell if python3.12 -c 'import sys' >/dev/null 2>&1; then echo python3.12; else ls -d $$HOME/.pyenv/versions/3.12.*/bin/python3.12 /usr/bin/python3.12 2>/dev/null | tail -n 1; fi)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test smoke screenshots lint typecheck security pytest system-deps bench bench-search bench-check bench-report bench-interaction bench-match bench-subscriptions bench-embed bench-web bench-render clean demo

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "需要 Python 3.12（未找到 python3.12）"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# PDFs (reply letters, annual reports) need Chinese fonts: installed here when root, else a
# clear message says what to install (GONGKAI_SKIP_FONTS=1 goes on without PDFs).
run: install
	bash scripts/install-system-deps.sh fonts
	$(BIN)/gongkai migrate --noinput
	$(BIN)/gongkai seed_wordlist
	$(BIN)/gongkai demo --if-empty
	@echo ""
	@echo "Gongkai 已启动： http://$(HOST):$(PORT)/   （工作台 http://$(HOST):$(PORT)/staff/ ）"
	@$(BIN)/gongkai demo --print-logins
	# The job consumer runs beside the development server, as in production (定时发布, reminders,
	# subscription deliveries are queued jobs); it stops with the server.
	$(BIN)/gongkai run_huey --quiet & JOBS=$$!; trap 'kill $$JOBS 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gongkai runserver $(HOST):$(PORT)

# PNG screenshots of the key public and staff pages (desktop 1366 px, phone 390 px) on the demo
# world, in its own data directory (var/screenshots), into screenshots/ (git-ignored).
screenshots: install
	nice $(BIN)/python scripts/screenshots.py --out screenshots

system-deps:
	bash scripts/install-system-deps.sh

lint: install
	$(BIN)/ruff format --check gongkai tests benchmarks conftest.py
	$(BIN)/ruff check gongkai tests benchmarks conftest.py
	# The layers of ARCHITECTURE.md (pyproject [tool.importlinter]): an upward import fails.
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy gongkai

# bandit (fails on high severity) and pip-audit of requirements.lock (fails on a known
# vulnerability; says loudly when the vulnerability service cannot be reached, and fails then
# too with GONGKAI_AUDIT_STRICT=1): scripts/security-gates.sh, issue 19.
security: install
	bash scripts/security-gates.sh

pytest: install
	bash scripts/run-tests.sh

test: install system-deps lint typecheck security pytest

# Deployment smoke test: nginx (TLS) + two gunicorn app servers + the Huey consumer, production
# settings, PostgreSQL and Redis on loopback (scripts/smoke.py; README "Deployment").
smoke: install
	bash scripts/install-system-deps.sh --smoke
	$(BIN)/python scripts/smoke.py

bench: bench-search bench-check bench-report bench-interaction bench-match bench-subscriptions bench-embed

bench-search: install
	$(BIN)/python -m benchmarks.search $(BENCH_ARGS)

bench-check: install
	$(BIN)/python -m benchmarks.check $(BENCH_ARGS)

bench-report: install
	$(BIN)/python -m benchmarks.report $(BENCH_ARGS)

bench-interaction: install
	$(BIN)/python -m benchmarks.interaction $(BENCH_ARGS)
# 政策找人: one profile against 100,000 policies with conditions (issue 14).
bench-match: install
	$(BIN)/python -m benchmarks.match $(BENCH_ARGS)
# Subscription fan-out: one new policy against 1,000,000 subscriptions, and the mail runs (issue 14).
bench-subscriptions: install
	$(BIN)/python -m benchmarks.subscriptions $(BENCH_ARGS)
# Free-text needs on the demo world: recall@10 keyword-only vs keyword + meaning (issue 14).
bench-embed: install
	$(BIN)/python -m benchmarks.embed

# Public pages under load (issue 17): the smoke test's production stack + wrk; a benchmark,
# not a test. BENCH_ARGS="--documents 1000000" for the full size (README "Benchmarks").
bench-web: install
	bash scripts/install-system-deps.sh --bench
	$(BIN)/python -m benchmarks.web $(BENCH_ARGS)

# CPU per uncached render of the same pages, in-process, production settings (issue 17);
# DATABASE_URL and BENCH_REDIS name the database and Redis; BENCH_ARGS e.g. "--documents 20000
# --compare /path/to/other/checkout".
bench-render: install
	$(BIN)/python -m benchmarks.render $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3* var/search var/media
