"""E-mail backends for tests: one that always fails, one that fails a given number of times."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.mail.message import EmailMessage


class FailingBackend(LocmemBackend):
    """The SMTP server is unreachable."""

    calls: ClassVar[int] = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        type(self).calls += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class FlakyBackend(LocmemBackend):
    """Fails the first ``failures`` times, then delivers into django.core.mail.outbox."""

    failures: ClassVar[int] = 2
    calls: ClassVar[int] = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise smtplib.SMTPResponseException(451, b"Try again later")
        return super().send_messages(email_messages)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
