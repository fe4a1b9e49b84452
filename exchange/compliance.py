"""Who has reported: the counts of a period list and the compliance table of one period.

Everything is computed in the database (one query per page), so the pages keep the same number
of queries for ten or a thousand reports.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.queries import Total
from councils.models import Organisation, OrganisationKind

from .models import REPORT_PUBLISHED, ReportingPeriod, ReportReminder, ReportStatus

#: The compliance status of an NGO that has not started its report.
MISSING = "missing"

#: Sort by status in the order of the work: missing, draft, returned, submitted, accepted.
_STATUS_ORDER = Case(
    When(report_status=MISSING, then=Value(0)),
    When(report_status=ReportStatus.DRAFT, then=Value(1)),
    When(report_status=ReportStatus.RETURNED, then=Value(2)),
    When(report_status=ReportStatus.SUBMITTED, then=Value(3)),
    When(report_status=ReportStatus.ACCEPTED, then=Value(4)),
    default=Value(5),
    output_field=IntegerField(),
)

#: The sort keys of the compliance table (``-`` in front: descending).
SORTS = ("ngo", "status", "submitted", "late", "reminder")


def _active_ngos(state_id: OuterRef | int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(state_id=state_id, kind=OrganisationKind.NGO, is_active=True)


def periods_with_counts(queryset: QuerySet[ReportingPeriod]) -> QuerySet[ReportingPeriod]:
    """Periods with how many NGOs owe a report, how many submitted, late and published.

    The NGO count is a ``Total`` subquery on the period's state: it groups by the state column
    only, so PostgreSQL counts once per period after joining the reports. (A ``Coalesce`` around
    a grouped subquery made the whole subquery a GROUP BY key, evaluated once per report row.)
    """
    of_active_ngos = Q(reports__ngo__is_active=True, reports__ngo__kind=OrganisationKind.NGO)
    return queryset.annotate(
        ngo_count=Total(_active_ngos(OuterRef("state_id"))),
        submitted_count=Count(
            "reports", filter=of_active_ngos & Q(reports__submitted_at__isnull=False)
        ),
        late_submitted_count=Count(
            "reports", filter=of_active_ngos & Q(reports__submitted_at__date__gt=F("due_on"))
        ),
        published_count=Count("reports", filter=Q(reports__status__in=REPORT_PUBLISHED)),
    )


@dataclass(frozen=True)
class PeriodCounts:
    """The compliance of a period at a glance."""

    ngos: int
    submitted: int
    late_submitted: int
    overdue: bool

    @property
    def missing(self) -> int:
        return max(self.ngos - self.submitted, 0)

    @property
    def late(self) -> int:
        """Submitted after the due date, plus (once it has passed) every one still missing."""
        return self.late_submitted + (self.missing if self.overdue else 0)


def counts_of(period: ReportingPeriod, today: datetime.date | None = None) -> PeriodCounts:
    """The counts of a period annotated by ``periods_with_counts``."""
    today = today or timezone.localdate()
    return PeriodCounts(
        ngos=period.ngo_count,  # type: ignore[attr-defined]
        submitted=period.submitted_count,  # type: ignore[attr-defined]
        late_submitted=period.late_submitted_count,  # type: ignore[attr-defined]
        overdue=today > period.due_on,
    )


def compliance_rows(period: ReportingPeriod) -> QuerySet[Organisation]:
    """Every active NGO of the period's state with its report's status, dates and reminder."""
    last_reminder = (
        ReportReminder.objects.filter(period=period, ngo=OuterRef("pk"))
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    return (
        _active_ngos(period.state_id)
        .annotate(
            report=FilteredRelation(
                "exchange_reports", condition=Q(exchange_reports__period=period)
            ),
            report_pk=F("report__pk"),
            report_status=Coalesce(F("report__status"), Value(MISSING)),
            submitted_at=F("report__submitted_at"),
            last_reminder=Subquery(last_reminder, output_field=DateTimeField()),
            # Lateness sorts like the day the report came (or, still missing, now).
            came=Coalesce(
                F("report__submitted_at"), Value(timezone.now()), output_field=DateTimeField()
            ),
        )
        .order_by("name", "pk")
    )


def filter_rows(
    rows: QuerySet[Organisation],
    period: ReportingPeriod,
    *,
    status: str = "",
    lateness: str = "",
    search: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Organisation]:
    """The compliance rows narrowed by status, lateness ("late", "on_time") and name."""
    today = today or timezone.localdate()
    if status:
        rows = rows.filter(Q(report_status=status))
    late = Q(submitted_at__date__gt=period.due_on)
    if today > period.due_on:
        late |= Q(submitted_at__isnull=True)
    if lateness == "late":
        rows = rows.filter(late)
    elif lateness == "on_time":
        rows = rows.exclude(late)
    for word in search.split():
        rows = rows.filter(name__icontains=word)
    return rows


def sort_rows(rows: QuerySet[Organisation], sort: str) -> QuerySet[Organisation]:
    """Sort by one of ``SORTS`` (``-`` for descending); empty values last; name as tie-breaker."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    expressions: dict[str, F | Case] = {
        "ngo": F("name"),
        "status": _STATUS_ORDER,
        "submitted": F("submitted_at"),
        "late": F("came"),
        "reminder": F("last_reminder"),
    }
    expression = expressions.get(key)
    if expression is None:
        return rows.order_by("name", "pk")
    ordered = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return rows.order_by(ordered, "name", "pk")


def days_late(row: Organisation, period: ReportingPeriod, today: datetime.date) -> int:
    """Days the NGO's report came after the due date (or, not submitted, is late today)."""
    submitted = row.submitted_at  # type: ignore[attr-defined]
    if submitted is not None:
        return period.days_late(timezone.localdate(submitted))
    return period.days_late(None, today)
