# LPR Portal: `make run` serves the demo, `make test` runs the whole suite.
# GNU make. Everything runs inside the virtualenv in .venv, created on first use.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Re-installs only when pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
# Links in e-mails point to the port being served unless SITE_URL is set explicitly.
SITE_URL ?= http://127.0.0.1:$(PORT)
ARGS ?=

# Apps with their own locale/ directory; the German catalogue of each lives in
# <app>/locale/de/LC_MESSAGES/django.po.
LOCALE_APPS := templates lpr_portal core councils accounts audit notifications strategy funding exchange spaces
# The exact options used to extract message ids. tests/test_translations.py reads LOCALE_APPS and
# MAKEMESSAGES_OPTIONS from this file, so the completeness test extracts the same way.
# By hand: cd <app> && ../.venv/bin/django-admin makemessages $(MAKEMESSAGES_OPTIONS)
MAKEMESSAGES_OPTIONS := -l de --no-obsolete --ignore=.venv --ignore=migrations --ignore=static --ignore=staticfiles --ignore=media

.PHONY: help install run test bench lint format messages messages-extract compile-messages worker beat seed print-makemessages-options serve backup restore cluster-check

help:
	@echo "make run       set up the virtualenv, database and demo, serve on http://127.0.0.1:$(PORT)/"
	@echo "make test      run the whole test suite (ARGS=\"-k foo\" passes options to pytest)"
	@echo "make lint      ruff check, ruff format --check, mypy, makemigrations --check, manage.py check"
	@echo "make format    ruff format and ruff check --fix"
	@echo "make messages  update the German .po files of $(LOCALE_APPS)"
	@echo "make worker    a Celery worker (needs REDIS_URL; DEBUG=true in development)"
	@echo "make beat      the Celery beat scheduler (needs REDIS_URL; DEBUG=true in development)"
	@echo "make seed      load the demo data (DEBUG=true; adds only what is missing)"
	@echo "make serve     the production stack: gunicorn, Celery worker and beat (DJANGO_ENV=production;"
	@echo "               needs DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS)"
	@echo "make backup    pg_dump -Fc and the media folder into BACKUP_DIR (default backups/)"
	@echo "make restore   BACKUP=backups/lpr-backup-… into DATABASE_URL (FORCE=1 over a non-empty one)"
	@echo "make bench     seed --scale state (SCALE=federal: 16 states) into BENCH_DATABASE_URL, serve it"
	@echo "               with the production stack and measure every role's pages under wrk"
	@echo "make cluster-check  two web nodes behind HAProxy, two workers; kills one of each mid-journey"

$(PY):
	@if command -v python3.11 >/dev/null 2>&1 && python3.11 -m venv $(VENV); then \
		echo "Created $(VENV) with python3.11"; \
	else \
		echo "python3.11 not usable, creating $(VENV) with python3"; \
		python3 -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

compile-messages: install
	@# The compiled .mo files are committed, so a machine without gettext still runs the portal;
	@# the translation test fails when a committed .mo does not match its .po.
	@if command -v msgfmt >/dev/null 2>&1; then \
		DEBUG=true $(MANAGE) compilemessages --ignore=.venv --verbosity 0; \
	else \
		echo "msgfmt not found (gettext): using the committed .mo files"; \
	fi

# Refresh the German catalogues from the source: one makemessages run inside each app directory,
# so every app keeps its own messages. Python files and templates are both extracted (domain django).
messages-extract: install
	@for app in $(LOCALE_APPS); do \
		echo "makemessages in $$app/"; \
		mkdir -p $$app/locale; \
		(cd $$app && ../$(VENV)/bin/django-admin makemessages $(MAKEMESSAGES_OPTIONS)); \
	done

messages: messages-extract compile-messages

print-makemessages-options:
	@echo '$(MAKEMESSAGES_OPTIONS)'

run: compile-messages
	DEBUG=true $(MANAGE) migrate --no-input
	@status=0; DEBUG=true $(PY) scripts/demo_status.py || status=$$?; \
	if [ $$status -eq 3 ]; then \
		echo "Empty database: loading the demo data"; \
		DEBUG=true $(MANAGE) seed_demo; \
		echo "Password of the demo accounts: $${DEMO_PASSWORD:-demo}"; \
	elif [ $$status -ne 0 ]; then \
		exit $$status; \
	fi
	DEBUG=true SITE_URL=$(SITE_URL) $(MANAGE) runserver 127.0.0.1:$(PORT)

seed: install
	DEBUG=true $(MANAGE) migrate --no-input
	DEBUG=true $(MANAGE) seed_demo

test: compile-messages
	$(PY) scripts/run_tests.py $(ARGS)

# `make bench` (SCALE=state or federal): a fresh database seeded at that scale, served by the
# production stack (scripts/serve.sh: gunicorn and a Celery worker, DJANGO_ENV=production), the
# main pages of every role under wrk, exports, a letter, the reminder run and the workers' memory
# (scripts/bench.py; figures, no assertions; results in docs/benchmarks.md). The benchmark
# database and Redis database are emptied at the start: never point them at real data.
SCALE ?= state
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lpr_bench_$(SCALE)
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/9
BENCH_PORT ?= 8765
BENCH_ARGS ?=
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
	ALLOWED_HOSTS=127.0.0.1,localhost \
	SECRET_KEY=bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz

bench: install
	$(BENCH_ENV) $(PY) scripts/bench.py --scale $(SCALE) --fresh --port $(BENCH_PORT) $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	DEBUG=true $(MANAGE) makemigrations --check --dry-run
	DEBUG=true $(MANAGE) check

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Beside `make run` in development: DEBUG=true make worker. Production: `make serve`.
worker: install
	$(VENV)/bin/celery -A lpr_portal worker -l info

beat: install
	$(VENV)/bin/celery -A lpr_portal beat -l info

# Production: migrate, collectstatic, then gunicorn (deploy/gunicorn.conf.py), a Celery worker
# and Celery beat with DJANGO_ENV=production. Fails at once when DATABASE_URL, REDIS_URL,
# SECRET_KEY or ALLOWED_HOSTS are missing. SERVE_ROLES=web (or worker, beat) for one part only.
serve: install
	VENV=$(VENV) scripts/serve.sh

BACKUP_DIR ?= backups
BACKUP ?=
FORCE ?=

# pg_dump -Fc of DATABASE_URL and a tar of MEDIA_ROOT into $(BACKUP_DIR)/lpr-backup-<timestamp>/.
backup: install
	BACKUP_DIR=$(BACKUP_DIR) $(PY) scripts/backup.py backup

# make restore BACKUP=backups/lpr-backup-… [FORCE=1]: into DATABASE_URL and MEDIA_ROOT.
restore: install
	BACKUP=$(BACKUP) FORCE=$(FORCE) $(PY) scripts/backup.py restore

# Several machines, proven on one: two gunicorn nodes behind HAProxy and two Celery workers on a
# fresh database; one node and one worker are killed in the middle of a funding and an exchange
# journey, and the run shows that nothing was lost or done twice (scripts/cluster_check.py).
# Needs haproxy, redis-server and openssl (Debian packages) and PostgreSQL; installs nothing.
cluster-check: install
	$(PY) scripts/cluster_check.py $(ARGS)
