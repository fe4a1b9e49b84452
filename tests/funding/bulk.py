"""Many funding requests at once, written with bulk_create, for the query-count tests.

The services would take minutes for a thousand requests; these rows carry what the
dashboards and the statistics read: status, amounts, dates, payments, the reason of a
return, goal links, reviewer assignments and votes.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from councils.topics import Topic
from funding.models import (
    FUNDED,
    ZERO,
    FundingRequest,
    FundingRequestReviewer,
    Payment,
    PaymentStatus,
    Review,
    StatusChange,
    Vote,
)
from funding.models import RequestStatus as S
from strategy.models import GoalLink
from tests.conftest import World
from tests.funding.factories import funding_world, today
from tests.strategy.factories import strategy_world

#: Every status in turn, so each part of the dashboards has rows.
STATUS_CYCLE = tuple(S)
#: Paid out (at least in part) in these states.
WITH_PAYOUT = (S.PAID, S.PROOF_SUBMITTED, S.REPAYMENT_DEMANDED, S.CLOSED)


def bulk_requests(w: World, n: int, *, start: int = 0) -> list[FundingRequest]:
    """``n`` requests of both states' councils in every status (one in ten in the second state)."""
    fw = funding_world(w)
    sw = strategy_world(w)
    goals = [sw.strategic, sw.operational, sw.measure]
    proposers = [w.users["state_staff"], w.users["state_admin"]]
    councils = [w.council, w.other_council]
    topics = [*Topic.values, ""]
    now = timezone.now()
    day = today()
    rows = []
    for i in range(start, start + n):
        status = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        other_state = i % 10 == 9
        council = w.other_state_council if other_state else councils[i % 2]
        # Project ends from about eight months ago to five months ahead: proofs overdue,
        # due soon and due later.
        end = day + datetime.timedelta(days=(i % 60) * 7 - 250)
        rows.append(
            FundingRequest(
                programme=fw.other_programme if other_state else fw.programme,
                applicant=council,
                title=f"Massenantrag {i}",
                topic=topics[i % len(topics)],
                region=council.region if i % 5 else None,
                start_date=end - datetime.timedelta(days=30),
                end_date=end,
                total_costs=Decimal("1000.00"),
                own_contribution=Decimal("200.00"),
                requested_amount=Decimal("800.00"),
                approved_amount=Decimal("800.00") if status in FUNDED else None,
                paid_amount=Decimal("400.00") if status in WITH_PAYOUT else ZERO,
                repayment_amount=Decimal("100.00") if status == S.REPAYMENT_DEMANDED else ZERO,
                status=status,
                round=0 if status == S.DRAFT else 1,
                submitted_at=None if status == S.DRAFT else now,
                decision="approve" if status == S.AWAITING_CONFIRMATION else "",
                proposed_amount=Decimal("800.00") if status == S.AWAITING_CONFIRMATION else None,
                proposed_by=proposers[i % 2] if status == S.AWAITING_CONFIRMATION else None,
                last_step=5,
            )
        )
    created = FundingRequest.objects.bulk_create(rows)
    _payments(created)
    _returns(created)
    _goal_links(created, goals, sw.other_state_measure)
    _reviews(created, w)
    return created


def _payments(requests: list[FundingRequest]) -> None:
    payments = []
    for i, request in enumerate(requests):
        if request.status == S.PAYMENT_REQUESTED:
            status = PaymentStatus.REQUESTED if i % 2 else PaymentStatus.RELEASED
            payments.append(Payment(request=request, amount=Decimal("300.00"), status=status))
        elif request.status in WITH_PAYOUT:
            payments.append(
                Payment(request=request, amount=Decimal("400.00"), status=PaymentStatus.PAID)
            )
    Payment.objects.bulk_create(payments)


def _returns(requests: list[FundingRequest]) -> None:
    StatusChange.objects.bulk_create(
        StatusChange(
            request=request,
            from_status=S.FORMAL_CHECK,
            to_status=S.RETURNED,
            reason=f"Bitte den Kostenplan ergänzen ({request.title}).",
        )
        for request in requests
        if request.status == S.RETURNED
    )


def _goal_links(requests: list[FundingRequest], goals: list, other_goal: object) -> None:
    content_type = ContentType.objects.get_for_model(FundingRequest)
    links = []
    for i, request in enumerate(requests):
        if request.applicant.state_id != goals[0].strategy.state_id:
            links.append(GoalLink(goal=other_goal, content_type=content_type, object_id=request.pk))
            continue
        links.append(GoalLink(goal=goals[i % 3], content_type=content_type, object_id=request.pk))
        if i % 2 == 0:
            links.append(
                GoalLink(goal=goals[(i + 1) % 3], content_type=content_type, object_id=request.pk)
            )
    GoalLink.objects.bulk_create(links)


def _reviews(requests: list[FundingRequest], w: World) -> None:
    """The NGO representative reviews every request in review; has voted on every other one."""
    reviewer = w.users["ngo_representative"]
    permission = Permission.objects.get(
        content_type__app_label="funding", codename="review_fundingrequest"
    )
    in_review = [r for r in requests if r.status == S.REVIEW]
    FundingRequestReviewer.objects.bulk_create(
        FundingRequestReviewer(user=reviewer, permission=permission, content_object=request)
        for request in in_review
    )
    Review.objects.bulk_create(
        Review(request=request, reviewer=reviewer, round=1, vote=Vote.APPROVE, comment="Gut.")
        for request in in_review[::2]
    )
