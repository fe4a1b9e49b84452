"""The invitation e-mail is never lost: retried on SMTP errors, sent later if the broker is down."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils import tasks
from councils.models import Invitation, Role
from tests.conftest import World
from tests.factories import InvitationFactory, UserFactory

from .mail_backends import FailingBackend, FlakyBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reset_backends() -> None:
    FailingBackend.calls = 0
    FlakyBackend.calls = 0
    FlakyBackend.failures = 2


def test_smtp_failure_is_retried_until_it_works(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.councils.mail_backends.FlakyBackend"
    invitation = InvitationFactory(organisation=world.council)
    tasks.send_invitation_email.delay(invitation.pk)
    invitation.refresh_from_db()
    assert FlakyBackend.calls == 3
    assert invitation.email_attempts == 3
    assert invitation.email_sent_at is not None
    assert invitation.email_last_error == ""
    assert len(mail.outbox) == 1


def test_smtp_failure_gives_up_after_the_retries_and_records_the_error(
    world: World, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.councils.mail_backends.FailingBackend"
    invitation = InvitationFactory(organisation=world.council)
    result = tasks.send_invitation_email.delay(invitation.pk)
    assert result.failed()
    invitation.refresh_from_db()
    assert FailingBackend.calls == 1 + tasks.send_invitation_email.max_retries
    assert invitation.email_attempts == FailingBackend.calls
    assert invitation.email_sent_at is None
    assert "SMTPServerDisconnected" in invitation.email_last_error
    # The periodic task picks it up once the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.send_pending_invitation_emails.delay().get() == 1
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None


def test_broker_down_leaves_the_invitation_unsent_for_the_periodic_task(
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("redis://127.0.0.1:6379")

    monkeypatch.setattr(tasks.send_invitation_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("state_admin").post(
            reverse("councils:invitation_create"),
            {
                "email": "neu@example.org",
                "organisation": world.council.pk,
                "role": Role.COUNCIL_MEMBER,
                "position": "member",
                "affiliation": "other",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email_sent_at is None
    assert mail.outbox == []

    monkeypatch.undo()
    tasks.send_pending_invitation_emails.delay()
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None
    token = re.search(r"/einladung/([\w-]+)/", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    assert (
        Client().get(reverse("councils:invitation_accept", kwargs={"token": token})).status_code
        == 200
    )


def test_periodic_task_sends_each_unsent_pending_invitation_once(world: World) -> None:
    now = timezone.now()
    due = InvitationFactory.create_batch(2, organisation=world.council)
    InvitationFactory(organisation=world.council, email_sent_at=now)
    InvitationFactory(organisation=world.council, revoked_at=now)
    InvitationFactory(organisation=world.council, accepted_at=now)
    InvitationFactory(organisation=world.council, expires_at=now - timedelta(days=1))

    assert tasks.send_pending_invitation_emails.delay().get() == 2
    assert tasks.send_pending_invitation_emails.delay().get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in due)


def test_the_single_send_skips_an_invitation_already_sent(world: World) -> None:
    invitation = InvitationFactory(organisation=world.council)
    assert tasks.send_invitation_email.delay(invitation.pk).get() is True
    assert tasks.send_invitation_email.delay(invitation.pk).get() is False
    assert len(mail.outbox) == 1


def test_periodic_task_is_scheduled(settings: Any) -> None:
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "councils.tasks.send_pending_invitation_emails" in tasks_scheduled


def test_the_invitation_is_in_the_language_an_existing_person_chose(world: World) -> None:
    english = UserFactory(username="emma", email="Emma@Example.org", language="en")
    for address in ("emma@example.org", "new@example.org"):
        invitation = InvitationFactory(organisation=world.council, email=address)
        tasks.send_invitation_email.delay(invitation.pk)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert english.language == "en"
    assert by_address["emma@example.org"].subject.startswith("Invitation to the LPR Portal")
    assert by_address["new@example.org"].subject.startswith("Einladung")
