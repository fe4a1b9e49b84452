"""Notifications: first a database row (the in-app list), then an e-mail sent by a task."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .messages import render

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

logger = logging.getLogger(__name__)


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: User | AnonymousUser) -> NotificationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def unread_count_for(self, user: User | AnonymousUser) -> int:
        return self.for_user(user).unread().count()

    def email_due(self) -> NotificationQuerySet:
        """Rows whose e-mail is still unsent and not yet given up on."""
        return self.filter(
            Q(email_sent_at__isnull=True),
            send_email=True,
            email_attempts__lt=settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS,
        )


class Notification(models.Model):
    """Something that concerns one person: shown in the portal and sent by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # The untranslated message ids and their parameters: the list and the e-mail show them in
    # the reader's language. Empty on rows written before, which show subject and body as stored.
    subject_msgid = models.TextField(_("subject message id"), blank=True)
    body_msgid = models.TextField(_("text message id"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    send_email = models.BooleanField(_("send e-mail"), default=True)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_last_error = models.TextField(_("last e-mail error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["email_attempts"],
                condition=Q(email_sent_at__isnull=True, send_email=True),
                name="notification_email_due",
            ),
        ]

    def __str__(self) -> str:
        return self.shown_subject

    def _shown(self, msgid: str, stored: str) -> str:
        if not msgid:
            return stored
        try:
            return render(msgid, self.params or {})
        except (KeyError, ValueError, TypeError, ArithmeticError):  # a parameter lost or changed
            logger.warning("Notification %s: message %r cannot be rendered.", self.pk, msgid)
            return stored

    @property
    def shown_subject(self) -> str:
        """The subject in the active language (as stored for rows without a message id)."""
        return self._shown(self.subject_msgid, self.subject)

    @property
    def shown_body(self) -> str:
        """The text in the active language (as stored for rows without a message id)."""
        return self._shown(self.body_msgid, self.body)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
