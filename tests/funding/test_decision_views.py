"""The decision: approve in full or reduced, reject, four-eyes confirmation, the budget."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from funding import decisions
from funding.formatting import money
from funding.models import Decision, FundingRequest, Programme, StatusChange
from funding.models import RequestStatus as S
from notifications.models import Notification
from tests.conftest import World
from tests.funding.factories import FundingWorld, advance, funding_world, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def url(name: str, request: FundingRequest) -> str:
    return reverse(f"funding:{name}", kwargs={"pk": request.pk})


def reload(request: FundingRequest) -> FundingRequest:
    return FundingRequest.objects.get(pk=request.pk)


def committed(programme: Programme) -> Decimal:
    return Programme.objects.get(pk=programme.pk).committed


def large_in_review(world: World, fw: FundingWorld) -> FundingRequest:
    """7.000 € requested: above the programme's four-eyes threshold of 5.000 €."""
    coordinator = world.users["coordinator"]
    return advance(
        make_draft(
            fw.programme,
            world.council,
            coordinator,
            title="Großes Projekt",
            costs=Decimal("8000.00"),
            own=Decimal("1000.00"),
            large=True,
        ),
        "review",
        applicant=coordinator,
        staff=world.users["state_staff"],
    )


#: The second step of the decision: the summary was seen and the box ticked.
CONFIRMED = {"step": "confirm", "confirm": "on", "action": "apply"}


def proposed(world: World, fw: FundingWorld) -> FundingRequest:
    request = large_in_review(world, fw)
    response = world.client("state_staff").post(
        url("request_decide", request), {"decision": Decision.APPROVE, **CONFIRMED}
    )
    assert response.status_code == 302
    request = reload(request)
    assert request.status == S.AWAITING_CONFIRMATION
    return request


def test_the_form_shows_budget_and_threshold(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").get(url("request_decide", fw.in_review))
    body = response.content.decode()
    assert response.status_code == 200
    assert money(fw.programme.budget - committed(fw.programme)) in body
    assert money(fw.programme.four_eyes_threshold) in body
    assert response.context["full_needs_second"] is False


def test_the_form_says_a_second_person_is_needed(world: World, fw: FundingWorld) -> None:
    request = large_in_review(world, fw)
    response = world.client("state_staff").get(url("request_decide", request))
    assert response.context["full_needs_second"] is True
    assert "bis eine zweite Person der Landesgeschäftsstelle" in response.content.decode()


def test_approve_in_full_below_the_threshold(world: World, fw: FundingWorld) -> None:
    before = committed(fw.programme)
    response = world.client("state_staff").post(
        url("request_decide", fw.in_review),
        {"decision": Decision.APPROVE, **CONFIRMED},
        follow=True,
    )
    assert "Der Antrag wurde mit" in response.content.decode()
    request = reload(fw.in_review)
    assert request.status == S.APPROVED
    assert request.approved_amount == request.requested_amount
    assert request.decided_by == world.users["state_staff"]
    assert committed(fw.programme) == before + request.requested_amount


def test_a_forged_amount_or_status_is_ignored(world: World, fw: FundingWorld) -> None:
    world.client("state_staff").post(
        url("request_decide", fw.in_review),
        {
            "decision": Decision.APPROVE,
            "amount": "1.00",
            "approved_amount": "1.00",
            "status": S.CLOSED,
            "proposed_amount": "1.00",
            **CONFIRMED,
        },
    )
    request = reload(fw.in_review)
    assert request.status == S.APPROVED
    assert request.approved_amount == request.requested_amount == Decimal("800.00")


def test_reduce_needs_amount_and_justification(world: World, fw: FundingWorld) -> None:
    client = world.client("state_staff")
    response = client.post(
        url("request_decide", fw.in_review),
        {"decision": Decision.REDUCE, "amount": "500.00", "conditions": "Bericht bis Juni"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["justification"]
    assert form["amount"].value() == "500.00"
    assert form["conditions"].value() == "Bericht bis Juni"
    too_much = client.post(
        url("request_decide", fw.in_review),
        {"decision": Decision.REDUCE, "amount": "900.00", "justification": "weniger"},
    )
    assert too_much.context["form"].errors["amount"]
    assert reload(fw.in_review).status == S.REVIEW


def test_reduce(world: World, fw: FundingWorld) -> None:
    world.client("state_staff").post(
        url("request_decide", fw.in_review),
        {
            "decision": Decision.REDUCE,
            "amount": "500.00",
            "justification": "Honorare gekürzt",
            **CONFIRMED,
        },
    )
    request = reload(fw.in_review)
    assert (request.status, request.approved_amount) == (S.APPROVED, Decimal("500.00"))


def test_reject_needs_a_justification(world: World, fw: FundingWorld) -> None:
    client = world.client("state_staff")
    response = client.post(url("request_decide", fw.in_review), {"decision": Decision.REJECT})
    assert response.context["form"].errors["justification"]
    client.post(
        url("request_decide", fw.in_review),
        {"decision": Decision.REJECT, "justification": "Kein Präventionsbezug", **CONFIRMED},
    )
    request = reload(fw.in_review)
    assert request.status == S.REJECTED
    assert request.approved_amount is None


def test_approval_above_the_remaining_budget_is_refused(world: World, fw: FundingWorld) -> None:
    Programme.objects.filter(pk=fw.programme.pk).update(budget=committed(fw.programme) + 100)
    before = committed(fw.programme)
    response = world.client("state_staff").post(
        url("request_decide", fw.in_review), {"decision": Decision.APPROVE, "conditions": "x"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Das verfügbare Budget des Förderprogramms von" in body
    assert money(Decimal("100.00")) in body
    assert response.context["form"]["conditions"].value() == "x"
    assert reload(fw.in_review).status == S.REVIEW
    assert committed(fw.programme) == before


def test_a_double_post_decides_once(world: World, fw: FundingWorld) -> None:
    client = world.client("state_staff")
    client.post(url("request_decide", fw.in_review), {"decision": Decision.APPROVE, **CONFIRMED})
    after_first = committed(fw.programme)
    second = client.post(
        url("request_decide", fw.in_review),
        {"decision": Decision.APPROVE, **CONFIRMED},
        follow=True,
    )
    assert "Dieser Schritt ist nicht möglich" in second.content.decode()
    assert committed(fw.programme) == after_first
    assert reload(fw.in_review).status == S.APPROVED


def test_only_staff_decide(world: World, fw: FundingWorld) -> None:
    for role, status in (
        ("coordinator", 403),
        ("ngo_representative", 403),
        ("other_state_admin", 404),
    ):
        response = world.client(role).post(
            url("request_decide", fw.in_review), {"decision": Decision.APPROVE}
        )
        assert response.status_code == status, role
    assert reload(fw.in_review).status == S.REVIEW


def test_decide_requires_login_and_get_or_post(world: World, fw: FundingWorld) -> None:
    assert world.client("anonymous").get(url("request_decide", fw.in_review)).status_code == 302
    assert world.client("state_staff").put(url("request_decide", fw.in_review)).status_code == 405


# Four eyes -----------------------------------------------------------------------------------


def test_above_the_threshold_the_decision_is_a_proposal(world: World, fw: FundingWorld) -> None:
    before = committed(fw.programme)
    request = proposed(world, fw)
    assert request.proposed_by == world.users["state_staff"]
    assert request.approved_amount is None
    assert committed(fw.programme) == before


def test_the_proposer_cannot_confirm(world: World, fw: FundingWorld) -> None:
    request = proposed(world, fw)
    client = world.client("state_staff")
    page = client.get(url("request_confirm", request))
    assert page.status_code == 200
    assert page.context["is_proposer"] is True
    assert 'id="four-eyes-note"' in page.content.decode()
    response = client.post(url("request_confirm", request), follow=True)
    assert "Eine zweite Person der Landesgeschäftsstelle muss" in response.content.decode()
    assert reload(request).status == S.AWAITING_CONFIRMATION


def test_the_request_page_hides_confirm_from_the_proposer(world: World, fw: FundingWorld) -> None:
    request = proposed(world, fw)
    confirm = url("request_confirm", request)
    assert (
        confirm not in world.client("state_staff").get(request.get_absolute_url()).content.decode()
    )
    assert confirm in world.client("state_admin").get(request.get_absolute_url()).content.decode()


def test_a_second_person_confirms(world: World, fw: FundingWorld) -> None:
    request = proposed(world, fw)
    before = committed(fw.programme)
    response = world.client("state_admin").post(url("request_confirm", request))
    assert response.status_code == 302
    request = reload(request)
    assert request.status == S.APPROVED
    assert request.decided_by == world.users["state_admin"]
    assert request.proposed_by == world.users["state_staff"]
    assert committed(fw.programme) == before + Decimal("7000.00")


def test_confirm_without_a_proposal_goes_back(world: World, fw: FundingWorld) -> None:
    response = world.client("state_admin").post(url("request_confirm", fw.in_review))
    assert response.status_code == 302
    assert reload(fw.in_review).status == S.REVIEW


def test_discard_needs_a_reason_and_goes_back_to_review(world: World, fw: FundingWorld) -> None:
    request = proposed(world, fw)
    client = world.client("state_admin")
    response = client.post(url("request_discard", request), {"reason": ""})
    assert response.context["form"].errors["reason"]
    client.post(url("request_discard", request), {"reason": "Betrag zu hoch"})
    assert reload(request).status == S.REVIEW


def test_the_proposer_hears_that_the_proposal_was_not_confirmed(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    request = proposed(world, fw)
    with django_capture_on_commit_callbacks(execute=True):
        world.client("state_admin").post(url("request_discard", request), {"reason": "Zu hoch"})
    notice = Notification.objects.get(kind="funding.proposal_discarded")
    assert notice.recipient == world.users["state_staff"]
    assert "Zu hoch" in notice.body


def test_the_applicant_cannot_confirm(world: World, fw: FundingWorld) -> None:
    request = proposed(world, fw)
    assert world.client("coordinator").post(url("request_confirm", request)).status_code == 403
    assert reload(request).status == S.AWAITING_CONFIRMATION


def test_needs_second_person_matches_the_threshold(fw: FundingWorld) -> None:
    assert not decisions.needs_second_person(fw.in_review, None)
    assert decisions.needs_second_person(fw.in_review, Decimal("5000.01"))


# The summary and the explicit confirmation (issue 10, point 12) ----------------------------------


def test_the_first_post_shows_a_summary_and_decides_nothing(world: World, fw: FundingWorld) -> None:
    before = committed(fw.programme)
    response = world.client("state_staff").post(
        url("request_decide", fw.in_review),
        {"decision": Decision.REDUCE, "amount": "500,00", "justification": "Honorare gekürzt"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    summary = body.split('id="decision-summary"')[1].split("</section>")[0]
    assert money(Decimal("800.00")) in summary  # requested
    assert money(Decimal("500.00")) in summary  # granted
    assert money(fw.programme.budget - before) in summary  # remaining budget
    assert money(fw.programme.budget - before - Decimal("500.00")) in summary  # after
    assert "Honorare gekürzt" in summary
    assert 'name="confirm"' in body and 'type="checkbox"' in body
    assert reload(fw.in_review).status == S.REVIEW
    assert committed(fw.programme) == before


def test_the_summary_without_the_tick_decides_nothing(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").post(
        url("request_decide", fw.in_review),
        {"decision": Decision.APPROVE, "step": "confirm", "action": "apply"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"]
    assert reload(fw.in_review).status == S.REVIEW


def test_change_goes_back_to_the_form_with_the_values(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").post(
        url("request_decide", fw.in_review),
        {
            "decision": Decision.REJECT,
            "justification": "Kein Bezug",
            "step": "confirm",
            "action": "edit",
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["summary"] is None
    assert response.context["form"]["justification"].value() == "Kein Bezug"
    assert reload(fw.in_review).status == S.REVIEW


def test_the_rejection_summary_says_nothing_is_granted(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").post(
        url("request_decide", fw.in_review),
        {"decision": Decision.REJECT, "justification": "Kein Bezug"},
    )
    summary = response.context["summary"]
    assert summary.granted is None
    assert summary.justification == "Kein Bezug"


def test_the_proposal_records_the_justification_as_its_reason(
    world: World, fw: FundingWorld
) -> None:
    request = large_in_review(world, fw)
    world.client("state_staff").post(
        url("request_decide", request),
        {"decision": Decision.REDUCE, "amount": "6000,00", "justification": "Zu groß", **CONFIRMED},
    )
    change = StatusChange.objects.filter(request=request).last()
    assert change is not None
    assert change.to_status == S.AWAITING_CONFIRMATION
    assert change.reason == "Zu groß"


def test_the_staff_actions_are_near_the_top_of_the_request_page(
    world: World, fw: FundingWorld
) -> None:
    body = world.client("state_staff").get(fw.in_review.get_absolute_url()).content.decode()
    actions = body.index('id="office-actions"')
    assert actions < body.index('id="financing-heading"')
    assert actions < body.index('id="history-heading"')


def test_the_status_history_shows_the_justification_of_a_proposal(
    world: World, fw: FundingWorld
) -> None:
    request = large_in_review(world, fw)
    decisions.request_decide(
        request=request,
        by=world.users["state_staff"],
        decision=Decision.APPROVE,
        justification="Überzeugendes Konzept",
    )
    body = world.client("state_staff").get(request.get_absolute_url()).content.decode()
    history = body.split('id="history-heading"')[1].split("</table>")[0]
    assert "Überzeugendes Konzept" in history
    assert "In voller Höhe bewilligen" not in history
