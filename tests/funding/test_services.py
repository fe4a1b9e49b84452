"""The request's services and state machine: sums, submission rules, log, four-eyes, budget."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.clock import frozen_at
from funding import decisions, letters, services
from funding.letters import letter_pdf, render_letter
from funding.models import (
    CostCategory,
    Decision,
    FundingRequest,
    LetterKind,
    Programme,
    StatusChange,
    Submission,
)
from funding.models import RequestStatus as S
from funding.services import CostLineData
from funding.tasks import make_missing_letters
from notifications.models import Notification
from tests.conftest import World

from .factories import advance, funding_world, make_draft, make_programme, today

pytestmark = pytest.mark.django_db


def _people(world: World) -> tuple:
    return world.users["coordinator"], world.users["state_staff"], world.users["state_admin"]


def test_sums_are_computed_from_the_lines_and_the_financing(world: World) -> None:
    programme = make_programme(world.state)
    coordinator = world.users["coordinator"]
    draft = make_draft(programme, world.council, coordinator, costs=Decimal("1200.00"))
    draft = services.cost_lines_replace(
        request=draft,
        lines=[
            CostLineData(CostCategory.FEES, "Honorar", Decimal("700.005")),
            CostLineData(CostCategory.MATERIAL, "Bälle", Decimal("300")),
        ],
    )
    assert draft.total_costs == Decimal("1000.01")
    assert draft.requested_amount == Decimal("800.01")
    assert draft.own_share == Decimal("20.00")


def test_a_complete_draft_has_no_submission_errors(world: World) -> None:
    programme = make_programme(world.state)
    draft = make_draft(programme, world.council, world.users["coordinator"])
    assert services.submission_errors(draft) == {}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"own_contribution": Decimal("50.00")}, "own_contribution"),  # 5 % < 10 %
        ({"third_party_funds": Decimal("900.00")}, "third_party_funds"),  # more than the costs
        ({"title": ""}, "title"),
        ({"topic": ""}, "topic"),
    ],
)
def test_each_rule_is_named_at_its_field(world: World, change: dict, field: str) -> None:
    programme = make_programme(world.state)
    draft = make_draft(programme, world.council, world.users["coordinator"])
    for name, value in change.items():
        setattr(draft, name, value)
    assert field in services.submission_errors(draft)


def test_tier_limit_is_data_not_code(world: World) -> None:
    programme = make_programme(world.state)
    draft = make_draft(
        programme, world.council, world.users["coordinator"], costs=Decimal("3000"), large=False
    )
    errors = services.submission_errors(draft)
    assert "tier" in errors and "1.000,00" in errors["tier"][0]
    programme.tiers.filter(name="Kleinprojekt").update(max_amount=Decimal("5000"))
    draft.refresh_from_db()
    assert "tier" not in services.submission_errors(draft)


def test_period_must_lie_in_the_programme_year_and_after_the_decision(world: World) -> None:
    programme = make_programme(world.state)
    draft = make_draft(programme, world.council, world.users["coordinator"])
    draft.start_date = datetime.date(programme.year - 1, 12, 1)
    assert "start_date" in services.submission_errors(draft)
    draft.start_date = today()
    errors = services.submission_errors(draft)
    assert any("nicht vor der Entscheidung" in m for m in errors["start_date"])
    draft.programme.allows_early_start = True
    assert "early_start" in services.submission_errors(draft)
    draft.early_start = True
    assert "early_start" not in services.submission_errors(draft)


def test_closed_programme_refuses_new_requests(world: World) -> None:
    programme = make_programme(
        world.state,
        application_start=today() - datetime.timedelta(days=40),
        deadline=today() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.request_create(
            programme=programme,
            applicant=world.council,
            created_by=world.users["coordinator"],
            title="Zu spät",
        )


def test_council_of_another_state_cannot_apply(world: World) -> None:
    programme = make_programme(world.state)
    with pytest.raises(ValidationError):
        services.request_create(
            programme=programme,
            applicant=world.other_state_council,
            created_by=world.users["other_state_coordinator"],
            title="Falsches Land",
        )


def test_submission_is_logged_copied_and_acts_once(world: World) -> None:
    coordinator, _staff, _admin = _people(world)
    programme = make_programme(world.state)
    draft = make_draft(programme, world.council, coordinator)
    services.request_submit(request=draft, by=coordinator)
    with pytest.raises(ValidationError):
        services.request_submit(request=draft, by=coordinator)  # double click
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.round == 1
    assert Submission.objects.filter(request=draft).count() == 1
    change = StatusChange.objects.get(request=draft)
    assert (change.from_status, change.to_status, change.by) == (S.DRAFT, S.SUBMITTED, coordinator)


def test_status_cannot_be_set_by_assignment(world: World) -> None:
    draft = make_draft(make_programme(world.state), world.council, world.users["coordinator"])
    with pytest.raises(AttributeError):
        draft.status = S.APPROVED


def test_return_needs_a_reason_and_resubmission_shows_the_changes(world: World) -> None:
    coordinator, staff, _admin = _people(world)
    programme = make_programme(world.state)
    request = advance(
        make_draft(programme, world.council, coordinator),
        "formal_check",
        applicant=coordinator,
        staff=staff,
    )
    with pytest.raises(ValidationError):
        services.request_return(request=request, by=staff, reason="  ")
    services.request_return(request=request, by=staff, reason="Bitte Kosten belegen.")
    request.refresh_from_db()
    assert request.status == S.RETURNED
    services.request_update(request=request, step=1, title="Mitternachtssport plus")
    services.request_submit(request=request, by=coordinator)
    request.refresh_from_db()
    assert request.round == 2
    compared = services.changes_since_last_submission(request)
    assert compared is not None
    round_before, changes = compared
    assert round_before == 1
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("title", "Mitternachtssport", "Mitternachtssport plus")
    ]
    reasons = list(request.status_changes.values_list("to_status", "reason"))
    assert (S.RETURNED, "Bitte Kosten belegen.") in reasons


def test_withdraw_only_before_the_check(world: World) -> None:
    coordinator, staff, _admin = _people(world)
    programme = make_programme(world.state)
    request = advance(
        make_draft(programme, world.council, coordinator),
        "formal_check",
        applicant=coordinator,
        staff=staff,
    )
    with pytest.raises(ValidationError):
        services.request_withdraw(request=request, by=coordinator)
    draft = make_draft(programme, world.council, coordinator)
    services.request_withdraw(request=draft, by=coordinator, reason="Projekt entfällt")
    draft.refresh_from_db()
    assert draft.status == S.WITHDRAWN


def test_four_eyes_above_the_threshold(world: World, django_capture_on_commit_callbacks) -> None:
    coordinator, staff, admin = _people(world)
    programme = make_programme(world.state, four_eyes_threshold=Decimal("500.00"))
    request = advance(
        make_draft(programme, world.council, coordinator),
        "review",
        applicant=coordinator,
        staff=staff,
    )
    decisions.request_decide(request=request, by=staff, decision=Decision.APPROVE)
    request.refresh_from_db()
    assert request.status == S.AWAITING_CONFIRMATION
    programme.refresh_from_db()
    assert programme.committed == 0
    with pytest.raises(ValidationError, match="Eine zweite Person der Landesgeschäftsstelle"):
        decisions.request_confirm(request=request, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.request_confirm(request=request, by=admin)
    request.refresh_from_db()
    programme.refresh_from_db()
    assert request.status == S.APPROVED and request.decided_by == admin
    assert request.approved_amount == Decimal("800.00") == programme.committed
    assert request.letters.filter(kind=LetterKind.APPROVAL).count() == 1


def test_below_the_threshold_one_person_decides(world: World) -> None:
    fw = funding_world(world)
    fw.programme.refresh_from_db()
    assert fw.approved.status == S.APPROVED
    assert fw.programme.committed == fw.approved.approved_amount == Decimal("800.00")


def test_approval_beyond_the_budget_is_refused(world: World) -> None:
    coordinator, staff, _admin = _people(world)
    programme = make_programme(world.state, budget=Decimal("1000.00"))
    first = advance(
        make_draft(programme, world.council, coordinator),
        "review",
        applicant=coordinator,
        staff=staff,
    )
    second = advance(
        make_draft(programme, world.council, coordinator),
        "review",
        applicant=coordinator,
        staff=staff,
    )
    decisions.request_decide(request=first, by=staff, decision=Decision.APPROVE)
    with pytest.raises(ValidationError, match="Das verfügbare Budget"):
        decisions.request_decide(request=second, by=staff, decision=Decision.APPROVE)
    second.refresh_from_db()
    programme.refresh_from_db()
    assert second.status == S.REVIEW and programme.committed == Decimal("800.00")
    decisions.request_decide(
        request=second,
        by=staff,
        decision=Decision.REDUCE,
        amount=Decimal("200.00"),
        justification="Nur Restmittel verfügbar.",
    )
    programme.refresh_from_db()
    assert programme.committed == programme.budget


def test_the_constraint_stops_overcommitment_behind_the_service(world: World) -> None:
    programme = make_programme(world.state, budget=Decimal("100.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(committed=F("budget") + 1)


def test_saving_a_stale_programme_keeps_the_committed_and_paid_sums(world: World) -> None:
    fw = funding_world(world)
    stale = Programme.objects.get(pk=fw.programme.pk)
    Programme.objects.filter(pk=stale.pk).update(
        committed=F("committed") + 100, paid=F("paid") + 50
    )
    fresh = Programme.objects.get(pk=stale.pk)
    stale.title = "Umbenannt"
    stale.save()  # a full save, as a form or the admin does
    stale.refresh_from_db()
    assert stale.title == "Umbenannt"
    assert (stale.committed, stale.paid) == (fresh.committed, fresh.paid)


def test_rejection_needs_a_justification(world: World) -> None:
    coordinator, staff, _admin = _people(world)
    request = advance(
        make_draft(make_programme(world.state), world.council, coordinator),
        "review",
        applicant=coordinator,
        staff=staff,
    )
    with pytest.raises(ValidationError):
        decisions.request_decide(request=request, by=staff, decision=Decision.REJECT)
    decisions.request_decide(
        request=request, by=staff, decision=Decision.REJECT, justification="Kein Präventionsbezug."
    )
    request.refresh_from_db()
    assert request.status == S.REJECTED and request.approved_amount is None


def test_letter_text_and_pdf(world: World) -> None:
    fw = funding_world(world)
    subject, body = render_letter(fw.approved, LetterKind.APPROVAL)
    assert "Bewilligtes Projekt" in subject
    assert "800,00" in body and "Rechtsbehelfsbelehrung" in body
    assert letter_pdf(fw.approved, LetterKind.APPROVAL).startswith(b"%PDF")


def test_lost_letters_are_made_by_the_periodic_task(world: World) -> None:
    fw = funding_world(world)  # no on_commit callbacks ran: the letter task never did
    assert not fw.approved.letters.exists()
    assert make_missing_letters() == 1
    assert fw.approved.letters.count() == 1
    assert make_missing_letters() == 0


def test_deferred_letters_are_left_to_the_periodic_task(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator, staff, _admin = _people(world)
    request = advance(
        make_draft(make_programme(world.state), world.council, coordinator),
        "review",
        applicant=coordinator,
        staff=staff,
    )
    old = timezone.now() - datetime.timedelta(days=400)
    with django_capture_on_commit_callbacks() as callbacks, letters.deferred(), frozen_at(old):
        decisions.request_decide(
            request=request, by=staff, decision=Decision.REJECT, justification="Kein Bezug."
        )
    assert callbacks == []  # no letter task queued
    # Found however old the decision: the newest first, a batch per run.
    assert letters.requests_missing_letters() == [(request.pk, LetterKind.REJECTION)]
    assert letters.requests_missing_letters(limit=0) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert make_missing_letters() == 1
    assert request.letters.get().kind == LetterKind.REJECTION
    assert letters.requests_missing_letters() == []
    # The decision is long past: the letter is filed without telling the applicant again.
    assert not Notification.objects.filter(kind="funding.decided").exists()


def test_visibility(world: World) -> None:
    fw = funding_world(world)

    def titles(role: str) -> set[str]:
        return set(
            FundingRequest.objects.visible_to(world.users[role]).values_list("title", flat=True)
        )

    staff = titles("state_staff")
    assert fw.draft.title not in staff and fw.submitted.title in staff
    assert fw.other_state_request.title not in staff
    assert fw.draft.title in titles("coordinator") and fw.draft.title in titles("member")
    assert fw.other_council_request.title not in titles("coordinator")
    assert titles("ngo_representative") == {fw.in_review.title}
    assert titles("other_state_coordinator") == {fw.other_state_request.title}
    assert FundingRequest.objects.visible_to(world.users["platform_admin"]).count() == 6
