"""Celery tasks of the funding: thin wrappers that load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from .models import FundingRequest, Letter


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def make_letter(request_id: int, kind: str) -> int | None:
    """Make and send the decision letter of a request (once per decision)."""
    from .letters import letter_create

    request = (
        FundingRequest.objects.select_related("programme__state", "applicant", "decided_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return None
    existing = Letter.objects.filter(request=request, kind=kind, created_at__gte=request.decided_at)
    if request.decided_at and existing.exists():
        return existing.first().pk  # type: ignore[union-attr]
    return letter_create(request=request, kind=kind).pk


@shared_task
def make_missing_letters() -> int:
    """Make the letters whose task was lost (broker down): beat, every 15 minutes."""
    from .letters import requests_missing_letters

    missing = requests_missing_letters()
    for request_id, kind in missing:
        make_letter(request_id, kind)
    return len(missing)


@shared_task
def send_proof_reminders() -> int:
    """Remind applicants of proofs of use due soon or overdue (once each): beat, every 6 hours."""
    from .payments import send_proof_reminders as send

    return send()


@shared_task
def run_export(job_id: int) -> str | None:
    """Write the file of an export job (the service keeps its progress, result or error)."""
    from .exports import export_run

    job = export_run(job_id=job_id)
    return None if job is None else job.status
