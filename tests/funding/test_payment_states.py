"""The payment's state machine: requested → released → paid, each step in its log."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_fsm import TransitionNotAllowed

from core.transitions import TransitionLog
from funding import payments
from funding.models import Payment, PaymentStatusChange
from funding.models import PaymentStatus as PS
from tests.conftest import World
from tests.funding.access_money import submitted_proof
from tests.funding.factories import FundingWorld, funding_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def _log(payment: Payment) -> list[tuple[str, str, str | None, str]]:
    return [
        (c.from_status, c.to_status, c.by.username if c.by else None, c.reason)
        for c in PaymentStatusChange.objects.filter(payment=payment).order_by("at", "pk")
    ]


def _requested(world: World, fw: FundingWorld) -> Payment:
    return payments.payment_request(
        request=fw.approved, amount=Decimal("300"), by=world.users["coordinator"], note="1. Rate"
    )


def test_the_payment_log_shares_the_transition_base() -> None:
    assert issubclass(PaymentStatusChange, TransitionLog)


def test_a_requested_payment_starts_its_log(world: World, fw: FundingWorld) -> None:
    payment = _requested(world, fw)

    assert payment.status == PS.REQUESTED
    assert _log(payment) == [("", PS.REQUESTED, "coordinator", "1. Rate")]


def test_release_is_a_logged_transition(world: World, fw: FundingWorld) -> None:
    payment = _requested(world, fw)

    payments.payment_release(payment=payment, by=world.users["state_staff"])

    payment.refresh_from_db()
    assert payment.status == PS.RELEASED
    assert payment.released_by == world.users["state_staff"]
    assert _log(payment)[-1] == (PS.REQUESTED, PS.RELEASED, "state-staff", "")


def test_mark_paid_is_a_logged_transition(world: World, fw: FundingWorld) -> None:
    staff = world.users["state_staff"]
    payment = _requested(world, fw)
    payments.payment_release(payment=payment, by=staff)

    payments.payment_mark_paid(payment=payment, by=staff)

    payment.refresh_from_db()
    assert payment.status == PS.PAID and payment.paid_at is not None
    assert [row[:3] for row in _log(payment)] == [
        ("", PS.REQUESTED, "coordinator"),
        (PS.REQUESTED, PS.RELEASED, "state-staff"),
        (PS.RELEASED, PS.PAID, "state-staff"),
    ]


def test_paying_before_the_release_is_refused(world: World, fw: FundingWorld) -> None:
    payment = _requested(world, fw)

    with pytest.raises(ValidationError) as exc, translation.override("en"):
        payments.payment_mark_paid(payment=payment, by=world.users["state_staff"])

    assert exc.value.messages == ["Only a released payment can be marked as paid."]
    payment.refresh_from_db()
    assert payment.status == PS.REQUESTED and payment.paid_at is None
    assert len(_log(payment)) == 1


def test_a_second_release_is_refused(world: World, fw: FundingWorld) -> None:
    staff = world.users["state_staff"]
    payment = _requested(world, fw)
    payments.payment_release(payment=payment, by=staff)

    with pytest.raises(ValidationError) as exc, translation.override("en"):
        payments.payment_release(payment=payment, by=staff)

    assert exc.value.messages == ["Only a requested payment can be released."]
    assert len(_log(payment)) == 2


def test_the_status_changes_only_through_a_transition(world: World, fw: FundingWorld) -> None:
    payment = Payment.objects.get(pk=_requested(world, fw).pk)

    with pytest.raises(AttributeError):
        payment.status = PS.PAID
    with pytest.raises(TransitionNotAllowed):
        payment.mark_paid()


def test_the_final_payment_with_the_closing_goes_through_every_step(
    world: World, fw: FundingWorld
) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    request = submitted_proof(fw.approved, coordinator, staff, pay=Decimal("720"))

    payments.proof_accept(request=request, by=staff, final_payment=Decimal("80"))

    final = Payment.objects.filter(request=request).order_by("pk").last()
    assert final is not None and final.status == PS.PAID
    assert [row[:3] for row in _log(final)] == [
        ("", PS.REQUESTED, "state-staff"),
        (PS.REQUESTED, PS.RELEASED, "state-staff"),
        (PS.RELEASED, PS.PAID, "state-staff"),
    ]
