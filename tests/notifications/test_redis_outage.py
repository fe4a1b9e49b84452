"""Redis stops in the middle of the work: nothing is lost, the e-mails go out once it is back.

A redis-server of this test's own (on a free port from 6390 on, never the shared one) is the
broker of a real Celery worker process, which sends through the real SMTP backend to a sink that
counts every message by its Message-ID. While Redis is down (killed: what it held is gone), the
portal still takes a submission and a decision; their e-mails and the decision letter stay due in
PostgreSQL. When Redis is back, the worker reconnects and the periodic tasks (queued here as beat
queues them) send every e-mail exactly once and make the letter once.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.urls import reverse

from funding.models import Decision, FundingRequest, Letter
from funding.models import RequestStatus as S
from funding.tasks import make_missing_letters
from lpr_portal.celery import app as celery_app
from notifications.models import Notification
from notifications.services import notifications_send_pending
from notifications.tasks import send_pending_emails
from scripts.smtp_sink import SmtpSink
from tests.conftest import World, build_world
from tests.deploy.test_gunicorn import database_url
from tests.deploy.test_production_settings import PORTAL_VARIABLES
from tests.funding.factories import advance, make_draft, make_programme
from tests.notifications.test_real_worker import in_process, reconfigure

pytestmark = [
    pytest.mark.real_worker,
    # The worker is a process of its own and reads the test database through PostgreSQL.
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parent.parent.parent
CELERY = ROOT / ".venv" / "bin" / "celery"
TIMEOUT = 20.0
CONFIRMED = {"step": "confirm", "confirm": "on", "action": "apply"}


def wait_until(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting until {what}")
        time.sleep(0.05)


def free_port(start: int = 6390) -> int:
    for port in range(start, start + 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port from {start} on")


class OwnRedis:
    """A redis-server without persistence: killing it loses whatever it held."""

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.binary = binary
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        """This test's server answers (not another one that took the port meanwhile)."""
        assert self.process is not None
        if self.process.poll() is not None:
            pytest.fail(f"redis-server on port {self.port} ended at once (port taken?)")
        try:
            info = redis.Redis(port=self.port, socket_connect_timeout=0.5).info("server")
        except redis.RedisError:
            return False
        return bool(info["process_id"] == self.process.pid)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, "redis-server answers", 10)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def broker(own_redis: OwnRedis, settings: Any) -> Iterator[OwnRedis]:
    """This process queues its tasks to the test's own Redis (restored afterwards)."""
    keys = ("broker_url", "task_always_eager")
    saved = {key: celery_app.conf[key] for key in keys}
    settings.REDIS_URL = own_redis.url  # what /readyz looks at
    celery_app.conf.update(broker_url=own_redis.url, task_always_eager=False)
    reconfigure()
    try:
        yield own_redis
    finally:
        celery_app.conf.update(saved)
        reconfigure()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        yield running


class Worker:
    def __init__(self, log: Path) -> None:
        self.log = log

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def connections(self) -> int:
        return len(re.findall(r"Connected to redis://", self.text()))


@pytest.fixture
def worker(
    broker: OwnRedis, sink: SmtpSink, transactional_db: None, tmp_path: Path, settings: Any
) -> Iterator[Worker]:
    """A real Celery worker process: the test database, the own Redis, the SMTP sink."""
    env = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES and "EMAIL" not in k}
    env.update(
        ENV_FILE="",
        DEBUG="true",
        DJANGO_SETTINGS_MODULE="lpr_portal.settings",
        DATABASE_URL=database_url(),
        REDIS_URL=broker.url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        LOG_LEVEL="WARNING",
    )
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(CELERY), "-A", "lpr_portal", "worker", "-P", "solo", "-l", "info",
                "--without-mingle", "--without-gossip", "-n", f"outage-{os.getpid()}@test",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    running = Worker(log)

    def ready() -> bool:
        if process.poll() is not None:
            pytest.fail(f"the worker ended:\n{running.text()[-3000:]}")
        return " ready." in running.text()

    try:
        wait_until(ready, "the worker is ready", 60)
        yield running
    finally:
        process.kill()  # nothing of it is needed any more; a warm shutdown takes seconds
        process.wait()


def message_counts(sink: SmtpSink) -> Counter[int]:
    """How many e-mails the sink holds per notification (from the Message-ID)."""
    counts: Counter[int] = Counter()
    for message in sink.messages:
        match = re.match(r"<notification-(\d+)\.", message.message_id)
        assert match, f"an e-mail without a notification's Message-ID: {message.message_id}"
        counts[int(match.group(1))] += 1
    return counts


def sent_once(sink: SmtpSink, notifications: list[Notification]) -> bool:
    counts = message_counts(sink)
    return all(counts[n.pk] == 1 for n in notifications)


def test_nothing_is_lost_while_redis_is_down(
    worker: Worker, broker: OwnRedis, sink: SmtpSink
) -> None:
    with in_process():  # the set-up's own tasks run here, not through the worker
        world: World = build_world()
        coordinator, staff = world.users["coordinator"], world.users["state_staff"]
        programme = make_programme(world.state)
        first = make_draft(programme, world.council, coordinator, title="Vor dem Ausfall")
        second = make_draft(programme, world.council, coordinator, title="Während des Ausfalls")
        in_review = advance(
            make_draft(programme, world.council, coordinator, title="Zu entscheiden"),
            "review",
            applicant=coordinator,
            staff=staff,
        )
    applicant, office = world.client("coordinator"), world.client("state_staff")
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def new(**filters: Any) -> list[Notification]:
        return list(Notification.objects.filter(pk__gt=before, send_email=True, **filters))

    # Redis is up: a submission's e-mails go out through the worker.
    response = applicant.post(reverse("funding:request_submit", args=[first.pk]))
    assert response.status_code == 302
    for_first = new(params__title=first.title)
    assert for_first, "the submission notifies the state office"
    wait_until(lambda: sent_once(sink, for_first), "the worker sent the first e-mails")

    # Redis dies in the middle of the work.
    broker.kill()
    started = time.monotonic()
    response = applicant.post(reverse("funding:request_submit", args=[second.pk]))
    assert response.status_code == 302
    response = office.post(
        reverse("funding:request_decide", args=[in_review.pk]),
        {"decision": Decision.APPROVE, **CONFIRMED},
    )
    assert response.status_code == 302
    assert time.monotonic() - started < 10, "the requests waited too long for the broker"
    second.refresh_from_db()
    in_review.refresh_from_db()
    assert second.status == S.SUBMITTED
    assert in_review.status == S.APPROVED
    # Kept in PostgreSQL, not in the broker: the e-mails due, the letter missing.
    for_second = new(params__title=second.title)
    assert for_second
    assert all(n.email_sent_at is None for n in for_second)
    assert not Letter.objects.filter(request=in_review).exists()
    # The load balancer keeps the node: the portal serves without Redis.
    ready = applicant.get(reverse("readyz"))
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert len(sink.messages) == len(for_first)

    # Redis is back (empty): the worker reconnects, beat's periodic tasks catch up.
    broker.start()
    wait_until(lambda: worker.connections() >= 2, "the worker reconnected", 30)
    send_pending_emails.delay()
    make_missing_letters.delay()
    wait_until(lambda: Letter.objects.filter(request=in_review).exists(), "the letter was made")
    # The letter tells the applicant by e-mail, queued while Redis was up again; its notice is
    # written just after the letter, so wait for it before looking at what is still due.
    wait_until(
        lambda: any(n.recipient == coordinator for n in new()), "the letter's notice was written"
    )
    wait_until(
        lambda: not Notification.objects.filter(pk__gt=before).email_due().exists(),
        "every e-mail was sent",
    )
    wanted = new()
    wait_until(lambda: sent_once(sink, wanted), "the sink holds each e-mail")

    time.sleep(1)  # a second copy would arrive now
    counts = message_counts(sink)
    assert set(counts) == {n.pk for n in wanted}
    assert all(count == 1 for count in counts.values()), counts
    assert Letter.objects.filter(request=in_review).count() == 1
    assert FundingRequest.objects.filter(title=second.title).count() == 1
    assert notifications_send_pending() == 0
