"""Reminders of the exchange reports: before the due date and once it has passed.

An NGO that has not submitted its report for a period hears ``DUE_SOON_DAYS`` before the due
date and again after it, each at most once (the unique ``ReportReminder`` row decides); the
state staff get one overview per period when it becomes overdue (``overdue_notice_sent_at``
decides). Notifications are written after the commit, through the notification outbox.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from councils.models import Membership, Organisation, OrganisationKind, Role, User
from notifications.messages import translatable
from notifications.services import notify_many

from .models import (
    ExchangeReport,
    ReportingPeriod,
    ReportReminder,
    ReportReminderKind,
)
from .models import ReportStatus as R
from .reports import staff_of

#: The "due soon" reminder goes out this many days before the due date.
DUE_SOON_DAYS = 14
#: Periods due longer ago than this are not reminded any more (e.g. entered afterwards).
OVERDUE_LOOKBACK_DAYS = 90


def reminder_kind_due(period: ReportingPeriod, today: datetime.date) -> str | None:
    """Which reminder the period's missing reports are due for today, if any."""
    if today > period.due_on:
        return ReportReminderKind.OVERDUE
    if today >= period.due_on - datetime.timedelta(days=DUE_SOON_DAYS):
        return ReportReminderKind.DUE_SOON
    return None


def reminder_periods(today: datetime.date) -> QuerySet[ReportingPeriod]:
    """Periods due within the next days or overdue since a while, of active states."""
    return (
        ReportingPeriod.objects.filter(
            state__is_active=True,
            due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            due_on__gte=today - datetime.timedelta(days=OVERDUE_LOOKBACK_DAYS),
        )
        .select_related("state")
        .order_by("due_on", "pk")
    )


def outstanding_ngos(period: ReportingPeriod) -> QuerySet[Organisation]:
    """Active NGOs of the period's state without a submitted report (none, or a draft)."""
    submitted = (
        ExchangeReport.objects.filter(period=period).exclude(status=R.DRAFT).values("ngo_id")
    )
    return (
        Organisation.objects.filter(
            state_id=period.state_id, kind=OrganisationKind.NGO, is_active=True
        )
        .exclude(pk__in=submitted)
        .order_by("name", "pk")
    )


def _representatives(ngo_ids: Sequence[int]) -> dict[int, list[User]]:
    """The active representatives of each NGO, in one query."""
    people: dict[int, list[User]] = {}
    seats = (
        Membership.objects.active()
        .filter(organisation_id__in=ngo_ids, role=Role.NGO_REPRESENTATIVE)
        .select_related("user")
        .order_by("organisation_id", "user_id")
    )
    for seat in seats:
        people.setdefault(seat.organisation_id, []).append(seat.user)
    return people


@transaction.atomic
def _remind(
    period: ReportingPeriod, ngo: Organisation, kind: str, recipients: Sequence[User]
) -> bool:
    """Write the reminder once; notify only when this call wrote it."""
    _reminder, created = ReportReminder.objects.get_or_create(period=period, ngo=ngo, kind=kind)
    if not created:
        return False
    values = {"due": period.due_on, "period": period.title, "ngo": ngo.name}
    if kind == ReportReminderKind.OVERDUE:
        subject = translatable(
            gettext_noop("Exchange report overdue since %(due)s: %(period)s"), **values
        )
        body = translatable(
            gettext_noop(
                "The exchange report of %(ngo)s for %(period)s was due on %(due)s. "
                "Please submit it as soon as possible."
            ),
            **values,
        )
    else:
        subject = translatable(gettext_noop("Exchange report due on %(due)s: %(period)s"), **values)
        body = translatable(
            gettext_noop("Please submit the exchange report of %(ngo)s for %(period)s by %(due)s."),
            **values,
        )
    people, url = list(recipients), period.get_absolute_url()
    transaction.on_commit(
        lambda: notify_many(
            recipients=people, kind=f"exchange.{kind}", subject=subject, body=body, url=url
        )
    )
    return True


@transaction.atomic
def _notify_staff_overdue(period: ReportingPeriod, missing: Sequence[Organisation]) -> bool:
    """One overview of the missing reports for the state staff, the first time only."""
    now = timezone.now()
    claimed = ReportingPeriod.objects.filter(
        pk=period.pk, overdue_notice_sent_at__isnull=True
    ).update(overdue_notice_sent_at=now)
    if not claimed:
        return False
    period.overdue_notice_sent_at = now
    subject = translatable(
        gettext_noop("Exchange reports overdue for %(period)s: %(count)d NGOs"),
        period=period.title,
        count=len(missing),
    )
    body = translatable(
        gettext_noop("These NGOs had not submitted their report by %(due)s: %(ngos)s."),
        due=period.due_on,
        ngos=", ".join(ngo.name for ngo in missing),
    )
    people = list(staff_of(period.state_id))
    url = reverse("exchange:period_detail", kwargs={"pk": period.pk})
    transaction.on_commit(
        lambda: notify_many(
            recipients=people,
            kind="exchange.reports_overdue",
            subject=subject,
            body=body,
            url=url,
        )
    )
    return True


def send_report_reminders(*, today: datetime.date | None = None) -> int:
    """Send the due "soon" and "overdue" reminders; a second run sends nothing twice.

    Returns how many reminders went out (one per NGO and kind, one per staff overview).
    """
    today = today or timezone.localdate()
    sent = 0
    for period in reminder_periods(today):
        kind = reminder_kind_due(period, today)
        if kind is None:
            continue
        missing = list(outstanding_ngos(period))
        if not missing:
            continue
        already = set(
            ReportReminder.objects.filter(period=period, kind=kind).values_list("ngo_id", flat=True)
        )
        todo = [ngo for ngo in missing if ngo.pk not in already]
        people = _representatives([ngo.pk for ngo in todo])
        for ngo in todo:
            # An NGO without representatives has nobody to tell; it is asked again next run.
            if people.get(ngo.pk):
                sent += _remind(period, ngo, kind, people[ngo.pk])
        if kind == ReportReminderKind.OVERDUE and period.overdue_notice_sent_at is None:
            sent += _notify_staff_overdue(period, missing)
    return sent
