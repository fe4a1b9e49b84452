"""Models of the NGO exchange: reporting periods and reports (reports.py), offers (offers.py)."""

from councils.models import PROVIDER_ROLES  # the role group lives in councils

from .offers import (
    OPEN_REQUESTS,
    Offer,
    OfferKind,
    OfferQuerySet,
    OfferRequest,
    OfferRequestEvent,
    OfferRequestQuerySet,
    OfferRequestStatus,
    OfferTopic,
)
from .reports import (
    REPORT_EDITABLE,
    REPORT_PUBLISHED,
    ExchangeReport,
    ExchangeReportQuerySet,
    OfferedResource,
    ReportAttachment,
    ReportEvent,
    ReportingPeriod,
    ReportingPeriodQuerySet,
    ReportReminder,
    ReportReminderKind,
    ReportStatus,
    ReportTopic,
    ResourceKind,
)

__all__ = [
    "OPEN_REQUESTS",
    "PROVIDER_ROLES",
    "REPORT_EDITABLE",
    "REPORT_PUBLISHED",
    "ExchangeReport",
    "ExchangeReportQuerySet",
    "Offer",
    "OfferKind",
    "OfferQuerySet",
    "OfferRequest",
    "OfferRequestEvent",
    "OfferRequestQuerySet",
    "OfferRequestStatus",
    "OfferTopic",
    "OfferedResource",
    "ReportAttachment",
    "ReportEvent",
    "ReportReminder",
    "ReportReminderKind",
    "ReportStatus",
    "ReportTopic",
    "ReportingPeriod",
    "ReportingPeriodQuerySet",
    "ResourceKind",
]
