"""The exchange parts of the dashboards: the network's newest reports and offers, the NGO's
reports and the requests it has to answer, the council's requests for offers with their next
step, and the state office's view of who has reported.

Usage in a dashboard view: ``context["exchange_feed"] = network_feed(state, user)`` and
``{% include "exchange/includes/dashboard_feed.html" with feed=exchange_feed %}``; likewise
``context["exchange_summary"] = state_exchange_summary(state, user)`` with
``{% include "exchange/includes/dashboard_state.html" with summary=exchange_summary %}``, and
``council_exchange_summary`` and ``ngo_exchange_summary`` with ``dashboard_council.html`` and
``dashboard_ngo.html``. Each function runs a fixed number of queries, however many reports,
offers and requests there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queries import head_and_total
from councils.models import Organisation, StateNetwork

from .compliance import MISSING, PeriodCounts, counts_of, periods_with_counts
from .models import (
    OPEN_REQUESTS,
    REPORT_EDITABLE,
    ExchangeReport,
    Offer,
    OfferRequest,
    ReportEvent,
    ReportingPeriod,
)
from .models import OfferRequestStatus as RS
from .models import ReportStatus as R
from .permissions import is_ngo_representative, requesting_councils
from .reminders import OVERDUE_LOOKBACK_DAYS
from .views.offer_requests import STATUS_BADGES as REQUEST_BADGES
from .views.reports import STATUS_BADGES as REPORT_BADGES

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

#: How many reports and how many offers the network feed shows.
FEED_LIMIT = 8
#: A period stays on the NGO's dashboard this long after its due date (as long as reminders go).
RECENT_DAYS = OVERDUE_LOOKBACK_DAYS
#: How many periods the NGO's dashboard lists, the latest due first.
NGO_PERIODS_SHOWN = 4
#: How many requests for its offers the NGO's dashboard lists, the longest waiting first.
NGO_REQUESTS_SHOWN = 10
#: How many of the council's requests for offers its dashboard lists, the most urgent first.
COUNCIL_REQUESTS_SHOWN = 20
#: A finished offer is offered for rating this many days after it was marked as done.
RATING_DAYS = 90
#: How many periods the state dashboard counts, the latest started first.
STATE_PERIODS_SHOWN = 3
#: How many reports waiting for acceptance the state dashboard lists, the oldest first.
WAITING_SHOWN = 10


# The network feed ----------------------------------------------------------------------------


@dataclass
class NetworkFeed:
    """The newest published exchange reports and offers of one state's network."""

    state: StateNetwork
    reports: list[ExchangeReport]
    offers: list[Offer]


def network_feed(
    state: StateNetwork, user: User | AnonymousUser, *, limit: int = FEED_LIMIT
) -> NetworkFeed:
    """The state's newest submitted or accepted reports and published offers (2 queries).

    The newest reports are chosen by id in a subquery and only those joined with their NGO and
    period: joined first, every published report of the state (a thousand at federal scale)
    was joined with its NGO before the sort kept eight of them.
    """
    newest = F("submitted_at").desc(nulls_last=True), "-pk"
    chosen = (
        ExchangeReport.objects.visible_to(user)
        .published()  # staff and the NGO itself also see drafts: never in the feed
        .filter(period__state=state)
        .order_by(*newest)
        .values("pk")[:limit]
    )
    reports = list(
        ExchangeReport.objects.filter(pk__in=chosen)
        .select_related("ngo", "period")
        .order_by(*newest)
    )
    offers = list(
        Offer.objects.visible_to(user)
        .published()  # the provider and staff also see unpublished offers: never in the feed
        .filter(state=state)
        .select_related("provider")
        .order_by("-created_at", "-pk")[:limit]
    )
    return NetworkFeed(state=state, reports=reports, offers=offers)


# The NGO -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnPeriod:
    """A period with the NGO's report in it (``report`` None: not started yet)."""

    period: ReportingPeriod
    report: ExchangeReport | None
    today: datetime.date

    @property
    def status(self) -> str:
        """The report's status, or ``MISSING`` while the NGO has not started it."""
        return self.report.status if self.report else MISSING

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else _("Not started")

    @property
    def badge(self) -> str:
        return REPORT_BADGES[self.status]

    @property
    def is_editable(self) -> bool:
        return self.report is not None and self.report.status in REPORT_EDITABLE

    @property
    def submitted_on(self) -> datetime.date | None:
        """The day of the first submission (it stays when the report is returned)."""
        if self.report is None or self.report.submitted_at is None:
            return None
        return timezone.localdate(self.report.submitted_at)

    @property
    def days_left(self) -> int | None:
        """Days until the due date while the report is not submitted; None once due or sent."""
        if self.submitted_on is not None or self.today > self.period.due_on:
            return None
        return (self.period.due_on - self.today).days

    @property
    def days_late(self) -> int:
        """Days after the due date it was submitted (or, not submitted, is late today)."""
        return self.period.days_late(self.submitted_on, self.today)


@dataclass(frozen=True)
class ReturnedReport:
    """A report the state office sent back, with its newest question."""

    report: ExchangeReport
    question: str
    asked_at: datetime.datetime | None


@dataclass
class NgoExchangeSummary:
    """What the NGO's dashboard shows of the exchange."""

    ngo: Organisation
    periods: list[OwnPeriod]
    returned: list[ReturnedReport]
    requests: list[OfferRequest]
    request_count: int
    is_representative: bool

    @property
    def more_requests(self) -> bool:
        return self.request_count > len(self.requests)


def ngo_exchange_summary(
    ngo: Organisation, user: User | AnonymousUser, *, today: datetime.date | None = None
) -> NgoExchangeSummary:
    """The NGO's report per open or recent period, returned reports, requests to answer.

    Three queries: the periods, the NGO's reports of them and the returned ones (with the
    question), the requests for its offers waiting for an answer with their number.
    """
    today = today or timezone.localdate()
    periods = list(
        ReportingPeriod.objects.visible_to(user)
        .filter(
            state_id=ngo.state_id,
            starts_on__lte=today,
            due_on__gte=today - datetime.timedelta(days=RECENT_DAYS),
        )
        .order_by("-due_on", "-starts_on", "-pk")[:NGO_PERIODS_SHOWN]
    )
    by_pk = {period.pk: period for period in periods}
    newest_question = ReportEvent.objects.filter(
        report=OuterRef("pk"), to_status=R.RETURNED
    ).order_by("-at", "-pk")
    reports = list(
        ExchangeReport.objects.visible_to(user)
        .filter(ngo=ngo)
        .filter(Q(period_id__in=list(by_pk)) | Q(status=R.RETURNED))
        .select_related("period")
        .annotate(
            question=Subquery(newest_question.values("reason")[:1]),
            asked_at=Subquery(newest_question.values("at")[:1]),
        )
        .order_by("-period__due_on", "-pk")
    )
    own = {report.period_id: report for report in reports}
    waiting = OfferRequest.objects.visible_to(user).filter(offer__provider=ngo, status=RS.REQUESTED)
    requests, request_count = head_and_total(
        waiting.select_related("offer", "council").order_by("created_at", "pk"), NGO_REQUESTS_SHOWN
    )
    return NgoExchangeSummary(
        ngo=ngo,
        periods=[OwnPeriod(period, own.get(period.pk), today) for period in periods],
        returned=[
            ReturnedReport(
                report,
                getattr(report, "question", "") or "",
                getattr(report, "asked_at", None),
            )
            for report in reports
            if report.status == R.RETURNED
        ],
        requests=requests,
        request_count=request_count,
        is_representative=is_ngo_representative(user, ngo.pk),
    )


# The council ---------------------------------------------------------------------------------

#: The council's requests in the order of its work: answer a proposed date, rate a finished
#: offer, wait for the agreed date, wait for the provider's answer.
_REQUEST_URGENCY = Case(
    When(status=RS.DATE_PROPOSED, then=Value(0)),
    When(status=RS.DONE, then=Value(1)),
    When(status=RS.ACCEPTED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class CouncilRequestRow:
    """A council's request for an offer with what comes next; ``url`` only for coordinators."""

    request: OfferRequest
    step: str
    badge: str
    url: str = ""
    #: Accepted and its date has come (or none was agreed): it can be marked as done.
    took_place: bool = False


@dataclass
class CouncilExchangeSummary:
    """What the council's dashboard shows of the requests for offers."""

    council: Organisation
    rows: list[CouncilRequestRow]
    open_count: int
    is_coordinator: bool

    @property
    def more(self) -> bool:
        return self.open_count > len(self.rows)


def _council_row(
    offer_request: OfferRequest, coordinator: bool, today: datetime.date
) -> CouncilRequestRow:
    """The next step of one request; the link is the page where the coordinator takes it."""
    status = offer_request.status
    badge = REQUEST_BADGES[status]
    if status == RS.DATE_PROPOSED:
        url = offer_request.get_absolute_url() if coordinator else ""
        return CouncilRequestRow(offer_request, "answer_proposal", badge, url)
    if status == RS.DONE:
        url = reverse("exchange:offer_request_rate", args=[offer_request.pk]) if coordinator else ""
        return CouncilRequestRow(offer_request, "rate", badge, url)
    if status == RS.ACCEPTED:
        date = offer_request.agreed_date
        return CouncilRequestRow(
            offer_request, "accepted", badge, took_place=date is None or date <= today
        )
    return CouncilRequestRow(offer_request, "wait_for_provider", badge)


def council_exchange_summary(
    council: Organisation, user: User | AnonymousUser, *, today: datetime.date | None = None
) -> CouncilExchangeSummary:
    """The council's open requests for offers and recently finished unrated ones (1 query)."""
    today = today or timezone.localdate()
    coordinator = any(c.pk == council.pk for c in requesting_councils(user))
    rated_since = timezone.now() - datetime.timedelta(days=RATING_DAYS)
    to_rate = Q(status=RS.DONE, rating__isnull=True, updated_at__gte=rated_since)
    requests = (
        OfferRequest.objects.visible_to(user)
        .filter(council=council)
        .filter(Q(status__in=OPEN_REQUESTS) | to_rate)
    )
    rows, open_count = head_and_total(
        requests.select_related("offer__provider")
        .annotate(urgency=_REQUEST_URGENCY)
        .order_by("urgency", F("agreed_date").asc(nulls_last=True), "created_at", "pk"),
        COUNCIL_REQUESTS_SHOWN,
    )
    return CouncilExchangeSummary(
        council=council,
        rows=[_council_row(row, coordinator, today) for row in rows],
        open_count=open_count,
        is_coordinator=coordinator,
    )


# The state office ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodCompliance:
    """A period with how many NGOs have submitted, are missing and are late."""

    period: ReportingPeriod
    counts: PeriodCounts


@dataclass
class StateExchangeSummary:
    """What the state dashboard shows of the exchange."""

    state: StateNetwork
    periods: list[PeriodCompliance]
    waiting: list[ExchangeReport]
    waiting_count: int

    @property
    def more_waiting(self) -> bool:
        return self.waiting_count > len(self.waiting)


def state_exchange_summary(
    state: StateNetwork, user: User | AnonymousUser, *, today: datetime.date | None = None
) -> StateExchangeSummary:
    """Compliance of the latest periods and the reports waiting for acceptance (2 queries)."""
    today = today or timezone.localdate()
    latest = ("-starts_on", "-pk")
    # The latest periods are chosen first and only their reports counted (not every report
    # of every period of the state before the limit).
    chosen = (
        ReportingPeriod.objects.visible_to(user)
        .filter(state=state, starts_on__lte=today)
        .order_by(*latest)
        .values("pk")[:STATE_PERIODS_SHOWN]
    )
    periods = list(
        periods_with_counts(ReportingPeriod.objects.filter(pk__in=chosen)).order_by(*latest)
    )
    waiting = ExchangeReport.objects.visible_to(user).filter(
        period__state=state, status=R.SUBMITTED
    )
    rows, waiting_count = head_and_total(
        waiting.select_related("ngo", "period").order_by("submitted_at", "pk"), WAITING_SHOWN
    )
    return StateExchangeSummary(
        state=state,
        periods=[PeriodCompliance(period, counts_of(period, today)) for period in periods],
        waiting=rows,
        waiting_count=waiting_count,
    )
