"""Decided grants keep the terms of their decision; later programme changes reach only
undecided requests (issue 10, point 3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funding import payments, programmes, services
from funding.models import FundingRequest, Programme, Tier
from funding.models import RequestStatus as S
from funding.programmes import PROGRAMME_FIELDS, TierData
from tests.conftest import World
from tests.funding.factories import FundingWorld, advance, funding_world, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def _change_rules(programme: Programme, **changes: Any) -> Programme:
    """Change programme rules (and optionally tier limits) through the staff's service."""
    programme = Programme.objects.get(pk=programme.pk)
    fields = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    limits = changes.pop("limits", {})
    fields.update(changes)
    tiers = [
        TierData(name=t.name, max_amount=limits.get(t.name, t.max_amount), pk=t.pk)
        for t in Tier.objects.filter(programme=programme)
    ]
    return programmes.programme_update(programme=programme, tiers=tiers, **fields)


def test_the_decision_freezes_the_programme_terms(fw: FundingWorld) -> None:
    request = FundingRequest.objects.get(pk=fw.approved.pk)

    assert request.terms_frozen_at is not None
    assert request.terms_retained_share == Decimal("10.00")
    assert request.terms_min_own_share == Decimal("10.00")
    assert request.terms_tier_name == request.tier.name  # type: ignore[union-attr]
    assert request.terms_tier_limit == request.tier.max_amount  # type: ignore[union-attr]
    assert request.terms_financing_type == fw.programme.financing_type
    assert request.terms_proof_due_months == 6


def test_after_a_change_to_100_percent_retained_the_applicant_can_still_call_the_grant(
    world: World, fw: FundingWorld
) -> None:
    _change_rules(fw.programme, retained_share=Decimal("100.00"), min_own_share=Decimal("50"))
    request = FundingRequest.objects.select_related("programme").get(pk=fw.approved.pk)

    summary = payments.payment_summary(request)
    assert summary.retained == Decimal("80.00")  # 10 % of 800 as decided, not 100 %
    assert summary.available == Decimal("720.00")
    payment = payments.payment_request(
        request=request, amount=Decimal("720.00"), by=world.users["coordinator"]
    )
    assert payment.amount == Decimal("720.00")


def test_the_request_page_shows_the_decided_terms(world: World, fw: FundingWorld) -> None:
    _change_rules(
        fw.programme, min_own_share=Decimal("50"), limits={"Kleinprojekt": Decimal("500.00")}
    )
    html = world.client("coordinator").get(fw.approved.get_absolute_url()).content.decode()

    assert "at least 10%" in html
    assert "up to €1,000.00" in html


def test_an_undecided_request_follows_the_new_rules(world: World, fw: FundingWorld) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    draft = make_draft(fw.programme, world.council, coordinator, title="Nach der Änderung")
    assert services.submission_errors(draft) == {}

    _change_rules(fw.programme, min_own_share=Decimal("50"))

    draft = FundingRequest.objects.get(pk=draft.pk)
    assert draft.terms.frozen is False
    assert "own_contribution" in services.submission_errors(draft)
    with pytest.raises(ValidationError):
        advance(draft, "submitted", applicant=coordinator, staff=staff)


def test_an_undecided_request_is_decided_with_the_new_retained_share(
    world: World, fw: FundingWorld
) -> None:
    _change_rules(fw.programme, retained_share=Decimal("25.00"))
    request = advance(
        make_draft(fw.programme, world.council, world.users["coordinator"], title="Neu"),
        "approved",
        applicant=world.users["coordinator"],
        staff=world.users["state_staff"],
    )
    request = FundingRequest.objects.get(pk=request.pk)
    assert request.status == S.APPROVED
    assert payments.payment_summary(request).retained == Decimal("200.00")


def test_the_programme_page_and_form_say_that_decided_requests_keep_their_terms(
    world: World, fw: FundingWorld
) -> None:
    client = world.client("state_staff")
    detail = client.get(fw.programme.get_absolute_url()).content.decode()
    edit = client.get(
        reverse("funding:programme_edit", kwargs={"pk": fw.programme.pk})
    ).content.decode()

    for html in (detail, edit):
        assert 'id="rules-frozen-note"' in html
        assert "apply only to requests not yet decided" in html
    assert "decided grants keep their share" in edit
