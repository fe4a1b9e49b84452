"""The demo funding: ten years of programmes, requests in every status, consistent sums."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from councils.models import User
from funding import demo, letters, payments, scale, tasks
from funding.models import (
    ZERO,
    Attachment,
    CostLine,
    FundingRequest,
    FundingRequestReviewer,
    FundingSource,
    Letter,
    LetterKind,
    LetterTemplate,
    Payment,
    Programme,
    Receipt,
    Review,
    StatusChange,
    Submission,
)
from funding.models import RequestStatus as S

pytestmark = pytest.mark.django_db

HAMELN = "Kommunaler Präventionsrat Hameln-Pyrmont"


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (
        Programme,
        FundingRequest,
        CostLine,
        StatusChange,
        Submission,
        Review,
        Letter,
        LetterTemplate,
        Payment,
        Receipt,
        Attachment,
    )
    return {model.__name__: model.objects.count() for model in models}


def expected_sums(programme: Programme) -> tuple[Decimal, Decimal]:
    committed, paid = ZERO, ZERO
    for request in programme.requests.all():
        if request.status in scale.BOUND:
            committed += request.approved_amount or ZERO
        elif request.status in scale.SETTLED:
            # Only a received repayment lowers the sums; a demanded one is an open claim.
            committed += request.paid_amount - request.repaid_amount
        paid += request.paid_amount - request.repaid_amount
    return committed, paid


@pytest.fixture(scope="module")
def _seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo, seeded once for the module in a transaction rolled back at its end; each test
    runs in a savepoint inside it. The test on an empty database is in test_demo_empty.py."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def demo_data(_seeded: str, db: None) -> str:
    return _seeded


def test_seed_is_idempotent(demo_data: str) -> None:
    assert "Demo funding created: Niedersachsen" in demo_data
    assert "Demo funding created: Mecklenburg-Vorpommern" in demo_data
    first = counts()
    assert first["FundingRequest"] > 40
    out = seed()
    assert "Demo funding created" not in out
    assert counts() == first


def test_programmes_of_ten_years_with_tiers_rules_and_templates(demo_data: str) -> None:
    year = timezone.localdate().year
    for slug in ("niedersachsen", "mecklenburg-vorpommern"):
        programmes = Programme.objects.filter(state__slug=slug)
        state_years = set(programmes.filter(title=demo.STATE_TITLE).values_list("year", flat=True))
        assert state_years == set(range(year - 9, year + 1))
        assert programmes.filter(source=FundingSource.FEDERAL, year=year).exists()
        assert programmes.filter(source=FundingSource.FEDERAL, year__lt=year).exists()
        for programme in programmes.prefetch_related("tiers"):
            assert [(t.name, t.max_amount) for t in programme.tiers.all()] == [
                ("Kleinprojekt", Decimal("1000.00")),
                ("Größeres Projekt", Decimal("15000.00")),
            ]
            assert programme.min_own_share == Decimal("10.00")
            assert programme.four_eyes_threshold == Decimal("5000.00")
            assert programme.retained_share == Decimal("10.00")
            assert str(programme) == f"{programme.title} {programme.year}"
        current = programmes.get(title=demo.STATE_TITLE, year=year)
        assert current.is_open(timezone.localdate())
        assert not programmes.get(title=demo.STATE_TITLE, year=year - 3).is_open(
            timezone.localdate()
        )
        kinds = set(LetterTemplate.objects.filter(state__slug=slug).values_list("kind", flat=True))
        assert kinds == {LetterKind.APPROVAL, LetterKind.REJECTION}


def test_every_status_occurs_and_files_span_ten_years(demo_data: str) -> None:
    year = timezone.localdate().year
    ni = FundingRequest.objects.filter(programme__state__slug="niedersachsen")
    assert set(ni.values_list("status", flat=True)) == set(S.values)
    assert set(ni.values_list("programme__year", flat=True)) == set(range(year - 9, year + 1))
    assert ni.filter(programme__year__lt=year - 1, status=S.CLOSED).count() >= 9
    assert ni.values("applicant").distinct().count() >= 6
    mv = FundingRequest.objects.filter(programme__state__slug="mecklenburg-vorpommern")
    mv_statuses = set(mv.values_list("status", flat=True))
    assert mv_statuses >= {
        S.DRAFT,
        S.SUBMITTED,
        S.RETURNED,
        S.REVIEW,
        S.AWAITING_CONFIRMATION,
        S.APPROVED,
        S.REJECTED,
        S.PAID,
        S.PROOF_SUBMITTED,
        S.CLOSED,
    }
    rostock = User.objects.get(username="rostock-koordination")
    assert FundingRequest.objects.visible_to(rostock).filter(status=S.RETURNED).exists()
    assert (
        not FundingRequest.objects.visible_to(rostock)
        .filter(programme__state__slug="niedersachsen")
        .exists()
    )


def test_the_workflow_left_its_traces(demo_data: str) -> None:
    ni = FundingRequest.objects.filter(programme__state__slug="niedersachsen")
    for request in ni.exclude(status=S.DRAFT):
        assert request.submissions.exists(), request
        assert request.status_changes.order_by("at", "pk").last().to_status == request.status
    for request in ni.filter(status__in=[S.APPROVED, S.REJECTED], decided_at__isnull=False):
        assert request.decided_by is not None
    review = ni.get(status=S.REVIEW)
    reviewer = User.objects.get(username="ngo-vertretung")
    assert FundingRequestReviewer.objects.filter(content_object=review, user=reviewer).exists()
    assert Review.objects.filter(request=review, reviewer=reviewer).exists()
    waiting = ni.get(status=S.AWAITING_CONFIRMATION)
    assert waiting.proposed_by == User.objects.get(username="lpr-referent")
    assert waiting.proposed_amount > waiting.programme.four_eyes_threshold
    four_eyes = ni.filter(
        programme__year=timezone.localdate().year,
        decided_by__username="lpr-referentin2",
        proposed_by__username="lpr-referent",
    )
    assert four_eyes.exists()
    # No letter is rendered while seeding: the periodic task finds every decision's letter.
    assert not Letter.objects.exists()
    missing = dict(letters.requests_missing_letters(limit=None))
    decided = ni.filter(decided_at__isnull=False)
    assert set(decided.values_list("pk", flat=True)) <= set(missing)
    assert missing[ni.filter(status=S.CLOSED).first().pk] == LetterKind.APPROVAL
    rejected = ni.filter(status=S.REJECTED).first()
    assert missing[rejected.pk] == LetterKind.REJECTION
    tasks.make_letter(rejected.pk, LetterKind.REJECTION)
    assert rejected.letters.get().file.read(4) == b"%PDF"
    assert Receipt.objects.filter(proof__request__in=ni.filter(status=S.PROOF_SUBMITTED)).exists()
    demanded = ni.get(status=S.REPAYMENT_DEMANDED)
    assert 0 < demanded.repayment_amount <= demanded.paid_amount
    old = ni.filter(programme__year__lt=timezone.localdate().year - 1, status=S.CLOSED).first()
    assert old is not None
    assert old.submitted_at is not None and old.submitted_at.year < timezone.localdate().year
    assert old.status_changes.order_by("at").first().at.year == old.submitted_at.year
    # Every paid instalment has the log the payment's state machine leaves.
    for payment in Payment.objects.filter(request__in=ni).prefetch_related("status_changes"):
        steps = [(c.from_status, c.to_status) for c in payment.status_changes.all()]
        path = [("", "requested"), ("requested", "released"), ("released", "paid")]
        assert steps == path[: len(steps)] and steps[-1][1] == payment.status


def test_the_coordinators_council_has_a_mix_to_work_on(demo_data: str) -> None:
    coordinator = User.objects.get(username="kpr-koordination")
    own = FundingRequest.objects.filter(applicant__name=HAMELN)
    assert own.filter(status=S.DRAFT, created_by=coordinator).exists()
    returned = own.get(status=S.RETURNED)
    assert returned.status_changes.filter(to_status=S.RETURNED).exclude(reason="").exists()
    payable = [r for r in own.filter(status=S.APPROVED) if payments.payment_summary(r).available]
    assert payable
    today = timezone.localdate()
    soon = [
        r
        for r in own.filter(status__in=payments.AWAITING_PROOF)
        if r.proof_due and today <= r.proof_due <= today + datetime.timedelta(days=28)
    ]
    assert soon
    assert FundingRequest.objects.visible_to(coordinator).filter(pk=soon[0].pk).exists()
    assert own.filter(status=S.CLOSED).exists()


def test_programme_sums_are_the_sums_of_the_requests(demo_data: str) -> None:
    for programme in Programme.objects.filter(
        state__slug__in=["niedersachsen", "mecklenburg-vorpommern"]
    ):
        assert (programme.committed, programme.paid) == expected_sums(programme), programme
        assert programme.committed <= programme.budget
    for request in FundingRequest.objects.all():
        assert request.total_costs == sum((line.amount for line in request.cost_lines.all()), ZERO)
        assert request.requested_amount == max(
            request.total_costs - request.own_contribution - request.third_party_funds, ZERO
        )
        paid = sum((p.amount for p in request.payments.filter(status="paid")), ZERO)
        assert paid == request.paid_amount, request


def test_requests_are_linked_to_goals_of_the_adopted_strategy(demo_data: str) -> None:
    from strategy.models import GoalLink, StrategyStatus

    submitted = FundingRequest.objects.filter(programme__state__slug="niedersachsen").exclude(
        status=S.DRAFT
    )
    links = GoalLink.objects.filter(
        content_type__model="fundingrequest", object_id__in=submitted.values("pk")
    )
    linked = set(links.values_list("object_id", flat=True))
    assert linked == set(submitted.values_list("pk", flat=True))
    assert not links.exclude(goal__strategy__status=StrategyStatus.ADOPTED).exists()
    assert not links.exclude(goal__strategy__state__slug="niedersachsen").exists()


def test_the_past_is_told_but_mails_nobody(demo_data: str) -> None:
    from notifications.models import Notification

    notices = Notification.objects.filter(kind__startswith="funding.")
    assert notices.filter(kind="funding.submitted").exists()
    assert not notices.filter(send_email=True).exists()
    now = timezone.now()
    assert notices.filter(created_at__year__lt=now.year).exists()
    assert not notices.filter(created_at__gt=now).exists()
    # Each file's log runs forward in time and never into the future.
    for request in FundingRequest.objects.exclude(status=S.DRAFT).prefetch_related(
        "status_changes"
    ):
        moments = [change.at for change in request.status_changes.all()]
        assert moments == sorted(moments) and moments[-1] <= now, request
        assert request.created_at <= moments[0]
