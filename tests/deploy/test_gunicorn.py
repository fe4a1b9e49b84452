"""`make serve`'s web process: gunicorn with deploy/gunicorn.conf.py and the production profile,
started briefly against the test database."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.deploy.test_production_settings import GOOD_KEY, PORTAL_VARIABLES

#: The production stack runs on PostgreSQL itself (CI has it).
pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str]]:
    opener = urllib.request.build_opener(NoRedirect)
    # Only http:// to the gunicorn this test started.
    request = urllib.request.Request(url, headers={"Host": "portal.example.org", **headers})  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.fixture
def gunicorn(db: None, tmp_path: Path) -> Iterator[str]:
    """gunicorn's address; what it prints goes to ``tmp_path / "gunicorn.log"``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=database_url(),
        REDIS_URL=settings.REDIS_URL or "redis://127.0.0.1:6379/15",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (
                f"gunicorn ended:\n{(tmp_path / 'gunicorn.log').read_text()}"
            )
            with contextlib.suppress(OSError):  # not listening yet
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_gunicorn_serves_the_production_profile(gunicorn: str) -> None:
    # The load balancer's health checks come over plain HTTP and are answered.
    status, _ = fetch(f"{gunicorn}/healthz")
    assert status == 200
    # Everything else goes to HTTPS.
    status, headers = fetch(f"{gunicorn}/impressum/")
    assert status == 301
    assert headers["Location"].startswith("https://portal.example.org/")
    # Behind the TLS proxy (a trusted address, FORWARDED_ALLOW_IPS): HSTS and the other headers;
    # /readyz reaches PostgreSQL and Redis from the gunicorn worker.
    status, headers = fetch(f"{gunicorn}/readyz", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_the_workers_are_forked_from_a_warmed_up_master(gunicorn: str, tmp_path: Path) -> None:
    # The fixture waited for the worker's answer to /healthz.
    log = (tmp_path / "gunicorn.log").read_text()
    # lpr_portal/warmup.py ran once, in the master, before the worker booted.
    assert log.count("Warmed up: URL configuration, 2 languages") == 1
    assert log.index("Warmed up") < log.index("Booting worker")
