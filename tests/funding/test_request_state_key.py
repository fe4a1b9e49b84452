"""The tenant key on the request: ``FundingRequest.state`` always follows the programme."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funding.models import FundingRequest
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.funding.factories import funding_world
from tests.funding.test_lists import bulk_requests

pytestmark = pytest.mark.django_db


def test_the_service_sets_the_state_from_the_programme(world: World) -> None:
    fw = funding_world(world)
    assert fw.draft.state_id == world.state.pk
    assert FundingRequest.objects.get(pk=fw.other_state_request.pk).state_id == (
        world.other_state.pk
    )


def test_the_state_cannot_diverge_from_the_programme(world: World) -> None:
    fw = funding_world(world)
    request = FundingRequest.objects.get(pk=fw.submitted.pk)

    request.state = world.other_state  # a forged or careless assignment
    request.save()
    assert FundingRequest.objects.get(pk=request.pk).state_id == world.state.pk

    request.state = world.other_state
    request.save(update_fields=["title"])
    assert FundingRequest.objects.get(pk=request.pk).state_id == world.state.pk


def test_bulk_created_requests_get_their_state(world: World) -> None:
    fw = funding_world(world)
    rows = bulk_requests(fw.other_programme, world.other_state_council, 3)
    assert {FundingRequest.objects.get(pk=r.pk).state_id for r in rows} == {world.other_state.pk}


def test_bulk_created_decided_requests_get_their_terms(world: World) -> None:
    fw = funding_world(world)
    rows = bulk_requests(
        fw.programme, world.council, 2, status=S.APPROVED, approved=Decimal("800.00")
    )
    for row in FundingRequest.objects.filter(pk__in=[r.pk for r in rows]):
        assert row.terms.frozen
        assert row.terms_retained_share == fw.programme.retained_share


def test_visibility_uses_the_state_key(world: World) -> None:
    fw = funding_world(world)
    staff = world.users["state_staff"]
    visible = FundingRequest.objects.visible_to(staff)

    assert visible.filter(pk=fw.submitted.pk).exists()
    assert not visible.filter(pk=fw.other_state_request.pk).exists()
    assert "state_id" in str(visible.query).replace('"', "")


def test_the_admin_cannot_move_a_programme_to_another_state(world: World) -> None:
    from django.contrib import admin
    from django.test import RequestFactory

    from funding.models import Programme

    fw = funding_world(world)
    model_admin = admin.site._registry[Programme]
    request = RequestFactory().get("/")
    assert "state" in model_admin.get_readonly_fields(request, fw.programme)
    assert "state" not in model_admin.get_readonly_fields(request, None)
