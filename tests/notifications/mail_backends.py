"""E-mail backends for tests: one that always fails, like an unreachable mail server."""

from __future__ import annotations

from collections.abc import Sequence
from smtplib import SMTPServerDisconnected

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """Every send fails as if the SMTP server dropped the connection."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise SMTPServerDisconnected("mail server down")
