"""The funding parts of the dashboards: the state office's pipeline and work, the council's
requests with what is due next, and a reviewer's open votes.

Usage in a dashboard view: ``context["funding_summary"] = state_funding_summary(state, user)``
and ``{% include "funding/includes/dashboard_state.html" with summary=funding_summary %}``;
likewise ``council_funding_summary`` with ``dashboard_council.html`` and ``reviewer_tasks``
with ``{% include "funding/includes/dashboard_reviewer.html" with tasks=reviewer_tasks %}``.
Each function runs a fixed number of queries, however many requests there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from councils.models import Organisation, StateNetwork
from councils.permissions import staff_state_ids

from .models import (
    PAYABLE,
    PROOF_DUE_MONTHS,
    WITH_STAFF,
    ZERO,
    FundingRequest,
    Payment,
    PaymentStatus,
    Programme,
    Review,
    StatusChange,
    add_months,
    reviewer_request_ids,
)
from .models import RequestStatus as S
from .payments import AWAITING_PROOF, retained_amount
from .permissions import applicant_councils
from .views.request_common import STATUS_BADGES, resume_step

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

#: How many overdue proofs the state dashboard lists by name.
OVERDUE_SHOWN = 10
#: How many of the council's open requests the council dashboard lists, the most urgent first.
COUNCIL_ROWS_SHOWN = 20
#: A proof of use counts as "due soon" on the council dashboard this many days ahead.
PROOF_SOON_DAYS = 8 * 7
#: The applicant has nothing more to do on these requests.
FINISHED = (S.CLOSED, S.REJECTED, S.WITHDRAWN)

MONEY = DecimalField(max_digits=14, decimal_places=2)


def last_end_with_proof_due_before(day: datetime.date) -> datetime.date:
    """The latest project end whose proof of use (``proof_due``) falls before the day."""
    end = add_months(day, -PROOF_DUE_MONTHS)
    # add_months clamps to month ends, so step to the exact boundary (a few days at most).
    while add_months(end, PROOF_DUE_MONTHS) >= day:
        end -= datetime.timedelta(days=1)
    while add_months(end + datetime.timedelta(days=1), PROOF_DUE_MONTHS) < day:
        end += datetime.timedelta(days=1)
    return end


# The state office ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    """One step of the pipeline: how many of the state's requests are in the status."""

    status: str
    label: str
    count: int


@dataclass(frozen=True)
class WaitingItem:
    """Work waiting for the state office; ``status`` is the request list's filter value."""

    key: str
    label: str | Promise
    count: int
    status: str


#: The state office's work: key, label and the request list's status filter. Overdue proofs
#: have no single status, so the dashboard lists them by name instead of linking the list.
WAITING_ITEMS: tuple[tuple[str, str | Promise, str], ...] = (
    ("submitted", _("Submitted, waiting for the formal check"), S.SUBMITTED),
    ("formal_check", _("In formal check"), S.FORMAL_CHECK),
    ("review", _("In review"), S.REVIEW),
    ("to_confirm", _("Decisions for you to confirm (four-eyes)"), S.AWAITING_CONFIRMATION),
    ("to_release", _("Payments to release"), S.PAYMENT_REQUESTED),
    ("to_mark_paid", _("Released payments to mark as paid"), S.PAYMENT_REQUESTED),
    ("proof_to_check", _("Proofs of use to check"), S.PROOF_SUBMITTED),
    ("proof_overdue", _("Proofs of use overdue"), ""),
    ("repayment", _("Repayments demanded"), S.REPAYMENT_DEMANDED),
)


@dataclass(frozen=True)
class BudgetRow:
    """A programme's budget and how much of it is committed and paid."""

    programme: Programme

    @property
    def claims_total(self) -> Decimal:
        """Demanded repayments not yet received (annotated by ``with_open_claims``)."""
        return getattr(self.programme, "claims_total", ZERO)

    @property
    def claims_count(self) -> int:
        return getattr(self.programme, "claims_count", 0)

    @property
    def share_used(self) -> Decimal:
        """Committed as a percentage of the budget."""
        budget = self.programme.budget
        if not budget:
            return ZERO
        return (self.programme.committed * 100 / budget).quantize(Decimal("0.1"))


@dataclass
class StateFundingSummary:
    """What the state dashboard shows of funding."""

    state: StateNetwork
    pipeline: list[StatusCount]
    waiting: list[WaitingItem]
    overdue: list[FundingRequest]
    budgets: list[BudgetRow]
    years: tuple[int, int]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.pipeline)

    def count(self, key: str) -> int:
        """The number of one waiting item (for tests and templates)."""
        return next(item.count for item in self.waiting if item.key == key)


def state_funding_summary(
    state: StateNetwork, user: User | AnonymousUser, *, today: datetime.date | None = None
) -> StateFundingSummary:
    """Pipeline, waiting work and budget use of the state's funding (4 queries)."""
    today = today or timezone.localdate()
    overdue_end = last_end_with_proof_due_before(today)
    staff_states = staff_state_ids(user)
    if staff_states is None or state.pk in staff_states:
        # The state's staff read every request of the state but drafts: that is what
        # visible_to() leaves of the state, without its OR of the assigned reviews, so the
        # counts come from the index request_state_status alone.
        requests = FundingRequest.objects.filter(state=state)
    else:
        requests = FundingRequest.objects.visible_to(user).filter(state=state)
    requests = requests.exclude(status=S.DRAFT)  # staff never see drafts
    by_status = {
        row["status"]: row
        for row in requests.order_by()
        .values("status")
        .annotate(
            n=Count("pk"),
            to_confirm=Count("pk", filter=~Q(proposed_by_id=user.pk)),
            overdue=Count("pk", filter=Q(end_date__lte=overdue_end)),
        )
    }

    def number(status: str, key: str = "n") -> int:
        return int(by_status[status][key]) if status in by_status else 0

    open_payments = Payment.objects.filter(
        status__in=[PaymentStatus.REQUESTED, PaymentStatus.RELEASED]  # the index payment_open
    )
    payments = open_payments.filter(request__in=requests).aggregate(
        requested=Count("pk", filter=Q(status=PaymentStatus.REQUESTED)),
        released=Count("pk", filter=Q(status=PaymentStatus.RELEASED)),
    )
    counts = {
        "submitted": number(S.SUBMITTED),
        "formal_check": number(S.FORMAL_CHECK),
        "review": number(S.REVIEW),
        "to_confirm": number(S.AWAITING_CONFIRMATION, "to_confirm"),
        "to_release": payments["requested"],
        "to_mark_paid": payments["released"],
        "proof_to_check": number(S.PROOF_SUBMITTED),
        "proof_overdue": sum(number(status, "overdue") for status in AWAITING_PROOF),
        "repayment": number(S.REPAYMENT_DEMANDED),
    }
    waiting = [WaitingItem(key, label, counts[key], status) for key, label, status in WAITING_ITEMS]
    overdue = list(
        requests.filter(status__in=AWAITING_PROOF, end_date__lte=overdue_end)
        .select_related("applicant")
        .order_by("end_date", "pk")[:OVERDUE_SHOWN]
    )
    years = (today.year, today.year - 1)
    programmes = (
        Programme.objects.managed_by(user)
        .filter(state=state, year__in=years)
        .with_open_claims()
        .order_by("-year", "title")
    )
    return StateFundingSummary(
        state=state,
        pipeline=[
            StatusCount(status.value, str(status.label), number(status))
            for status in S
            if status != S.DRAFT
        ],
        waiting=waiting,
        overdue=overdue,
        budgets=[BudgetRow(programme) for programme in programmes],
        years=years,
    )


# The council ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """One thing the council has to do on a request; the template words it by ``kind``."""

    kind: str
    rank: int
    due: datetime.date | None = None
    amount: Decimal | None = None
    reason: str = ""
    url: str = ""


#: The order of urgency of the council's next steps (lower first).
STEP_RANKS = {
    "proof_overdue": 0,
    "repayment": 1,
    "returned": 2,
    "proof_soon": 3,
    "draft": 4,
    "call_money": 5,
}


@dataclass
class CouncilRow:
    """A council's open request, with what is due next."""

    request: FundingRequest
    next_steps: list[NextStep]
    proof_due: datetime.date | None
    badge: str

    @property
    def rank(self) -> int:
        return min((step.rank for step in self.next_steps), default=len(STEP_RANKS))

    @property
    def due(self) -> datetime.date | None:
        return min((step.due for step in self.next_steps if step.due), default=None)

    @property
    def waiting_for(self) -> str:
        """What the request waits for when the council has nothing to do on it."""
        status = self.request.status
        if status in WITH_STAFF:
            return "state_office"
        if status == S.PAYMENT_REQUESTED:
            return "payout"
        if status == S.PROOF_SUBMITTED:
            return "proof_check"
        if self.proof_due is not None:
            return "proof_later"
        return ""


@dataclass
class CouncilFundingSummary:
    """What the council dashboard shows of funding."""

    council: Organisation
    rows: list[CouncilRow]
    open_count: int
    finished_count: int
    counts: dict[str, int]
    is_coordinator: bool
    programmes: list[Programme] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.open_count + self.finished_count

    @property
    def more(self) -> bool:
        return self.open_count > len(self.rows)

    @property
    def has_next_steps(self) -> bool:
        return any(self.counts.values())


def _next_steps(
    request: FundingRequest, today: datetime.date, coordinator: bool, called: Decimal
) -> list[NextStep]:
    """What the council has to do next on the request (links only for coordinators)."""

    def url(name: str, *args: int) -> str:
        return reverse(f"funding:{name}", args=[request.pk, *args]) if coordinator else ""

    next_steps: list[NextStep] = []
    status = request.status
    if status == S.DRAFT:
        next_steps.append(
            NextStep(
                "draft",
                STEP_RANKS["draft"],
                due=request.programme.deadline,
                url=url("request_step", resume_step(request)),
            )
        )
    elif status == S.RETURNED:
        next_steps.append(
            NextStep(
                "returned",
                STEP_RANKS["returned"],
                reason=getattr(request, "return_reason", "") or "",
                url=url("request_step", resume_step(request)),
            )
        )
    elif status == S.REPAYMENT_DEMANDED:
        next_steps.append(
            NextStep("repayment", STEP_RANKS["repayment"], amount=request.repayment_amount)
        )
    if status in PAYABLE:
        approved = request.approved_amount or ZERO
        available = max(approved - retained_amount(request) - called, ZERO)
        if available:
            next_steps.append(
                NextStep(
                    "call_money",
                    STEP_RANKS["call_money"],
                    amount=available,
                    url=url("payment_request"),
                )
            )
    due = request.proof_due
    if status in AWAITING_PROOF and due is not None:
        if today > due:
            next_steps.append(
                NextStep(
                    "proof_overdue", STEP_RANKS["proof_overdue"], due=due, url=url("proof_edit")
                )
            )
        elif (due - today).days <= PROOF_SOON_DAYS:
            next_steps.append(
                NextStep("proof_soon", STEP_RANKS["proof_soon"], due=due, url=url("proof_edit"))
            )
    return sorted(next_steps, key=lambda step: step.rank)


def council_funding_summary(
    council: Organisation, user: User | AnonymousUser, *, today: datetime.date | None = None
) -> CouncilFundingSummary:
    """The council's requests with what is due next; open programmes for coordinators.

    Two queries, and one more for a coordinator (the open programmes).
    """
    today = today or timezone.localdate()
    coordinator = any(c.pk == council.pk for c in applicant_councils(user))
    requests = FundingRequest.objects.visible_to(user).filter(applicant=council)
    returned_reason = (
        StatusChange.objects.filter(request=OuterRef("pk"), to_status=S.RETURNED)
        .order_by("-at", "-pk")
        .values("reason")[:1]
    )
    payments_total = (
        Payment.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    open_requests = list(
        requests.exclude(status__in=FINISHED)
        .select_related("programme")
        .annotate(
            return_reason=Subquery(returned_reason),
            payments_total=Coalesce(Subquery(payments_total, output_field=MONEY), Value(ZERO)),
        )
        .order_by("-created_at", "-pk")
    )
    finished_count = requests.filter(status__in=FINISHED).count()
    rows = [
        CouncilRow(
            request=r,
            next_steps=_next_steps(r, today, coordinator, r.payments_total),
            proof_due=r.proof_due if r.status in AWAITING_PROOF else None,
            badge=STATUS_BADGES[S(r.status)],
        )
        for r in open_requests
    ]
    counts = dict.fromkeys(STEP_RANKS, 0)
    for row in rows:
        for step in row.next_steps:
            counts[step.kind] += 1
    rows.sort(key=lambda row: (row.rank, row.due or datetime.date.max))
    programmes: list[Programme] = []
    if coordinator:
        programmes = list(
            Programme.objects.visible_to(user)
            .open_on(today)
            .filter(state_id=council.state_id)
            .order_by("deadline", "title")
        )
    return CouncilFundingSummary(
        council=council,
        rows=rows[:COUNCIL_ROWS_SHOWN],
        open_count=len(rows),
        finished_count=finished_count,
        counts=counts,
        is_coordinator=coordinator,
        programmes=programmes,
    )


# Reviewers -----------------------------------------------------------------------------------


def reviewer_tasks(user: User | AnonymousUser) -> list[FundingRequest]:
    """Requests in review assigned to the user on which they have not voted this round (1 query)."""
    if not user.is_authenticated:
        return []
    voted = Review.objects.filter(
        request=OuterRef("pk"), reviewer_id=user.pk, round=OuterRef("round")
    )
    # The assigned requests are one of the ways of reading in visible_to(): that filter would
    # add nothing but the cost of building it.
    return list(
        FundingRequest.objects.filter(pk__in=reviewer_request_ids(user), status=S.REVIEW)
        .exclude(Exists(voted))
        .select_related("programme", "applicant")
        .order_by("submitted_at", "pk")
    )
