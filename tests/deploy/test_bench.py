"""`make bench` (scripts/bench.py, scripts/bench_measure.py): its measuring parts on a small scale.

The full run (a served stack under wrk) is `make bench` itself; here each part is checked with
something real: wrk against a tiny HTTP server, the memory of a child process, e-mail through
Django's SMTP backend into the sink, the query count of a page, and every page the benchmark
loads answering 200 to its person on a small benchmark state.
"""

from __future__ import annotations

import http.server
import importlib.util
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from councils.models import User

ROOT = Path(__file__).resolve().parent.parent.parent


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


measure = _load("bench_measure")
bench = _load("bench")


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 200 if self.path == "/ok" else 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: Any) -> None:
        """Keep the test's output free of the server's access log."""


@pytest.fixture
def http_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_wrk_counts_requests_and_answers_that_are_not_200(http_server: str) -> None:
    if shutil.which("wrk") is None:
        # Where wrk is missing the benchmark says how to get it instead of measuring nothing.
        with pytest.raises(RuntimeError, match="apt-get install wrk"):
            measure.run_wrk(http_server + "/ok", headers={}, seconds=1, connections=1)
        return
    ok = measure.run_wrk(http_server + "/ok", headers={"X-A": "b"}, seconds=1, connections=2)
    assert ok.requests > 10 and ok.not_ok == 0 and ok.socket_errors == 0
    assert 0 < ok.p50_ms <= ok.p95_ms <= ok.p99_ms <= ok.max_ms
    assert ok.per_second == pytest.approx(ok.requests / ok.seconds)
    missing = measure.run_wrk(http_server + "/nope", headers={}, seconds=1, connections=1)
    assert missing.requests > 0 and missing.not_ok == missing.requests


def test_the_memory_of_child_processes_is_sampled() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; data = bytearray(40 * 2**20); time.sleep(30)"]
    )
    try:
        sampler = measure.MemorySampler(parent=measure.os.getpid(), interval=0.05)

        def holds_its_memory() -> bool:
            sampler.sample()
            return sampler.peak_kib.get(child.pid, 0) > 40 * 1024

        measure.wait_until(holds_its_memory, timeout=20, interval=0.1)
        assert child.pid in measure.children_of(measure.os.getpid())
        assert sampler.max_mib >= 40
    finally:
        child.kill()
        child.wait()
    assert measure.resident_kib(child.pid) == (0, 0)


def test_the_mail_sink_receives_what_djangos_smtp_backend_sends() -> None:
    sink = measure.MailSink().start()
    try:
        connection = mail.get_connection(
            "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=sink.port
        )
        sent = mail.send_mail("Erinnerung", "Text\n.\nmehr", "a@example.org", ["b@example.org"],
                              connection=connection)  # fmt: skip
        assert sent == 1
        measure.wait_until(lambda: sink.received == 1, timeout=5, interval=0.05)
    finally:
        sink.shutdown()
        sink.server_close()


def test_the_tables_give_each_page_its_share_of_healthz() -> None:
    fast = measure.Load(400, 2.0, 0, 0, 4.0, 9.0, 12.0, 20.0)
    slow = measure.Load(10, 2.0, 0, 0, 300.0, 500.0, 600.0, 700.0)
    pages = [
        measure.PageFigures(
            "state staff",
            "/foerderung/antraege/",
            11,
            slow,
            sql_ms=12.5,
            alone_ms=250.0,
            cached_queries=4,
            cached_ms=20.0,
        ),
        measure.PageFigures("anonymous", "/", 1, fast),
        measure.PageFigures("anonymous", "/gone/", None, None, "answered 404, not loaded"),
    ]
    table = measure.page_table(pages, healthz=200.0)
    lines = table.splitlines()
    assert lines[0].startswith(
        "| role | page | SQL | SQL ms | alone ms | cached SQL | cached ms | requests | median ms |"
    )
    assert (
        "| state staff | `/foerderung/antraege/` | 11 | 12.5 | 250 | 4 | 20.0 | 10 | 300 | 500 "
        "| 5.0 | 2.5 % |" in lines
    )
    assert "| anonymous | `/` | 1 | – | – | – | – | 400 | 4.0 | 9.0 | 200.0 | 100.0 % |" in lines
    assert "(answered 404, not loaded) | – | – | – | – | – | – |" in table
    assert measure.slow_pages(pages, 200.0) == [pages[0]]


@pytest.mark.django_db
def test_the_query_count_is_that_of_the_signed_in_page() -> None:
    user = User.objects.create_user("bench-user", password="x")
    client = Client()
    client.force_login(user)
    session = bench.Session({"sessionid": client.cookies[settings.SESSION_COOKIE_NAME].value})
    page = bench.count_queries(session, "/benachrichtigungen/")
    assert page.status == 200 and page.queries > 0
    assert 0 < page.sql_ms < page.total_ms
    # Anonymous: the page sends the visitor to the login page.
    assert bench.count_queries(None, "/benachrichtigungen/").status == 302


@pytest.fixture(scope="module")
def _small_state(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_demo",
            "--force",
            "--scale",
            "state",
            # 600 people: the state office gets a staff member besides its two admins.
            *("--councils", "4", "--ngos", "3", "--users", "600", "--years", "2"),
            *("--requests-per-year", "30"),
            stdout=StringIO(),
        )
        yield media
        transaction.set_rollback(True)


def test_every_page_of_the_plan_answers_its_person(
    _small_state: Path, db: None, settings: Any
) -> None:
    settings.MEDIA_ROOT = _small_state
    roles = bench.plan_roles()
    assert [role.label for role in roles] == [
        "anonymous",
        "state admin",
        "state staff",
        "council coordinator",
        "council member",
        "NGO representative",
        "platform admin",
    ]
    for role in roles:
        client = Client()
        if role.username:
            client.force_login(User.objects.get(username=role.username))
        for path in role.paths:
            assert client.get(path).status_code == 200, (role.label, path)


def test_the_report_shows_the_slowest_query_readably() -> None:
    cursor = (
        'DECLARE "_django_curs_1_sync_2" NO SCROLL CURSOR WITH HOLD FOR SELECT "o"."id", '
        '"o"."state_id", "o"."kind", "o"."name", "o"."region_id" FROM "councils_organisation" '
        'WHERE "o"."state_id" = 3\n ORDER BY "o"."name"'
    )
    assert measure.short_sql(cursor) == (
        '[server-side cursor] SELECT … FROM "councils_organisation" WHERE "o"."state_id" = 3 '
        'ORDER BY "o"."name"'
    )
    count = 'SELECT COUNT(*) AS "__count" FROM "funding_fundingrequest"'
    assert measure.short_sql(count) == count
    assert measure.short_sql(count, length=20) == "SELECT COUNT(*) AS …"
