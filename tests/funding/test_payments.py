"""Payment requests (Mittelabruf): the services, the views and the panel on the request page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from funding import payments
from funding.models import Payment, PaymentStatus, Programme, StatusChange
from funding.models import RequestStatus as S
from funding.views.money import money_panel
from notifications.models import Notification
from tests.conftest import World
from tests.funding.access_money import other_approved, paid
from tests.funding.factories import FundingWorld, funding_world
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def _url(name: str, pk: int) -> str:
    return reverse(f"funding:{name}", kwargs={"pk": pk})


# Services ------------------------------------------------------------------------------------


def test_the_summary_keeps_back_the_retained_share(fw: FundingWorld) -> None:
    summary = payments.payment_summary(fw.approved)

    # 800 € approved, 10 % retained until the proof of use.
    assert summary.approved == Decimal("800.00")
    assert summary.retained == Decimal("80.00")
    assert summary.available == Decimal("720.00")
    assert summary.requested == summary.paid == Decimal("0.00")


def test_a_payment_request_moves_the_request_and_tells_staff(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        payment = payments.payment_request(
            request=fw.approved,
            amount=Decimal("300"),
            by=world.users["coordinator"],
            note="1. Rate",
        )

    fw.approved.refresh_from_db()
    assert fw.approved.status == S.PAYMENT_REQUESTED
    assert payment.status == PaymentStatus.REQUESTED
    assert payment.amount == Decimal("300.00")
    change = StatusChange.objects.filter(request=fw.approved).last()
    assert change is not None
    assert (change.from_status, change.to_status) == (S.APPROVED, S.PAYMENT_REQUESTED)
    assert Notification.objects.filter(
        recipient=world.users["state_staff"], kind="funding.payment_requested"
    ).exists()
    assert not Notification.objects.filter(recipient=world.users["coordinator"]).exists()


def test_over_requesting_is_refused_with_the_amount_still_available(
    world: World, fw: FundingWorld
) -> None:
    coordinator = world.users["coordinator"]
    payments.payment_request(request=fw.approved, amount=Decimal("700"), by=coordinator)

    with pytest.raises(ValidationError) as exc:
        payments.payment_request(request=fw.approved, amount=Decimal("20.01"), by=coordinator)

    message = exc.value.message_dict["amount"][0]
    assert "20,00\N{NO-BREAK SPACE}€" in message
    assert "80,00\N{NO-BREAK SPACE}€" in message  # the retained share is named
    payments.payment_request(request=fw.approved, amount=Decimal("20"), by=coordinator)
    assert payments.payment_summary(fw.approved).available == Decimal("0.00")


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_an_amount_must_be_positive(world: World, fw: FundingWorld, amount: str) -> None:
    with pytest.raises(ValidationError) as exc:
        payments.payment_request(
            request=fw.approved, amount=Decimal(amount), by=world.users["coordinator"]
        )
    assert "amount" in exc.value.message_dict


def test_no_payment_before_the_approval(world: World, fw: FundingWorld) -> None:
    with pytest.raises(ValidationError):
        payments.payment_request(
            request=fw.submitted, amount=Decimal("10"), by=world.users["coordinator"]
        )
    assert not Payment.objects.exists()


def test_release_and_payment_book_the_money(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    first = payments.payment_request(request=fw.approved, amount=Decimal("300"), by=coordinator)
    second = payments.payment_request(request=fw.approved, amount=Decimal("200"), by=coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        payments.payment_release(payment=first, by=staff)
    assert Notification.objects.filter(
        recipient=coordinator, kind="funding.payment_released"
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        payments.payment_mark_paid(payment=first, by=staff)
    assert Notification.objects.filter(recipient=coordinator, kind="funding.payment_paid").exists()

    fw.approved.refresh_from_db()
    assert fw.approved.paid_amount == Decimal("300.00")
    assert fw.approved.status == S.PAYMENT_REQUESTED  # the second one is still open
    programme = Programme.objects.get(pk=fw.programme.pk)
    assert programme.paid == Decimal("300.00")
    assert programme.committed == Decimal("800.00")

    payments.payment_release(payment=second, by=staff)
    payments.payment_mark_paid(payment=second, by=staff)

    fw.approved.refresh_from_db()
    assert fw.approved.paid_amount == Decimal("500.00")
    assert fw.approved.status == S.PAID
    programme.refresh_from_db()
    assert programme.paid == Decimal("500.00")
    assert programme.committed == Decimal("800.00")


def test_payments_follow_their_order(world: World, fw: FundingWorld) -> None:
    staff = world.users["state_staff"]
    payment = payments.payment_request(
        request=fw.approved, amount=Decimal("100"), by=world.users["coordinator"]
    )
    with pytest.raises(ValidationError):
        payments.payment_mark_paid(payment=payment, by=staff)  # not released yet
    payments.payment_release(payment=payment, by=staff)
    with pytest.raises(ValidationError):
        payments.payment_release(payment=payment, by=staff)
    payments.payment_mark_paid(payment=payment, by=staff)
    with pytest.raises(ValidationError):
        payments.payment_mark_paid(payment=payment, by=staff)
    assert Programme.objects.get(pk=fw.programme.pk).paid == Decimal("100.00")


def test_a_paid_request_can_call_the_next_instalment(world: World, fw: FundingWorld) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    paid(fw.approved, coordinator, staff, Decimal("300"))
    fw.approved.refresh_from_db()
    assert fw.approved.status == S.PAID

    payments.payment_request(request=fw.approved, amount=Decimal("100"), by=coordinator)

    fw.approved.refresh_from_db()
    assert fw.approved.status == S.PAYMENT_REQUESTED


# Views ---------------------------------------------------------------------------------------


def test_the_form_shows_the_figures(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").get(_url("payment_request", fw.approved.pk))

    assert response.status_code == 200
    text = response.content.decode()
    assert "800,00\N{NO-BREAK SPACE}€" in text
    assert "720,00\N{NO-BREAK SPACE}€" in text
    assert "80,00\N{NO-BREAK SPACE}€" in text


def test_requesting_a_payment_redirects_to_the_request(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").post(
        _url("payment_request", fw.approved.pk), {"amount": "250,50", "note": "Honorare"}
    )

    assert response.status_code == 302
    assert response["Location"] == _url("request_detail", fw.approved.pk)
    payment = Payment.objects.get(request=fw.approved)
    assert payment.amount == Decimal("250.50")
    assert payment.note == "Honorare"


def test_too_much_keeps_the_input_and_names_the_limit(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").post(
        _url("payment_request", fw.approved.pk), {"amount": "750,00", "note": "Alles"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    text = response.content.decode()
    assert 'value="750,00"' in text
    assert 'value="Alles"' in text
    assert "720,00\N{NO-BREAK SPACE}€" in text
    assert not Payment.objects.exists()


def test_garbage_keeps_the_input(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").post(
        _url("payment_request", fw.approved.pk), {"amount": "viel"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert 'value="viel"' in response.content.decode()


def test_a_request_that_cannot_be_paid_sends_back(world: World, fw: FundingWorld) -> None:
    response = world.client("coordinator").get(_url("payment_request", fw.submitted.pk))
    assert response.status_code == 302
    assert response["Location"] == _url("request_detail", fw.submitted.pk)


def test_login_is_required(world: World, fw: FundingWorld) -> None:
    response = world.client("anonymous").get(_url("payment_request", fw.approved.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", ["payment_release", "payment_mark_paid"])
def test_staff_actions_need_post(world: World, fw: FundingWorld, name: str) -> None:
    payment = payments.payment_request(
        request=fw.approved, amount=Decimal("10"), by=world.users["coordinator"]
    )
    assert world.client("state_staff").get(_url(name, payment.pk)).status_code == 405


def test_payment_request_refuses_other_methods(world: World, fw: FundingWorld) -> None:
    assert (
        world.client("coordinator").put(_url("payment_request", fw.approved.pk)).status_code == 405
    )


def test_staff_release_and_pay_through_the_views(world: World, fw: FundingWorld) -> None:
    payment = payments.payment_request(
        request=fw.approved, amount=Decimal("100"), by=world.users["coordinator"]
    )
    client = world.client("state_staff")

    assert client.post(_url("payment_release", payment.pk)).status_code == 302
    assert client.post(_url("payment_mark_paid", payment.pk)).status_code == 302

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    fw.approved.refresh_from_db()
    assert fw.approved.status == S.PAID
    # Twice: nothing happens twice, the page says why.
    response = client.post(_url("payment_mark_paid", payment.pk), follow=True)
    assert "Nur eine freigegebene Auszahlung" in response.content.decode()
    assert Programme.objects.get(pk=fw.programme.pk).paid == Decimal("100.00")


def test_a_payment_of_another_state_is_not_found(world: World, fw: FundingWorld) -> None:
    other = other_approved(world)
    payment = payments.payment_request(
        request=other, amount=Decimal("10"), by=world.users["other_state_coordinator"]
    )
    assert world.client("state_staff").post(_url("payment_release", payment.pk)).status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED


def test_the_applicant_cannot_release(world: World, fw: FundingWorld) -> None:
    payment = payments.payment_request(
        request=fw.approved, amount=Decimal("10"), by=world.users["coordinator"]
    )
    assert world.client("coordinator").post(_url("payment_release", payment.pk)).status_code == 403


# The panel on the request page ---------------------------------------------------------------


def _panel(world: World, role: str, request: Any) -> dict[str, Any]:
    http_request = RequestFactory().get("/")
    http_request.user = world.users[role]
    return money_panel(http_request, request)


def test_the_panel_offers_the_applicant_a_payment(world: World, fw: FundingWorld) -> None:
    context = _panel(world, "coordinator", fw.approved)
    html = render_to_string("funding/includes/panel_money.html", context)

    assert context["money_panel"].may_request_payment
    assert _url("payment_request", fw.approved.pk) in html
    assert _url("proof_edit", fw.approved.pk) in html


def test_the_panel_offers_staff_the_next_step_of_each_payment(
    world: World, fw: FundingWorld
) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    requested = payments.payment_request(request=fw.approved, amount=Decimal("10"), by=coordinator)
    released = payments.payment_request(request=fw.approved, amount=Decimal("20"), by=coordinator)
    payments.payment_release(payment=released, by=staff)

    context = _panel(world, "state_staff", fw.approved)
    html = render_to_string("funding/includes/panel_money.html", context)

    assert _url("payment_release", requested.pk) in html
    assert _url("payment_mark_paid", released.pk) in html
    assert _url("payment_request", fw.approved.pk) not in html
    member_html = render_to_string(
        "funding/includes/panel_money.html", _panel(world, "member", fw.approved)
    )
    assert _url("payment_release", requested.pk) not in member_html


def test_no_panel_before_the_approval(world: World, fw: FundingWorld) -> None:
    context = _panel(world, "coordinator", fw.submitted)
    assert context == {"money_panel": None}
    assert render_to_string("funding/includes/panel_money.html", context).strip() == ""


def test_the_panel_needs_the_same_queries_for_many_payments(world: World, fw: FundingWorld) -> None:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]

    def render() -> None:
        render_to_string(
            "funding/includes/panel_money.html", _panel(world, "state_staff", fw.approved)
        )

    def grow() -> None:
        for amount in ("10", "20", "30"):
            payment = payments.payment_request(
                request=fw.approved, amount=Decimal(amount), by=coordinator
            )
            payments.payment_release(payment=payment, by=staff)

    assert_constant_queries(render, grow, max_queries=4)
