"""Celery tasks of the council spaces: thin wrappers that call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_event_reminders() -> int:
    """Remind registered people of tomorrow's events (once per event and person): beat, hourly."""
    from .event_services import send_event_reminders as send

    return send()
