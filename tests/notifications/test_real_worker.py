"""E-mails of notifications through a real Celery worker and Redis: sent once, never lost.

The worker runs in a thread (celery.contrib.testing), so the locmem mail outbox and the
test database are shared with it. Without Redis the same assertions run in-process, except
under CI=true, where a missing Redis is a failure.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail

from lpr_portal.celery import app as celery_app
from notifications import services, tasks
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]

FAILING = "tests.notifications.mail_backends.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
TIMEOUT = 30.0


def redis_url() -> str:
    return settings.REDIS_URL or "redis://127.0.0.1:6379/15"


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def reconfigure() -> None:
    """Make the app read broker, queue and exchange from its configuration again."""
    for cached in ("queues", "router", "default_exchange"):
        celery_app.amqp.__dict__.pop(cached, None)
    celery_app.close()  # the connection pool of the previous broker
    celery_app.amqp._producer_pool = None  # producers bound to that pool


def wait_until(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting until {what}")
        time.sleep(0.05)


@contextmanager
def in_process() -> Iterator[None]:
    """Run the tasks of the set-up here, so that only the task under test goes through the worker.

    The world's letters and e-mails would otherwise write in the worker's thread while this
    one writes too, which SQLite's shared in-memory test database refuses.
    """
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


@dataclass
class Runs:
    """Finished task runs seen through the task_postrun signal (from any thread)."""

    real_worker: bool
    finished: list[tuple[str, str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, sender: Any = None, task_id: str = "", retval: Any = None, **_: Any) -> None:
        with self.lock:
            self.finished.append((sender.name, task_id, retval))

    def count(self, task: Any) -> int:
        with self.lock:
            return sum(1 for name, _, _ in self.finished if name == task.name)

    def result_of(self, task_id: str) -> Any:
        wait_until(
            lambda: any(tid == task_id for _, tid, _ in self.finished), f"task {task_id} ran"
        )
        with self.lock:
            return next(value for _, tid, value in self.finished if tid == task_id)

    def send_pending(self) -> int:
        """Run send_pending_emails as the beat would (through the broker) and return its count."""
        return int(self.result_of(tasks.send_pending_emails.delay().id))


@pytest.fixture
def runs(mailoutbox: list[Any], settings: Any) -> Iterator[Runs]:
    """A real worker on Redis; without Redis (and not on CI) the in-process mode instead."""
    settings.EMAIL_BACKEND = LOCMEM
    url = redis_url()
    saved = {
        key: celery_app.conf[key]
        for key in (
            "broker_url",
            "task_always_eager",
            "task_default_queue",
            "worker_hijack_root_logger",
            "worker_enable_remote_control",
        )
    }
    if not redis_answers(url):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {url}: CI needs it for the real worker test")
        print(f"\nRedis does not answer at {url}: running these assertions in-process (eager).")
        seen = Runs(real_worker=False)
        task_postrun.connect(seen.record, weak=False)
        celery_app.conf.task_always_eager = True
        try:
            yield seen
        finally:
            task_postrun.disconnect(seen.record)
            celery_app.conf.task_always_eager = saved["task_always_eager"]
        return

    # A queue of this test's own: other test runs on the same Redis do not see its tasks.
    queue = f"lpr-test-{uuid.uuid4().hex}"
    celery_app.conf.update(
        broker_url=url,
        task_always_eager=False,
        task_default_queue=queue,
        worker_hijack_root_logger=False,
        worker_enable_remote_control=False,
    )
    reconfigure()
    seen = Runs(real_worker=True)
    task_postrun.connect(seen.record, weak=False)
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30
        ):
            yield seen
    finally:
        task_postrun.disconnect(seen.record)
        # Retries still waiting for their time went back to the queue on shutdown: drop the
        # queue's messages and bindings (every key holding its unique name).
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
        client.close()
        celery_app.conf.update(saved)
        reconfigure()


def test_the_worker_sends_the_email_of_a_new_notification(runs: Runs) -> None:
    person = UserFactory(username="clara", email="clara@example.org")

    notification = services.notification_create(
        recipient=person, kind="funding", subject="Antrag bewilligt", url="/dashboard/"
    )

    wait_until(lambda: runs.count(tasks.send_notification_email) == 1, "the worker ran the task")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["clara@example.org"]
    assert mail.outbox[0].subject == "Antrag bewilligt"
    assert f"{settings.SITE_URL}/dashboard/" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.email_sent_at is not None
    assert notification.email_attempts == 0


def test_a_failing_mail_server_loses_nothing_and_sends_once(runs: Runs, settings: Any) -> None:
    settings.EMAIL_BACKEND = FAILING
    person = UserFactory(username="dora", email="dora@example.org")

    notification = services.notification_create(recipient=person, kind="t", subject="Erinnerung")

    # The worker retries after a pause (1 s, then 2 s, 4 s ...); in-process there is one try.
    tries = 2 if runs.real_worker else 1
    wait_until(
        lambda: runs.count(tasks.send_notification_email) >= tries, f"{tries} tries have failed"
    )
    notification.refresh_from_db()
    assert notification.email_sent_at is None
    assert notification.email_attempts == tries
    assert "mail server down" in notification.email_last_error
    assert mail.outbox == []
    assert list(Notification.objects.email_due()) == [notification]

    # The mail server is back: the periodic task sends the row, exactly once.
    settings.EMAIL_BACKEND = LOCMEM
    assert runs.send_pending() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dora@example.org"]
    notification.refresh_from_db()
    assert notification.email_sent_at is not None
    assert notification.email_attempts == tries

    if runs.real_worker:
        # The retry still waiting in the worker finds the row sent and sends nothing.
        wait_until(
            lambda: runs.count(tasks.send_notification_email) > tries, "the pending retry ran"
        )
    assert runs.send_pending() == 0
    assert len(mail.outbox) == 1


def test_send_pending_twice_sends_nothing_twice(runs: Runs) -> None:
    people = [UserFactory(email=f"person{i}@example.org") for i in range(3)]
    # Rows written while the broker was down: nothing queued, all still due.
    Notification.objects.bulk_create(
        Notification(recipient=person, kind="t", subject="Nachgeholt") for person in people
    )
    assert Notification.objects.email_due().count() == 3

    assert runs.send_pending() == 3
    assert runs.send_pending() == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Notification.objects.email_due().count() == 0
