"""Celery tasks of the council spaces: thin wrappers that call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_workgroup_overdue_reminders() -> int:
    """Tell coordinators and leads once when a working group passed its planned end: beat."""
    from .reminders_workgroups import send_overdue_reminders

    return send_overdue_reminders()


@shared_task
def send_event_reminders() -> int:
    """Remind registered people of tomorrow's events (once per event and person): beat, hourly."""
    from .event_services import send_event_reminders as send

    return send()
