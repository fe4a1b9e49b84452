"""Reminders of the proof of use's deadline: "due soon" and "overdue", each sent once."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from notifications.messages import translatable

from ..models import (
    FundingRequest,
    Reminder,
    ReminderKind,
    add_months,
)
from ..models import RequestStatus as S
from ..services import notify_applicant, notify_staff

#: The "due soon" reminder goes out this many days before the proof of use is due.
REMINDER_DAYS_BEFORE = 28
#: Requests still owing their proof of use.
AWAITING_PROOF = (S.APPROVED, S.PAYMENT_REQUESTED, S.PAID)


def reminder_kind_due(request: FundingRequest, today: datetime.date) -> str | None:
    """Which reminder the request is due for today, if any."""
    due = request.proof_due
    if due is None:
        return None
    if today > due:
        return ReminderKind.PROOF_OVERDUE
    if today >= due - datetime.timedelta(days=REMINDER_DAYS_BEFORE):
        return ReminderKind.PROOF_SOON
    return None


def proof_reminder_candidates(today: datetime.date) -> QuerySet[FundingRequest]:
    """Funded requests owing a proof whose due date is near (a generous filter in SQL)."""
    horizon = today + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    # Month ends make "end + 6 months <= horizon" not exactly reversible: a few days' slack.
    latest_end = add_months(horizon, -6) + datetime.timedelta(days=3)
    candidates: QuerySet[FundingRequest] = (
        FundingRequest.objects.filter(
            status__in=AWAITING_PROOF, end_date__isnull=False, end_date__lte=latest_end
        )
        .select_related("programme", "applicant")
        .order_by("pk")
    )
    return candidates


@transaction.atomic
def _remind(request: FundingRequest, kind: str) -> bool:
    """Write the reminder once; notify only when this call wrote it."""
    _reminder, created = Reminder.objects.get_or_create(request=request, kind=kind)
    if not created:
        return False
    due = request.proof_due
    if kind == ReminderKind.PROOF_OVERDUE:
        subject = translatable(
            gettext_noop("Proof of use overdue since %(due)s: %(title)s"),
            due=due,
            title=request.title,
        )
        notify_applicant(request, kind, subject)
        notify_staff(request, kind, subject, request.applicant.name)
    else:
        subject = translatable(
            gettext_noop("Proof of use due on %(due)s: %(title)s"), due=due, title=request.title
        )
        notify_applicant(request, kind, subject)
    return True


def send_proof_reminders(*, today: datetime.date | None = None) -> int:
    """Send the due "soon" and "overdue" reminders; a second run sends nothing twice."""
    today = today or timezone.localdate()
    sent = 0
    existing = set(
        Reminder.objects.filter(request__in=proof_reminder_candidates(today)).values_list(
            "request_id", "kind"
        )
    )
    for request in proof_reminder_candidates(today):
        kind = reminder_kind_due(request, today)
        if kind is None or (request.pk, kind) in existing:
            continue
        sent += _remind(request, kind)
    return sent
