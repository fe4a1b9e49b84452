"""A demanded repayment is an open claim; only the received money lowers "paid" and frees
the budget (issue 10, point 7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from funding import payments
from funding.dashboard import state_funding_summary
from funding.models import FundingRequest, Programme
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.funding.access_money import submitted_proof
from tests.funding.factories import FundingWorld, funding_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def demanded(world: World) -> tuple[FundingWorld, FundingRequest]:
    fw = funding_world(world)
    request = submitted_proof(
        fw.approved, world.users["coordinator"], world.users["state_staff"], pay=Decimal("500")
    )
    request = payments.proof_demand_repayment(
        request=request, by=world.users["state_staff"], amount=Decimal("150"), reason="Belege"
    )
    return fw, request


def _programme(fw: FundingWorld) -> Programme:
    return Programme.objects.get(pk=fw.programme.pk)


def test_a_demanded_repayment_is_an_open_claim(
    demanded: tuple[FundingWorld, FundingRequest],
) -> None:
    fw, request = demanded
    programme = _programme(fw)

    # 800 committed - 300 never paid; the demanded 150 stay paid and committed.
    assert programme.committed == Decimal("500.00")
    assert programme.paid == Decimal("500.00")
    claims = payments.open_claims(programme)
    assert (claims.total, claims.count) == (Decimal("150.00"), 1)
    assert FundingRequest.objects.get(pk=request.pk).open_claim == Decimal("150.00")


def test_only_the_received_repayment_lowers_paid_and_frees_the_budget(
    world: World, demanded: tuple[FundingWorld, FundingRequest]
) -> None:
    fw, request = demanded
    payments.repayment_received(request=request, by=world.users["state_staff"])

    request = FundingRequest.objects.get(pk=request.pk)
    programme = _programme(fw)
    assert request.status == S.CLOSED
    assert request.repaid_amount == Decimal("150.00")
    assert programme.committed == Decimal("350.00")
    assert programme.paid == Decimal("350.00")
    assert payments.open_claims(programme).count == 0
    assert "150.00" in request.status_changes.last().reason  # type: ignore[union-attr]


def test_the_programme_page_shows_the_open_claims(
    world: World, demanded: tuple[FundingWorld, FundingRequest]
) -> None:
    fw, _request = demanded
    html = world.client("state_staff").get(fw.programme.get_absolute_url()).content.decode()

    assert 'id="open-claims"' in html
    row = html.split('id="open-claims"')[1].split("</tr>")[0]
    assert "€150.00" in row
    assert "1 request" in row


def test_the_dashboard_and_statistics_show_the_open_claims(
    world: World, demanded: tuple[FundingWorld, FundingRequest]
) -> None:
    fw, _request = demanded
    staff = world.users["state_staff"]
    summary = state_funding_summary(world.state, staff)
    row = next(r for r in summary.budgets if r.programme.pk == fw.programme.pk)
    assert (row.claims_total, row.claims_count) == (Decimal("150.00"), 1)

    html = world.client("state_staff").get(reverse("funding:statistics")).content.decode()
    assert "Repayment claims open" in html
    assert "€150.00 (1)" in html
