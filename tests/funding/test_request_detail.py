"""The request's page: status, next step, plans, goals, documents, history and submissions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funding import services
from funding.models import Attachment, CostCategory, CostLine, FundingRequest, StatusChange
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.funding.factories import funding_world
from tests.querycount import assert_constant_queries
from tests.strategy.factories import strategy_world


def step_url(request: FundingRequest, step: int) -> str:
    return reverse("funding:request_step", kwargs={"pk": request.pk, "step": step})


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """The assertions read the English msgids; the portal's default language is German."""
    settings.LANGUAGE_CODE = "en"


@pytest.mark.django_db
def test_it_shows_the_request(world: World) -> None:
    fw = funding_world(world)
    sw = strategy_world(world)
    services.request_set_goals(request=fw.submitted, goals=[sw.measure])
    Attachment.objects.create(
        request=fw.submitted, title="Projektskizze", file=SimpleUploadedFile("s.pdf", b"%PDF")
    )
    response = world.client("state_staff").get(fw.submitted.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode().replace("\xa0", " ")
    assert html.count("<h1") == 1
    assert "Eingereichtes Projekt" in html
    assert 'id="request-status"' in html and "Submitted" in html
    assert "Honorare" in html and "€1,000.00" in html  # cost plan and its total
    assert "€800.00" in html  # requested
    assert "20 % of the costs" in html  # own share
    assert reverse("strategy:goal_detail", kwargs={"pk": sw.measure.pk}) in html
    assert "Projektskizze" in html
    assert "Status history" in html and "Draft" in html
    assert world.users["coordinator"].username in html or (
        world.users["coordinator"].get_full_name() in html
    )
    assert "Continue editing" not in html  # staff do not edit


@pytest.mark.django_db
def test_the_applicant_sees_the_next_step(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    draft_page = client.get(fw.draft.get_absolute_url()).content.decode()
    assert "Continue editing" in draft_page
    assert step_url(fw.draft, 6) in draft_page
    assert step_url(fw.draft, 7) in draft_page
    submitted_page = client.get(fw.submitted.get_absolute_url()).content.decode()
    assert reverse("funding:request_withdraw", kwargs={"pk": fw.submitted.pk}) in submitted_page
    member_page = world.client("member").get(fw.draft.get_absolute_url()).content.decode()
    assert "Continue editing" not in member_page


@pytest.mark.django_db
def test_the_returned_reason_is_the_newest(world: World) -> None:
    fw = funding_world(world)
    staff = world.users["state_staff"]
    request = services.request_return(request=fw.submitted, by=staff, reason="Erster Grund")
    services.request_submit(request=request, by=world.users["coordinator"])
    services.request_return(request=request, by=staff, reason="Zweiter Grund")
    response = world.client("coordinator").get(fw.submitted.get_absolute_url())
    assert response.context["returned"].reason == "Zweiter Grund"
    assert response.context["returned"].to_status == S.RETURNED
    assert len(response.context["submissions"]) == 2


@pytest.mark.django_db
def test_the_assigned_reviewer_reads_the_request(world: World) -> None:
    fw = funding_world(world)
    assert (
        world.client("ngo_representative").get(fw.in_review.get_absolute_url()).status_code == 200
    )
    assert (
        world.client("ngo_representative").get(fw.submitted.get_absolute_url()).status_code == 404
    )


@pytest.mark.django_db
def test_it_requires_login_and_hides_other_tenants(world: World) -> None:
    fw = funding_world(world)
    url = fw.submitted.get_absolute_url()
    assert world.client("anonymous").get(url).status_code == 302
    assert world.client("other_council_coordinator").get(url).status_code == 404
    assert world.client("other_state_admin").get(url).status_code == 404
    assert world.client("state_staff").get(fw.draft.get_absolute_url()).status_code == 404
    assert world.client("coordinator").post(url).status_code == 405


@pytest.mark.django_db
def test_the_page_does_not_grow_in_queries(world: World) -> None:
    fw = funding_world(world)
    request = fw.submitted
    client = world.client("coordinator")
    staff = world.users["state_staff"]
    for i in range(2):
        Attachment.objects.create(
            request=request, title=f"Anlage {i}", file=SimpleUploadedFile(f"{i}.pdf", b"%PDF")
        )

    def grow() -> None:
        CostLine.objects.bulk_create(
            CostLine(
                request=request,
                category=CostCategory.MATERIAL,
                description=f"Posten {i}",
                amount=Decimal("10.00"),
                position=i + 1,
            )
            for i in range(38)
        )
        Attachment.objects.bulk_create(
            Attachment(request=request, title=f"Anlage {i}", file=f"funding/x{i}.pdf")
            for i in range(2, 40)
        )
        StatusChange.objects.bulk_create(
            StatusChange(request=request, from_status=S.SUBMITTED, to_status=S.SUBMITTED, by=staff)
            for _ in range(39)
        )

    assert_constant_queries(lambda: client.get(request.get_absolute_url()), grow)
    assert "Posten 37" in client.get(request.get_absolute_url()).content.decode()
