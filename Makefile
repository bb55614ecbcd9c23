# keyplan — two commands: `make demo` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?= -n 4

ifdef DATABASE_URL
export DATABASE_URL
endif

.PHONY: demo test install lint format clean-demo chromium khal pango

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed pango

# WeasyPrint (a plan as PDF) draws text with Pango, a system library: installed here
# when missing and run as root, as chromium is below.
pango:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
		else \
			echo "Pango is missing: install libpango-1.0-0 and libpangoft2-1.0-0 (PDF exports need them)."; exit 1; \
		fi; \
	fi

var/secret-key:
	mkdir -p var
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

# The demo runs as production does: `keyplan serve` (gunicorn) and a background worker
# that is started again should it ever stop (it waits out database errors by itself).
demo: install var/secret-key
	@export KEYPLAN_SECRET_KEY="$$(cat var/secret-key)"; \
	set -e; \
	$(BIN)/keyplan migrate --no-input; \
	if $(BIN)/keyplan shell -c "from keyplan.accounts.models import Account; raise SystemExit(0 if Account.objects.exists() else 1)"; then \
		echo "The demo territory is already loaded."; \
	else \
		$(BIN)/keyplan generate --seed 42 --adoption; \
	fi; \
	echo ""; \
	echo "Demo logins (password 'demo' for all): admin, ops, manager, rep, exec"; \
	echo "Open http://127.0.0.1:$(PORT)/"; \
	echo ""; \
	( set +e; trap 'kill $$child 2>/dev/null; exit 0' TERM; \
	  while :; do \
	    $(BIN)/keyplan db_worker --no-reload & child=$$!; wait $$child; status=$$?; \
	    echo "$$(date -u '+%F %T') the worker stopped (exit status $$status); it starts again in 5 s"; \
	    sleep 5 & wait $$!; \
	  done ) >>var/worker.log 2>&1 & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null || true' EXIT INT TERM; \
	$(BIN)/keyplan serve --bind 127.0.0.1:$(PORT)

chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Chromium is missing: install the 'chromium' package (browser tests need /usr/bin/chromium)."; exit 1; \
		fi; \
	fi

# khal, a command-line calendar, imports the calendar feed in tests/rhythm (skipped,
# saying why, without it).
khal:
	@if ! command -v khal >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq khal >/dev/null; \
		else \
			echo "khal is missing: install the 'khal' package (the calendar feed tests import into it)."; exit 1; \
		fi; \
	fi

test: install chromium khal
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	KEYPLAN_DEBUG=1 $(BIN)/keyplan makemigrations --check --dry-run
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: install
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

clean-demo:
	rm -f var/keyplan.sqlite3 var/keyplan.sqlite3-wal var/keyplan.sqlite3-shm
