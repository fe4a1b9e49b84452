"""The notification services: create, queue, send exactly once, retry, send what is pending."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import services, tasks
from notifications.models import Notification
from tests.factories import NotificationFactory, UserFactory
from tests.notifications.mail_backends import CloseRecordingBackend, WorkerKilled

FAILING = "tests.notifications.mail_backends.FailingBackend"
DYING = "tests.notifications.mail_backends.DyingAfterOneBackend"


@pytest.fixture
def person(db):
    return UserFactory(username="anna", first_name="Anna", last_name="Becker")


def test_create_writes_the_row_and_sends_after_commit(
    person, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = services.notification_create(
            recipient=person, kind="funding", subject="Antrag eingegangen", url="/dashboard/"
        )
    assert Notification.objects.get().subject == "Antrag eingegangen"
    assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1

    callbacks[0]()

    notification.refresh_from_db()
    assert notification.email_sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert message.subject == "Antrag eingegangen"
    assert f"{settings.SITE_URL}/dashboard/" in message.body


def test_the_mail_holds_the_absolute_link(person, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://portal.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_create(
            recipient=person,
            kind="t",
            subject="Bitte prüfen",
            body="Der Bericht fehlt.",
            url="/organisationen/3/",
        )
    body = mail.outbox[0].body
    assert "https://portal.example.org/organisationen/3/" in body
    assert "Der Bericht fehlt." in body
    assert "Anna Becker" in body


def test_no_mail_when_not_wanted(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notification_create(
            recipient=person, kind="t", subject="Nur im Portal", send_email=False
        )
    assert callbacks == []
    assert mail.outbox == []


def test_a_down_broker_keeps_the_row_pending(
    person, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_notification_email, "delay", broker_down)
    with (
        caplog.at_level(logging.WARNING, logger="notifications.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = services.notification_create(recipient=person, kind="t", subject="X")
    assert "stays pending" in caplog.text
    notification.refresh_from_db()
    assert notification.email_sent_at is None
    assert list(Notification.objects.email_due()) == [notification]

    monkeypatch.undo()
    assert tasks.send_pending_emails.delay().get() == 1
    assert len(mail.outbox) == 1


def test_notify_many_writes_one_row_per_person(
    db, django_capture_on_commit_callbacks, django_assert_num_queries
):
    people = [UserFactory() for _ in range(5)]
    # savepoint, one insert for all rows, release
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        django_assert_num_queries(3),
    ):
        notifications = services.notify_many(
            recipients=[*people, people[0]], kind="t", subject="Rundschreiben"
        )
    assert len(notifications) == 5
    assert {n.recipient_id for n in notifications} == {p.pk for p in people}
    assert all(n.pk for n in notifications)
    assert len(callbacks) == 5
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Notification.objects.email_due().count() == 0


def test_sending_twice_sends_once(person):
    notification = NotificationFactory(recipient=person)
    assert services.notification_send_email(notification=notification) is True
    assert services.notification_send_email(notification=notification) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"email": ""}, "no e-mail address"), ({"is_active": False}, "inactive")],
)
def test_no_mail_to_a_person_without_address_or_inactive(db, changes, reason):
    notification = NotificationFactory(recipient=UserFactory(**changes))
    assert services.notification_send_email(notification=notification) is False
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_sent_at is None
    assert reason in notification.email_last_error
    # The periodic task does not try such a row again.
    assert not Notification.objects.email_due().filter(pk=notification.pk).exists()


def test_a_failure_is_counted_and_raised(person, settings):
    settings.EMAIL_BACKEND = FAILING
    notification = NotificationFactory(recipient=person)
    with pytest.raises(OSError, match="mail server down"):
        services.notification_send_email(notification=notification)
    notification.refresh_from_db()
    assert notification.email_sent_at is None
    assert notification.email_attempts == 1
    assert "mail server down" in notification.email_last_error


@pytest.mark.django_db(transaction=True)
def test_the_failure_count_is_committed_before_the_error_is_raised(settings):
    # Without the test transaction around it, a rollback would lose the counted attempt.
    settings.EMAIL_BACKEND = FAILING
    notification = NotificationFactory(recipient=UserFactory())
    with pytest.raises(OSError):
        services.notification_send_email(notification=notification)
    assert Notification.objects.get(pk=notification.pk).email_attempts == 1


def test_the_task_in_process_leaves_a_failure_to_the_periodic_task(person, settings):
    settings.EMAIL_BACKEND = FAILING
    notification = NotificationFactory(recipient=person)
    assert tasks.send_notification_email.delay(notification.pk).get() is False
    notification.refresh_from_db()
    # One attempt, not the whole retry budget burnt in one go.
    assert notification.email_attempts == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.send_pending_emails.delay().get() == 1
    notification.refresh_from_db()
    assert notification.email_sent_at is not None


def test_the_task_ignores_a_deleted_notification(db):
    assert tasks.send_notification_email.delay(999_999).get() is False


def test_the_task_retries_with_growing_pauses(settings):
    task = tasks.send_notification_email
    assert task.autoretry_for == (Exception,)
    assert task.retry_backoff is True
    assert task.retry_jitter is False
    # The first try and the retries together make the attempts the settings allow.
    assert task.max_retries + 1 == settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS


def test_send_pending_sends_every_due_row_once_in_batches(db, settings):
    due = NotificationFactory.create_batch(7)
    NotificationFactory(email_sent_at=timezone.now())
    NotificationFactory(send_email=False)
    given_up = NotificationFactory(email_attempts=settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS)

    with CaptureQueriesContext(connection) as queries:
        assert services.notifications_send_pending(batch_size=3) == 7
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.recipient.email for n in due)
    assert services.notifications_send_pending(batch_size=3) == 0
    assert len(mail.outbox) == 7
    given_up.refresh_from_db()
    assert given_up.email_sent_at is None
    # Each row is locked where the database can (and recorded in its own transaction),
    # skipping rows another worker sends.
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    if connection.features.has_select_for_update_skip_locked:
        assert len(locking) == 7
        assert all("SKIP LOCKED" in sql for sql in locking)
    else:
        assert locking == []


def test_a_worker_killed_in_a_batch_has_recorded_what_it_sent(db, settings):
    """The cluster check found it: one transaction per batch sent a killed worker's e-mails
    again, because the rows it had sent were rolled back with the batch."""
    rows = NotificationFactory.create_batch(3)
    settings.EMAIL_BACKEND = DYING
    with pytest.raises(WorkerKilled):
        services.notifications_send_pending()
    assert len(mail.outbox) == 1
    first = Notification.objects.get(pk=rows[0].pk)
    assert first.email_sent_at is not None  # recorded before the next e-mail was tried

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notifications_send_pending() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.recipient.email for r in rows)


@pytest.mark.django_db(transaction=True)
def test_the_mail_connection_is_closed_after_the_commit(settings):
    """SMTP QUIT waits for the server: the row is recorded as sent before, not after it."""
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.CloseRecordingBackend"
    CloseRecordingBackend.closed_inside_transaction.clear()
    notification, *_others = NotificationFactory.create_batch(3)

    assert services.notification_send_email(notification=notification) is True
    assert services.notifications_send_pending() == 2

    assert CloseRecordingBackend.closed_inside_transaction == [False, False]
    assert not Notification.objects.email_due().exists()
    assert len(mail.outbox) == 3


def test_send_pending_counts_failures_and_goes_on(db, settings):
    settings.EMAIL_BACKEND = FAILING
    rows = NotificationFactory.create_batch(3)
    assert services.notifications_send_pending() == 0
    assert [r.email_attempts for r in Notification.objects.filter(pk__in=[r.pk for r in rows])] == [
        1,
        1,
        1,
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notifications_send_pending() == 3
    assert services.notifications_send_pending() == 0
    assert len(mail.outbox) == 3


def test_mark_read_keeps_the_first_reading_time(person):
    notification = NotificationFactory(recipient=person)
    services.notification_mark_read(notification=notification)
    first = Notification.objects.get().read_at
    assert first is not None
    services.notification_mark_read(notification=Notification.objects.get())
    assert Notification.objects.get().read_at == first


def test_mark_all_read_only_touches_the_persons_rows(person):
    NotificationFactory.create_batch(3, recipient=person)
    other = NotificationFactory()
    assert services.notifications_mark_all_read(recipient=person) == 3
    assert Notification.objects.for_user(person).unread().count() == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_historic_notifications_are_listed_but_never_mailed(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, services.historic():
        services.notification_create(recipient=person, kind="t", subject="Damals")
        services.notify_many(recipients=[person], kind="t", subject="Damals auch")
    assert callbacks == []  # no e-mail queued
    assert set(Notification.objects.values_list("send_email", flat=True)) == {False}
    assert Notification.objects.unread_count_for(person) == 2
    assert services.notifications_send_pending() == 0
    assert mail.outbox == []


def test_historic_reaches_the_notifications_written_at_the_commit(
    person, django_capture_on_commit_callbacks
):
    def later(subject: str) -> None:
        services.notification_create(recipient=person, kind="t", subject=subject)

    with django_capture_on_commit_callbacks(execute=True):
        with services.historic():
            transaction.on_commit(lambda: later("Damals"))
        transaction.on_commit(lambda: later("Heute"))
    assert dict(Notification.objects.values_list("subject", "send_email")) == {
        "Damals": False,
        "Heute": True,
    }
    assert [message.subject for message in mail.outbox] == ["Heute"]


def test_historic_notifications_can_be_read_already(person):
    with services.historic(read=True):
        notification = services.notification_create(recipient=person, kind="t", subject="Alt")
    assert notification.read_at is not None and not notification.send_email
    assert Notification.objects.unread_count_for(person) == 0
