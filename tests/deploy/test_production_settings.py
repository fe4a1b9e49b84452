"""The production profile loads with its environment and refuses to load without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lpr_portal.settings_guard import (
    DEVELOPMENT_SECRET_KEY,
    configuration_problems,
    secret_key_problem,
)

ROOT = Path(__file__).resolve().parent.parent.parent
GOOD_KEY = "k3Y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN"
#: Every variable the settings read that could make a run of this machine pass by accident.
PORTAL_VARIABLES = {
    "DEBUG",
    "DJANGO_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "DJANGO_SETTINGS_MODULE",
    "CONN_MAX_AGE",
    "DB_PREPARED_STATEMENTS",
}
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://lpr:secret@db.example.org:5432/lpr_portal",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}
PRINT_SETTINGS = """
import json, lpr_portal.settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY", "SESSION_ENGINE", "AXES_HANDLER")} | {
    "cache": s.CACHES["default"]["BACKEND"], "static": s.STORAGES["staticfiles"]["BACKEND"],
    "media": s.STORAGES["default"]["BACKEND"], "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "conn_max_age": s.DATABASES["default"]["CONN_MAX_AGE"],
    "conn_health_checks": s.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "db_options": s.DATABASES["default"].get("OPTIONS", {})}))
"""


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter (no pytest there) with only `env` set."""
    clean = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env={**clean, "ENV_FILE": "", **env},  # a developer's .env must not fill in the gaps
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_profile_loads_with_its_environment() -> None:
    result = load_settings(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["DEBUG"] is False
    assert loaded["ALLOWED_HOSTS"] == ["portal.example.org"]
    assert loaded["SESSION_COOKIE_SECURE"] and loaded["SESSION_COOKIE_HTTPONLY"]
    assert loaded["CSRF_COOKIE_SECURE"] and loaded["CSRF_COOKIE_HTTPONLY"]
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SECURE_HSTS_SECONDS"] >= 31536000
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert loaded["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert loaded["X_FRAME_OPTIONS"] == "DENY"
    assert loaded["SECURE_REFERRER_POLICY"] == "same-origin"
    # No state in the web process: the shared Redis cache, sessions and lock-outs in the
    # database, tasks go to the broker (`make cluster-check` proves it with two nodes).
    assert loaded["cache"] == "core.cache.RedisCache"
    assert loaded["SESSION_ENGINE"] == "core.sessions"
    assert loaded["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"
    assert loaded["eager"] is False
    assert loaded["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert loaded["media"] == "django.core.files.storage.FileSystemStorage"
    # Each worker keeps its database connection instead of opening one per request.
    assert (loaded["conn_max_age"], loaded["conn_health_checks"]) == (60, True)
    # PostgreSQL prepares the statements a connection repeats; a pooler that cannot keep them
    # (PgBouncer in transaction mode before 1.21) is served with DB_PREPARED_STATEMENTS=false.
    prepared = {"server_side_binding": True, "prepare_threshold": 5}
    assert loaded["db_options"] == prepared
    pooled = load_settings({**PRODUCTION_ENV, "DB_PREPARED_STATEMENTS": "false"})
    assert pooled.returncode == 0, pooled.stderr
    assert json.loads(pooled.stdout)["db_options"] == {}

    with_bucket = load_settings({**PRODUCTION_ENV, "AWS_STORAGE_BUCKET_NAME": "lpr-media"})
    assert with_bucket.returncode == 0, with_bucket.stderr
    assert json.loads(with_bucket.stdout)["media"] == "storages.backends.s3.S3Storage"


def test_debug_off_without_environment_refuses_to_start_naming_every_variable() -> None:
    result = load_settings({})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        assert f"{name} fehlt" in result.stderr or f"{name} ist leer" in result.stderr
        assert f"{name} is missing" in result.stderr or f"{name} is empty" in result.stderr

    production = load_settings({"DJANGO_ENV": "production"})
    assert production.returncode != 0
    assert "REDIS_URL is missing" in production.stderr


def test_development_and_default_keys_are_refused() -> None:
    assert secret_key_problem("") is not None
    assert secret_key_problem(DEVELOPMENT_SECRET_KEY) is not None
    assert secret_key_problem("django-insecure-" + "x" * 60) is not None
    assert secret_key_problem("short-key") is not None
    assert secret_key_problem("a" * 60) is not None  # too few different characters
    assert secret_key_problem(GOOD_KEY) is None


@pytest.mark.parametrize(
    ("missing", "text"),
    [
        ("SECRET_KEY", "SECRET_KEY is missing"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS is empty"),
        ("DATABASE_URL", "DATABASE_URL is missing"),
        ("REDIS_URL", "REDIS_URL is missing"),
    ],
)
def test_each_missing_variable_is_named(missing: str, text: str) -> None:
    environ = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    hosts = [] if missing == "ALLOWED_HOSTS" else ["portal.example.org"]
    problems = configuration_problems(environ, allowed_hosts=hosts, production=True, debug=False)
    assert len(problems) == 1 and problems[0][1].startswith(text)


def test_debug_in_the_production_profile_is_refused() -> None:
    problems = configuration_problems(
        PRODUCTION_ENV, allowed_hosts=["portal.example.org"], production=True, debug=True
    )
    assert len(problems) == 1 and "DEBUG" in problems[0][1]


def test_complete_production_environment_has_no_problem() -> None:
    assert (
        configuration_problems(
            PRODUCTION_ENV, allowed_hosts=["portal.example.org"], production=True, debug=False
        )
        == []
    )


def test_the_code_checks_run_on_a_fresh_clone_without_the_production_variables() -> None:
    """`manage.py check` and `makemigrations --check` neither serve nor touch data."""
    clean = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    clean = {**clean, "ENV_FILE": ""}

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=clean,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert manage("check").returncode == 0
    assert manage("makemigrations", "--check", "--dry-run").returncode == 0
    refused = manage("migrate", "--plan")  # this one would touch the database
    assert refused.returncode != 0 and "DATABASE_URL" in refused.stderr
