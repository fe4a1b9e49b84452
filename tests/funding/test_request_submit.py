"""Submitting, resubmitting and withdrawing a request; refusals name the field concerned."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from funding import services
from funding.models import FundingRequest, StatusChange, Submission
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.funding.factories import funding_world, make_draft, today


def submit_url(request: FundingRequest) -> str:
    return reverse("funding:request_submit", kwargs={"pk": request.pk})


def withdraw_url(request: FundingRequest) -> str:
    return reverse("funding:request_withdraw", kwargs={"pk": request.pk})


def fresh(request: FundingRequest) -> FundingRequest:
    return FundingRequest.objects.get(pk=request.pk)


def _errors(response: object) -> dict[str, dict[str, object]]:
    return {row["field"]: row for row in response.context["errors"]}  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """The assertions read the English msgids; the portal's default language is German."""
    settings.LANGUAGE_CODE = "en"


@pytest.mark.django_db
def test_it_submits_a_complete_draft(world: World, django_capture_on_commit_callbacks: Any) -> None:
    fw = funding_world(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(submit_url(fw.draft))
    assert response.status_code == 302
    assert response["Location"] == fw.draft.get_absolute_url()
    saved = fresh(fw.draft)
    assert saved.status == S.SUBMITTED
    assert saved.round == 1
    assert Submission.objects.filter(request=fw.draft).count() == 1
    change = StatusChange.objects.get(request=fw.draft)
    assert (change.from_status, change.to_status, change.by) == (
        S.DRAFT,
        S.SUBMITTED,
        world.users["coordinator"],
    )


@pytest.mark.django_db
def test_a_double_click_submits_once(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    first = client.post(submit_url(fw.draft))
    second = client.post(submit_url(fw.draft), follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "This request has already been submitted." in second.content.decode()
    assert Submission.objects.filter(request=fw.draft).count() == 1
    assert StatusChange.objects.filter(request=fw.draft, to_status=S.SUBMITTED).count() == 1


@pytest.mark.django_db
def test_above_the_tier_limit_the_error_is_named_at_the_tier(world: World) -> None:
    fw = funding_world(world)
    coordinator = world.users["coordinator"]
    draft = make_draft(
        fw.programme,
        world.council,
        coordinator,
        costs=Decimal("1500.00"),
        own=Decimal("300.00"),
        large=False,
    )
    response = world.client("coordinator").post(submit_url(draft))
    assert response.status_code == 200
    errors = _errors(response)
    assert errors["tier"]["step"] == 5
    assert errors["tier"]["label"] == "Tier"
    html = response.content.decode().replace("\xa0", " ")
    assert "€1,200.00 is above the limit of €1,000.00" in html
    assert "Go to step 5" in html
    assert fresh(draft).status == S.DRAFT
    assert not Submission.objects.filter(request=draft).exists()


@pytest.mark.django_db
def test_too_little_own_contribution_is_named_at_the_own_contribution(world: World) -> None:
    fw = funding_world(world)
    draft = make_draft(
        fw.programme, world.council, world.users["coordinator"], own=Decimal("50.00")
    )
    response = world.client("coordinator").post(submit_url(draft))
    assert response.status_code == 200
    errors = _errors(response)
    assert "own_contribution" in errors
    assert "at least 10%" in " ".join(errors["own_contribution"]["messages"])  # type: ignore[arg-type]
    assert errors["own_contribution"]["label"] == "Own contribution"
    assert fresh(draft).status == S.DRAFT


@pytest.mark.django_db
def test_a_period_outside_the_programme_year_is_named_at_the_start(world: World) -> None:
    fw = funding_world(world)
    draft = make_draft(fw.programme, world.council, world.users["coordinator"])
    year = fw.programme.year + 1
    services.request_update(
        request=draft,
        step=3,
        start_date=datetime.date(year, 2, 1),
        end_date=datetime.date(year, 3, 1),
    )
    response = world.client("coordinator").post(submit_url(draft))
    assert response.status_code == 200
    errors = _errors(response)
    assert errors["start_date"]["step"] == 3
    assert errors["start_date"]["label"] == "Project start"
    assert f"within the programme year {fw.programme.year}" in response.content.decode()


@pytest.mark.django_db
def test_a_start_before_the_decision_is_refused(world: World) -> None:
    fw = funding_world(world)
    draft = make_draft(fw.programme, world.council, world.users["coordinator"])
    start = max(today(), datetime.date(fw.programme.year, 1, 1))
    services.request_update(request=draft, step=3, start_date=start, end_date=start)
    response = world.client("coordinator").post(submit_url(draft))
    assert response.status_code == 200
    messages = " ".join(_errors(response)["start_date"]["messages"])  # type: ignore[arg-type]
    assert "may not start before the decision" in messages


@pytest.mark.django_db
def test_a_returned_request_can_be_changed_and_resubmitted(world: World) -> None:
    fw = funding_world(world)
    staff, coordinator = world.users["state_staff"], world.users["coordinator"]
    request = services.request_start_check(request=fw.submitted, by=staff)
    services.request_return(request=request, by=staff, reason="Bitte Kostenplan erläutern.")
    client = world.client("coordinator")

    page = client.get(fw.submitted.get_absolute_url()).content.decode()
    assert "Bitte Kostenplan erläutern." in page
    assert 'id="returned-reason"' in page

    step = reverse("funding:request_step", kwargs={"pk": fw.submitted.pk, "step": 1})
    response = client.post(
        step,
        {
            "title": "Eingereichtes Projekt",
            "description": "Erläutert",
            # Step 1 also holds the address the decision letter goes to.
            "applicant_street": "Marktplatz 1",
            "applicant_postcode": "31785",
            "applicant_city": "Hameln",
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert client.post(submit_url(fw.submitted)).status_code == 302
    saved = fresh(fw.submitted)
    assert saved.status == S.SUBMITTED
    assert saved.round == 2
    assert Submission.objects.filter(request=saved).count() == 2
    assert saved.submitted_at is not None
    assert coordinator == StatusChange.objects.filter(request=saved).last().by  # type: ignore[union-attr]


@pytest.mark.django_db
def test_submit_is_post_only(world: World) -> None:
    fw = funding_world(world)
    assert world.client("coordinator").get(submit_url(fw.draft)).status_code == 405


@pytest.mark.django_db
def test_submit_requires_login(world: World) -> None:
    fw = funding_world(world)
    assert world.client("anonymous").post(submit_url(fw.draft)).status_code == 302
    assert fresh(fw.draft).status == S.DRAFT


@pytest.mark.django_db
def test_only_the_applicant_submits(world: World) -> None:
    fw = funding_world(world)
    assert world.client("member").post(submit_url(fw.draft)).status_code == 403
    assert world.client("other_council_coordinator").post(submit_url(fw.draft)).status_code == 404
    assert world.client("other_state_coordinator").post(submit_url(fw.draft)).status_code == 404
    assert fresh(fw.draft).status == S.DRAFT


# Withdrawing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_confirms_and_withdraws_with_a_reason(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    page = client.get(withdraw_url(fw.submitted))
    assert page.status_code == 200
    assert "Withdraw the request" in page.content.decode()
    response = client.post(withdraw_url(fw.submitted), {"reason": "Projekt entfällt."})
    assert response["Location"] == fw.submitted.get_absolute_url()
    assert fresh(fw.submitted).status == S.WITHDRAWN
    change = StatusChange.objects.filter(request=fw.submitted).last()
    assert change is not None
    assert (change.to_status, change.reason) == (S.WITHDRAWN, "Projekt entfällt.")


@pytest.mark.django_db
def test_a_draft_can_be_withdrawn_without_a_reason(world: World) -> None:
    fw = funding_world(world)
    world.client("coordinator").post(withdraw_url(fw.draft), {})
    assert fresh(fw.draft).status == S.WITHDRAWN


@pytest.mark.django_db
def test_a_request_in_review_cannot_be_withdrawn(world: World) -> None:
    fw = funding_world(world)
    client = world.client("coordinator")
    assert client.get(withdraw_url(fw.in_review)).status_code == 403
    assert client.post(withdraw_url(fw.in_review)).status_code == 403
    assert fresh(fw.in_review).status == S.REVIEW


@pytest.mark.django_db
def test_withdraw_access(world: World) -> None:
    fw = funding_world(world)
    assert world.client("anonymous").get(withdraw_url(fw.submitted)).status_code == 302
    assert world.client("state_staff").post(withdraw_url(fw.submitted)).status_code == 403
    assert world.client("member").post(withdraw_url(fw.submitted)).status_code == 403
    assert (
        world.client("other_state_coordinator").get(withdraw_url(fw.submitted)).status_code == 404
    )
    assert world.client("coordinator").put(withdraw_url(fw.submitted)).status_code == 405
    assert fresh(fw.submitted).status == S.SUBMITTED
