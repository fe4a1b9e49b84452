"""Celery tasks of the shared building blocks: the cleanup of expired sessions (beat, daily)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    """Delete the sessions past their expiry (Django's ``clearsessions`` on ``core.sessions``)."""
    call_command("clearsessions")
