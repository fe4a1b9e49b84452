"""The proof of use: writing, submitting, the figures, the check, repayment and the budget."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funding import payments
from funding.models import Payment, PaymentStatus, Programme, ProofOfUse
from funding.models import RequestStatus as S
from notifications.models import Notification
from tests.conftest import World
from tests.funding.access_money import paid, receipt, started, submitted_proof
from tests.funding.factories import FundingWorld, funding_world, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def _url(name: str, pk: int) -> str:
    return reverse(f"funding:{name}", kwargs={"pk": pk})


def _save(fw: FundingWorld, world: World, **overrides: Any) -> ProofOfUse:
    fields: dict[str, Any] = {
        "report": "Bericht",
        "actual_own_contribution": Decimal("200"),
        "actual_third_party_funds": Decimal("0"),
        "participants": 25,
        "receipts": [receipt("400.00"), receipt("50.00", "rooms")],
    }
    fields.update(overrides)
    return payments.proof_save(request=fw.approved, by=world.users["coordinator"], **fields)


def _programme(fw: FundingWorld) -> Programme:
    return Programme.objects.get(pk=fw.programme.pk)


# Writing and submitting ----------------------------------------------------------------------


def test_not_before_the_project_starts(world: World, fw: FundingWorld) -> None:
    with pytest.raises(ValidationError, match="sobald das Projekt begonnen hat"):
        _save(fw, world)
    assert not ProofOfUse.objects.exists()


def test_saving_replaces_the_receipts(world: World, fw: FundingWorld) -> None:
    started(fw.approved)
    _save(fw, world)
    proof = _save(fw, world, receipts=[receipt("120.00", "material")])

    assert [(r.category, r.amount) for r in proof.receipts.all()] == [
        ("material", Decimal("120.00"))
    ]
    assert proof.participants == 25
    assert ProofOfUse.objects.count() == 1


def test_submission_needs_report_receipts_and_every_payment_paid(
    world: World, fw: FundingWorld
) -> None:
    coordinator = world.users["coordinator"]
    started(fw.approved)
    _save(fw, world, report="  ", receipts=[])
    payments.payment_request(request=fw.approved, amount=Decimal("100"), by=coordinator)

    with pytest.raises(ValidationError) as exc:
        payments.proof_submit(request=fw.approved, by=coordinator)

    assert len(exc.value.messages) == 3
    fw.approved.refresh_from_db()
    assert fw.approved.status == S.PAYMENT_REQUESTED


def test_submitting_tells_staff(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    started(fw.approved)
    _save(fw, world)
    with django_capture_on_commit_callbacks(execute=True):
        proof = payments.proof_submit(request=fw.approved, by=world.users["coordinator"])

    fw.approved.refresh_from_db()
    assert fw.approved.status == S.PROOF_SUBMITTED
    assert proof.submitted_at is not None
    assert Notification.objects.filter(
        recipient=world.users["state_staff"], kind="funding.proof_submitted"
    ).exists()


def test_the_figures_compare_with_the_plan(world: World, fw: FundingWorld) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    started(fw.approved)
    paid(fw.approved, coordinator, staff, Decimal("500"))
    proof = _save(fw, world, actual_third_party_funds=Decimal("30"))
    fw.approved.refresh_from_db()

    figures = payments.proof_figures(fw.approved, proof)

    # The plan: 1,000 € fees; spent: 400 € fees and 50 € rooms.
    assert [(row.planned, row.actual) for row in figures.costs] == [
        (Decimal("1000.00"), Decimal("400.00")),
        (Decimal("0"), Decimal("50.00")),
    ]
    assert (figures.total_costs.planned, figures.total_costs.actual) == (
        Decimal("1000.00"),
        Decimal("450.00"),
    )
    financing = [(row.planned, row.actual) for row in figures.financing]
    assert financing == [
        (Decimal("200.00"), Decimal("200.00")),
        (Decimal("0.00"), Decimal("30.00")),
        (Decimal("800.00"), Decimal("500.00")),
    ]
    assert figures.total_financing.actual == Decimal("730.00")
    assert figures.balance == Decimal("280.00")


# The check -----------------------------------------------------------------------------------


def test_accepting_releases_the_unspent_commitment(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    request = submitted_proof(fw.approved, coordinator, staff, pay=Decimal("500"))
    assert _programme(fw).committed == Decimal("800.00")

    with django_capture_on_commit_callbacks(execute=True):
        payments.proof_accept(request=request, by=staff, note="In Ordnung")

    request.refresh_from_db()
    assert request.status == S.CLOSED
    programme = _programme(fw)
    assert programme.committed == Decimal("500.00")  # only what was paid stays bound
    assert programme.paid == Decimal("500.00")
    assert programme.remaining == Decimal("49500.00")
    assert request.proof.check_note == "In Ordnung"
    assert Notification.objects.filter(
        recipient=coordinator, kind="funding.proof_accepted"
    ).exists()


def test_accepting_may_pay_the_retained_share(world: World, fw: FundingWorld) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    request = submitted_proof(fw.approved, coordinator, staff, pay=Decimal("720"))

    with pytest.raises(ValidationError) as exc:
        payments.proof_accept(request=request, by=staff, final_payment=Decimal("80.01"))
    assert "final_payment" in exc.value.message_dict

    payments.proof_accept(request=request, by=staff, final_payment=Decimal("80"))

    request.refresh_from_db()
    assert request.status == S.CLOSED
    assert request.paid_amount == Decimal("800.00")
    final = Payment.objects.filter(request=request).last()
    assert final is not None
    assert (final.amount, final.status) == (Decimal("80.00"), PaymentStatus.PAID)
    programme = _programme(fw)
    assert programme.committed == programme.paid == Decimal("800.00")


def test_returning_sends_the_proof_back(world: World, fw: FundingWorld) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    request = submitted_proof(fw.approved, coordinator, staff, pay=Decimal("100"))

    with pytest.raises(ValidationError):
        payments.proof_return(request=request, by=staff, reason=" ")
    payments.proof_return(request=request, by=staff, reason="Beleg 2 fehlt")

    request.refresh_from_db()
    assert request.status == S.PAID  # money was paid; without payments it would be approved
    assert request.proof.check_note == "Beleg 2 fehlt"
    payments.proof_submit(request=request, by=coordinator)  # corrected and submitted again


def test_a_repayment_goes_back_into_the_budget(world: World, fw: FundingWorld) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    request = submitted_proof(fw.approved, coordinator, staff, pay=Decimal("500"))

    with pytest.raises(ValidationError) as exc:
        payments.proof_demand_repayment(
            request=request, by=staff, amount=Decimal("500.01"), reason="Zu viel"
        )
    assert "amount" in exc.value.message_dict
    payments.proof_demand_repayment(
        request=request, by=staff, amount=Decimal("150"), reason="Nicht belegt"
    )

    request.refresh_from_db()
    assert request.status == S.REPAYMENT_DEMANDED
    assert request.repayment_amount == Decimal("150.00")
    programme = _programme(fw)
    # 800 committed - 300 unpaid; the demanded 150 is an open claim, still paid and committed.
    assert programme.committed == Decimal("500.00")
    assert programme.paid == Decimal("500.00")

    payments.repayment_received(request=request, by=staff)
    request.refresh_from_db()
    assert request.status == S.CLOSED
    # Received: paid 500 - 150, and the 150 are free again.
    programme = _programme(fw)
    assert programme.committed == Decimal("350.00")
    assert programme.paid == Decimal("350.00")
    with pytest.raises(ValidationError):
        payments.repayment_received(request=request, by=staff)


def test_nothing_to_check_before_the_submission(world: World, fw: FundingWorld) -> None:
    staff = world.users["state_staff"]
    with pytest.raises(ValidationError):
        payments.proof_accept(request=fw.approved, by=staff)
    assert _programme(fw).committed == Decimal("800.00")


# Views: writing ------------------------------------------------------------------------------


def _post_data(**overrides: str) -> dict[str, str]:
    day = (today() - datetime.timedelta(days=5)).isoformat()
    data = {
        "report": "Zwölf Abende",
        "actual_own_contribution": "200,00",
        "actual_third_party_funds": "",
        "participants": "30",
        "receipts-TOTAL_FORMS": "2",
        "receipts-INITIAL_FORMS": "0",
        "receipts-MIN_NUM_FORMS": "0",
        "receipts-MAX_NUM_FORMS": "500",
        "receipts-0-date": day,
        "receipts-0-payee": "Verein",
        "receipts-0-purpose": "Honorar",
        "receipts-0-category": "fees",
        "receipts-0-amount": "300,00",
        "receipts-1-date": "",
        "receipts-1-payee": "",
        "receipts-1-purpose": "",
        "receipts-1-category": "",
        "receipts-1-amount": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_applicant_sees_the_form_with_the_figures(world: World, fw: FundingWorld) -> None:
    started(fw.approved)
    response = world.client("coordinator").get(_url("proof_edit", fw.approved.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="receipts-0-payee"' in text  # one empty line to start with
    assert "1.000,00\N{NO-BREAK SPACE}€" in text  # the planned costs


def test_saving_through_the_view(world: World, fw: FundingWorld) -> None:
    started(fw.approved)
    client = world.client("coordinator")

    response = client.post(_url("proof_edit", fw.approved.pk), _post_data())

    assert response.status_code == 302
    proof = ProofOfUse.objects.get(request=fw.approved)
    assert proof.report == "Zwölf Abende"
    assert [r.amount for r in proof.receipts.all()] == [Decimal("300.00")]
    page = client.get(_url("proof_edit", fw.approved.pk)).content.decode()
    assert 'value="300,00"' in page


def test_add_receipt_gives_one_more_line_and_keeps_the_input(
    world: World, fw: FundingWorld
) -> None:
    started(fw.approved)
    response = world.client("coordinator").post(
        _url("proof_edit", fw.approved.pk), _post_data(action="add")
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="receipts-2-payee"' in text
    assert 'value="Verein"' in text
    assert not ProofOfUse.objects.exists()


def test_bad_input_keeps_the_input(world: World, fw: FundingWorld) -> None:
    started(fw.approved)
    response = world.client("coordinator").post(
        _url("proof_edit", fw.approved.pk),
        _post_data(**{"receipts-0-amount": "dreihundert", "actual_own_contribution": "x"}),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["actual_own_contribution"]
    assert response.context["formset"].forms[0].errors["amount"]
    text = response.content.decode()
    assert 'value="dreihundert"' in text
    assert "Zwölf Abende" in text
    assert not ProofOfUse.objects.exists()


def test_service_errors_show_with_the_input(world: World, fw: FundingWorld) -> None:
    # The project has not started: the service refuses, the input stays. (The receipt is dated
    # within the project period, so that the form's own date check lets it through.)
    assert fw.approved.start_date is not None
    data = _post_data(**{"receipts-0-date": fw.approved.start_date.isoformat()})
    response = world.client("coordinator").post(_url("proof_edit", fw.approved.pk), data)
    assert response.status_code == 200
    assert "sobald das Projekt begonnen hat" in str(response.context["form"].non_field_errors())
    assert 'value="Verein"' in response.content.decode()


def test_submitting_through_the_view(world: World, fw: FundingWorld) -> None:
    started(fw.approved)
    client = world.client("coordinator")

    response = client.post(_url("proof_edit", fw.approved.pk), _post_data(action="submit"))

    assert response.status_code == 302
    assert response["Location"] == _url("request_detail", fw.approved.pk)
    fw.approved.refresh_from_db()
    assert fw.approved.status == S.PROOF_SUBMITTED
    # Afterwards the form leads to the read-only page.
    response = client.get(_url("proof_edit", fw.approved.pk))
    assert response["Location"] == _url("proof_detail", fw.approved.pk)


def test_a_failed_submission_saves_and_says_why(world: World, fw: FundingWorld) -> None:
    started(fw.approved)
    response = world.client("coordinator").post(
        _url("proof_edit", fw.approved.pk), _post_data(action="submit", report="")
    )

    assert response.status_code == 200
    assert "Sachbericht" in str(response.context["form"].non_field_errors())
    assert ProofOfUse.objects.filter(request=fw.approved).exists()
    fw.approved.refresh_from_db()
    assert fw.approved.status == S.APPROVED


def test_proof_edit_refuses_other_methods(world: World, fw: FundingWorld) -> None:
    assert world.client("coordinator").delete(_url("proof_edit", fw.approved.pk)).status_code == 405


def test_a_draft_proof_is_hidden_from_staff(world: World, fw: FundingWorld) -> None:
    started(fw.approved)
    _save(fw, world)

    assert world.client("state_staff").get(_url("proof_detail", fw.approved.pk)).status_code == 404
    assert world.client("member").get(_url("proof_detail", fw.approved.pk)).status_code == 200


# Views: the check ----------------------------------------------------------------------------


@pytest.fixture
def submitted(world: World, fw: FundingWorld) -> Any:
    return submitted_proof(
        fw.approved, world.users["coordinator"], world.users["state_staff"], pay=Decimal("500")
    )


def test_the_check_page_shows_the_proof(world: World, submitted: Any) -> None:
    response = world.client("state_staff").get(_url("proof_check", submitted.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Zwölf Abende" in text
    assert "Sportverein Hameln" in text
    assert 'name="accept-final_payment"' in text


def test_accepting_through_the_view(world: World, fw: FundingWorld, submitted: Any) -> None:
    response = world.client("state_staff").post(
        _url("proof_check", submitted.pk),
        {"action": "accept", "accept-note": "Gut", "accept-final_payment": ""},
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.CLOSED
    assert _programme(fw).committed == Decimal("500.00")


def test_a_repayment_above_the_paid_keeps_the_input(world: World, submitted: Any) -> None:
    response = world.client("state_staff").post(
        _url("proof_check", submitted.pk),
        {"action": "repay", "repay-amount": "600,00", "repay-reason": "Belege fehlen"},
    )

    assert response.status_code == 200
    assert response.context["repay_form"].errors["amount"]
    text = response.content.decode()
    assert 'value="600,00"' in text
    assert "Belege fehlen" in text
    submitted.refresh_from_db()
    assert submitted.status == S.PROOF_SUBMITTED


def test_returning_needs_a_reason(world: World, submitted: Any) -> None:
    client = world.client("state_staff")
    response = client.post(_url("proof_check", submitted.pk), {"action": "return"})
    assert response.status_code == 200
    assert response.context["return_form"].errors["reason"]

    response = client.post(
        _url("proof_check", submitted.pk), {"action": "return", "return-reason": "Beleg fehlt"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.PAID


def test_repayment_and_its_receipt_through_the_views(world: World, submitted: Any) -> None:
    client = world.client("state_staff")
    client.post(
        _url("proof_check", submitted.pk),
        {"action": "repay", "repay-amount": "100", "repay-reason": "Nicht belegt"},
    )
    submitted.refresh_from_db()
    assert submitted.status == S.REPAYMENT_DEMANDED

    assert client.get(_url("repayment_received", submitted.pk)).status_code == 405
    assert (
        world.client("coordinator").post(_url("repayment_received", submitted.pk)).status_code
        == 403
    )
    assert client.post(_url("repayment_received", submitted.pk)).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.CLOSED


def test_the_check_page_without_a_submitted_proof_sends_back(
    world: World, fw: FundingWorld
) -> None:
    response = world.client("state_staff").get(_url("proof_check", fw.approved.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("request_detail", fw.approved.pk)


def test_saved_receipts_are_kept_or_removed(world: World, fw: FundingWorld) -> None:
    started(fw.approved)
    client = world.client("coordinator")
    url = _url("proof_edit", fw.approved.pk)
    client.post(url, _post_data())
    page = client.get(url)
    assert page.context["formset"].initial_form_count() == 1

    kept = _post_data(**{"receipts-INITIAL_FORMS": "1", "report": "Neu"})
    assert client.post(url, kept).status_code == 302
    proof = ProofOfUse.objects.get(request=fw.approved)
    assert (proof.report, proof.receipts.count()) == ("Neu", 1)

    removed = _post_data(**{"receipts-INITIAL_FORMS": "1", "receipts-0-DELETE": "on"})
    assert client.post(url, removed).status_code == 302
    assert proof.receipts.count() == 0
