"""Many NGOs and exchange reports at once, written with bulk_create, for the query-count tests.

A period holds at most one report per NGO, so a thousand reports of one period need a
thousand NGOs. The rows carry what the lists, the compliance table and the digest read:
status, submission time, topics, regions, offered resources, needs and reminders.
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from councils.models import Organisation, OrganisationKind
from councils.topics import Topic
from exchange.models import (
    ExchangeReport,
    OfferedResource,
    ReportingPeriod,
    ReportReminder,
    ReportReminderKind,
    ReportStatus,
    ReportTopic,
    ResourceKind,
)

#: The statuses in turn: one report in four is a draft, a returned one, submitted, accepted.
STATUS_CYCLE = (
    ReportStatus.SUBMITTED,
    ReportStatus.ACCEPTED,
    ReportStatus.DRAFT,
    ReportStatus.RETURNED,
)
_numbers = itertools.count(1)


def bulk_ngos(period: ReportingPeriod, n: int) -> list[Organisation]:
    """``n`` active NGOs of the period's state."""
    batch = next(_numbers)
    return Organisation.objects.bulk_create(
        Organisation(
            state_id=period.state_id,
            kind=OrganisationKind.NGO,
            name=f"Verein {batch}-{i:04d} e. V.",
            city="Hannover",
        )
        for i in range(n)
    )


def bulk_reports(
    period: ReportingPeriod,
    n: int,
    *,
    statuses: tuple[str, ...] = STATUS_CYCLE,
) -> list[ExchangeReport]:
    """``n`` reports of new NGOs for the period, with topics, regions, resources and reminders."""
    ngos = bulk_ngos(period, n)
    now = timezone.now()
    regions = list(period.state.regions.all())
    topics = list(Topic.values)
    kinds = list(ResourceKind.values)
    reports = ExchangeReport.objects.bulk_create(
        ExchangeReport(
            period=period,
            ngo=ngo,
            status=statuses[i % len(statuses)],
            activities=f"Aktivitäten {i}",
            findings=f"Erkenntnisse {i}",
            needs=f"Bedarf {i}" if i % 3 else "",
            submitted_at=(
                None
                if statuses[i % len(statuses)] == ReportStatus.DRAFT
                else now - datetime.timedelta(days=i % 40)
            ),
        )
        for i, ngo in enumerate(ngos)
    )
    ReportTopic.objects.bulk_create(
        ReportTopic(report=report, topic=topic)
        for i, report in enumerate(reports)
        for topic in {topics[i % len(topics)], topics[(i * 7 + 3) % len(topics)]}
    )
    OfferedResource.objects.bulk_create(
        OfferedResource(
            report=report, kind=kinds[(i + j) % len(kinds)], title=f"Angebot {i}.{j}", position=j
        )
        for i, report in enumerate(reports)
        for j in range(i % 3)
    )
    if regions:
        through = ExchangeReport.regions.through
        through.objects.bulk_create(
            through(exchangereport_id=report.pk, region_id=regions[i % len(regions)].pk)
            for i, report in enumerate(reports)
        )
    ReportReminder.objects.bulk_create(
        ReportReminder(period=period, ngo=ngo, kind=ReportReminderKind.DUE_SOON)
        for i, ngo in enumerate(ngos)
        if i % 2
    )
    return reports
