"""E-mail backends for tests: one that always fails, like an unreachable mail server; one whose
worker dies after the first message; one that notes whether it is closed inside a transaction."""

from __future__ import annotations

from collections.abc import Sequence
from smtplib import SMTPServerDisconnected

from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection


class FailingBackend(BaseEmailBackend):
    """Every send fails as if the SMTP server dropped the connection."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise SMTPServerDisconnected("mail server down")


class WorkerKilled(BaseException):
    """What the test sees of a worker process that is killed: nothing after this runs."""


class DyingAfterOneBackend(LocmemBackend):
    """The mail server accepts the first message (into mail.outbox), then the worker dies."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if getattr(mail, "outbox", []):
            raise WorkerKilled
        return super().send_messages(messages)


class CloseRecordingBackend(LocmemBackend):
    """Notes, at each close (the SMTP QUIT), whether a database transaction was still open."""

    closed_inside_transaction: list[bool] = []

    def close(self) -> None:
        CloseRecordingBackend.closed_inside_transaction.append(connection.in_atomic_block)
