"""Celery tasks of the membership part: thin wrappers that load by id and call a service."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_invitation_email(self: Any, invitation_id: int) -> bool:
    """Send one invitation's e-mail; failures are retried with growing pauses."""
    return services.invitation_send_email(invitation_id=invitation_id)


@shared_task
def send_pending_invitation_emails() -> int:
    """Send every pending invitation whose e-mail has not gone out (run by Celery beat)."""
    return services.invitation_send_pending_emails()


@shared_task
def end_sessions_of_ended_memberships() -> int:
    """Sign out people whose seat ended since they signed in (run by Celery beat, hourly)."""
    return services.sessions_end_for_ended_memberships()
