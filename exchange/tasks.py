"""Celery tasks of the exchange: thin wrappers that call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_report_reminders() -> int:
    """Remind NGOs of exchange reports due soon or overdue (once each): beat, every 6 hours."""
    from .reminders import send_report_reminders as send

    return send()
