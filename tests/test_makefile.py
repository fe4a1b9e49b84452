"""The Makefile's run target: links in e-mails follow the port being served."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _runserver_line(**env: str) -> str:
    """The runserver command `make run` would execute (dry run, nothing is executed)."""
    environ = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "PORT"}}
    environ.update(env)
    output = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, env=environ, capture_output=True, text=True, check=True
    ).stdout
    return next(line for line in output.splitlines() if "runserver" in line)


def test_run_with_port_points_site_url_to_that_port() -> None:
    line = _runserver_line(PORT="8123")
    assert "SITE_URL=http://127.0.0.1:8123 " in line
    assert line.endswith("runserver 127.0.0.1:8123")


def test_run_keeps_an_explicit_site_url() -> None:
    line = _runserver_line(PORT="8123", SITE_URL="https://portal.example.org")
    assert "SITE_URL=https://portal.example.org " in line
