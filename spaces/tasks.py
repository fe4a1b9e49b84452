"""Celery tasks of the council spaces: thin wrappers that call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_workgroup_overdue_reminders() -> int:
    """Tell coordinators and leads once when a working group passed its planned end: beat."""
    from .reminders_workgroups import send_overdue_reminders

    return send_overdue_reminders()
