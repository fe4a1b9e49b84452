"""`seed_demo --scale state`: ten years of funding requests in every status, consistent sums.

The seed runs with the clock set to an autumn day of last year, so the current programme year
has got far enough for every status whatever day the tests run (early in January a real
current year holds only drafts and submissions, which is right, but not what this tests).
The consistency of every step's log is tested in tests/test_scale_seed.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.test import override_settings
from django.utils import timezone

from core.clock import frozen_at
from funding import scale
from funding.models import (
    ZERO,
    CostLine,
    FundingRequest,
    FundingSource,
    Programme,
    StatusChange,
)
from funding.models import RequestStatus as S

#: Requests per year's state programme (the default is 540; fewer keep the test fast).
PER_YEAR = 120
AUTUMN = timezone.make_aware(datetime(timezone.localdate().year - 1, 10, 15, 12))


def seed_scale() -> str:
    out = StringIO()
    with frozen_at(AUTUMN):
        call_command(
            "seed_demo",
            "--force",
            "--scale",
            "state",
            "--councils",
            "12",
            "--ngos",
            "2",
            "--users",
            "60",
            "--requests-per-year",
            str(PER_YEAR),
            stdout=out,
        )
    return out.getvalue()


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
def _seeded(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Seeded once for the module in a transaction rolled back at its end."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield seed_scale()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded: str, db: None) -> str:
    return _seeded


def test_scale_state_seeds_ten_years_of_requests_and_is_idempotent(seeded: str) -> None:
    out = seeded
    assert "land-01: " in out and "funding requests" in out
    programmes = Programme.objects.filter(state__slug="land-01")
    years = set(programmes.values_list("year", flat=True))
    assert len(years) == scale.YEARS
    assert programmes.filter(source=FundingSource.FEDERAL).count() == scale.FEDERAL_YEARS
    requests = FundingRequest.objects.filter(programme__state__slug="land-01")
    count = requests.count()
    assert count == scale.YEARS * PER_YEAR + scale.FEDERAL_YEARS * (PER_YEAR // 3)
    assert set(requests.values_list("status", flat=True)) == set(S.values)
    current = max(years)
    assert set(requests.filter(programme__year=current).values_list("status", flat=True)) == set(
        S.values
    )
    # Old years are mostly closed files.
    old = requests.filter(programme__year__lte=current - 2)
    assert old.filter(status=S.CLOSED).count() > old.count() / 2
    # Every request sits within its tier and its programme year; the cost plan adds up.
    for request in requests.select_related("tier", "programme").annotate(
        lines=Sum("cost_lines__amount"), n=Count("cost_lines")
    )[:300]:
        assert request.tier is not None and request.requested_amount <= request.tier.max_amount
        assert request.start_date.year == request.programme.year == request.end_date.year
        assert request.lines == request.total_costs
        assert request.requested_amount == (
            request.total_costs - request.own_contribution - request.third_party_funds
        )
        assert request.own_share >= Decimal("10.00")
        assert request.approved_amount is None or (
            0 < request.approved_amount <= request.requested_amount
        )
        assert request.paid_amount <= (request.approved_amount or ZERO)
    for programme in programmes:
        assert (programme.committed, programme.paid) == expected_sums(programme)
        assert programme.committed <= programme.budget
    # Every request that left the draft has its steps logged, the last one to its status.
    for request in requests.exclude(status=S.DRAFT)[:300]:
        assert request.status_changes.order_by("at", "pk").last().to_status == request.status
    assert not StatusChange.objects.filter(request__in=requests.filter(status=S.DRAFT)).exists()

    before = (Programme.objects.count(), FundingRequest.objects.count(), CostLine.objects.count())
    seed_scale()
    assert (
        Programme.objects.count(),
        FundingRequest.objects.count(),
        CostLine.objects.count(),
    ) == before


def test_recount_gives_each_programme_the_sums_of_its_requests(seeded: str) -> None:
    programme = Programme.objects.filter(state__slug="land-01").order_by("year").first()
    assert programme is not None
    right = (programme.committed, programme.paid)
    Programme.objects.filter(pk=programme.pk).update(committed=ZERO, paid=ZERO)
    scale.recount_programmes([programme.pk])
    programme.refresh_from_db()
    assert (programme.committed, programme.paid) == right


@pytest.mark.django_db
def test_a_state_without_councils_gets_no_funding() -> None:
    # A second state: land-01 may be there already (this module's seed), land-02 is new.
    out = StringIO()
    call_command(
        "seed_demo",
        "--force",
        "--scale",
        "federal",
        *("--states", "2", "--councils", "0", "--ngos", "0", "--users", "2"),
        stdout=out,
    )
    assert "land-02: created" in out.getvalue()
    assert not Programme.objects.filter(state__slug="land-02").exists()
