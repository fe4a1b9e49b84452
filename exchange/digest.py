"""The digest of a period: its published reports by topic, the offered resources beside the needs.

A report about two topics appears under both. The page and the PDF (WeasyPrint) show the same
groups; loading them costs one query for the reports and one per kind of related row.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from councils.models import Region
from councils.topics import Topic

from .models import (
    ExchangeReport,
    ExchangeReportQuerySet,
    OfferedResource,
    ReportingPeriod,
    ResourceKind,
)

#: The group of published reports without a topic (written before topics were required).
NO_TOPIC = ""


@dataclass
class TopicGroup:
    """The reports of one topic, their offered resources and their needs."""

    topic: str
    label: str
    reports: list[ExchangeReport] = field(default_factory=list)

    @property
    def resources(self) -> list[OfferedResource]:
        return [resource for report in self.reports for resource in report.resources.all()]

    @property
    def needs(self) -> list[ExchangeReport]:
        """The reports that name a need."""
        return [report for report in self.reports if report.needs.strip()]

    @property
    def anchor(self) -> str:
        return f"topic-{self.topic or 'none'}"


@dataclass
class Digest:
    period: ReportingPeriod
    reports: list[ExchangeReport]
    groups: list[TopicGroup]

    @property
    def resource_counts(self) -> list[tuple[str, int]]:
        """How many resources of each kind the period's reports offer."""
        counts = Counter(
            resource.kind for report in self.reports for resource in report.resources.all()
        )
        return [(str(label), counts[value]) for value, label in ResourceKind.choices]

    @property
    def resource_total(self) -> int:
        return sum(count for _label, count in self.resource_counts)


def digest_reports(reports: ExchangeReportQuerySet) -> list[ExchangeReport]:
    """The published reports with NGO, topics, resources and regions."""
    return list(
        reports.published()
        .select_related("ngo")
        .prefetch_related(
            "topics",
            Prefetch("resources", queryset=OfferedResource.objects.order_by("position", "pk")),
            Prefetch("regions", queryset=Region.objects.order_by("name", "pk")),
        )
        .order_by("ngo__name", "pk")
    )


def build_digest(period: ReportingPeriod, reports: ExchangeReportQuerySet) -> Digest:
    """Group the period's published reports (from the user's visible ones) by topic."""
    rows = digest_reports(reports.filter(period=period))
    by_topic: dict[str, list[ExchangeReport]] = {}
    for report in rows:
        topics = [row.topic for row in report.topics.all()] or [NO_TOPIC]
        for topic in topics:
            by_topic.setdefault(topic, []).append(report)
    groups = [
        TopicGroup(value, str(label), by_topic[value])
        for value, label in Topic.choices
        if value in by_topic
    ]
    if NO_TOPIC in by_topic:
        groups.append(TopicGroup(NO_TOPIC, _("Without topic"), by_topic[NO_TOPIC]))
    return Digest(period=period, reports=rows, groups=groups)


def pdf_filename(period: ReportingPeriod) -> str:
    """An ASCII file name such as austauschberichte-1-halbjahr-2026.pdf."""
    return f"austauschberichte-{slugify(period.title)[:80] or period.pk}.pdf"


def write_pdf(digest: Digest) -> bytes:
    """The digest as a printed paper; nothing is fetched from outside (only data: URLs)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "exchange/pdf/digest.html", {"digest": digest, "today": datetime.date.today()}
    )
    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf: bytes | None = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return pdf
