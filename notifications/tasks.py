"""Celery tasks of the notifications: thin wrappers that load by id and call a service."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings

from .models import Notification
from .services import notification_send_email, notifications_send_pending

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_jitter=False,
    # The first try plus the retries make the attempts the settings allow.
    max_retries=settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS - 1,
)
def send_notification_email(self: Any, pk: int) -> bool:
    """Send the e-mail of one notification; failures are retried with growing pauses."""
    notification = Notification.objects.filter(pk=pk).first()
    if notification is None:
        return False
    try:
        return notification_send_email(notification=notification)
    except Exception:
        if self.request.is_eager:
            # In-process mode would retry at once, without a pause, and use up every attempt:
            # leave the row (its attempt is counted) to send_pending_emails instead.
            logger.warning("E-mail of notification %s left for the periodic task.", pk)
            return False
        raise


@shared_task
def send_pending_emails() -> int:
    """Send every e-mail still due (the broker or the mail server was down): beat, 5 minutes."""
    return notifications_send_pending()
