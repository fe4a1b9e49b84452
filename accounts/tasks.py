"""Celery tasks of the accounts app: the retention of funding files (beat, daily)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def delete_expired_funding_files() -> int:
    """Delete receipt files and request attachments past the retention period."""
    from .privacy import delete_expired_funding_files as delete

    return delete()
