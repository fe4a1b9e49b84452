"""Permission-matrix rules of payments, the proof of use and repayments (and their helpers)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from councils.models import User
from funding import payments
from funding.models import FundingRequest, Payment
from funding.payments import ReceiptData
from tests.access import LOGIN, Rule, everyone, signed_in
from tests.conftest import World
from tests.funding.factories import advance, funding_world, make_draft, today


def started(request: FundingRequest) -> FundingRequest:
    """Move the project period into the past so that the proof of use can be written."""
    FundingRequest.objects.filter(pk=request.pk).update(
        start_date=today() - datetime.timedelta(days=60),
        end_date=today() - datetime.timedelta(days=1),
    )
    request.refresh_from_db()
    return request


def paid(
    request: FundingRequest, applicant: User, staff: User, amount: Decimal = Decimal("500.00")
) -> Payment:
    """Request, release and pay one instalment."""
    payment = payments.payment_request(request=request, amount=amount, by=applicant)
    payments.payment_release(payment=payment, by=staff)
    return payments.payment_mark_paid(payment=payment, by=staff)


def receipt(amount: str = "400.00", category: str = "fees") -> ReceiptData:
    return ReceiptData(
        date=today() - datetime.timedelta(days=10),
        payee="Sportverein Hameln",
        purpose="Trainerhonorar",
        category=category,
        amount=Decimal(amount),
    )


def submitted_proof(
    request: FundingRequest, applicant: User, staff: User, *, pay: Decimal | None = None
) -> FundingRequest:
    """Pay an instalment (when asked), write the proof of use and submit it."""
    request = started(request)
    if pay:
        paid(request, applicant, staff, pay)
    payments.proof_save(
        request=request,
        by=applicant,
        report="Zwölf Abende mit je 20 Jugendlichen.",
        actual_own_contribution=Decimal("200.00"),
        actual_third_party_funds=Decimal("0.00"),
        participants=40,
        receipts=[receipt("500.00"), receipt("300.00", "rooms")],
    )
    payments.proof_submit(request=request, by=applicant)
    request.refresh_from_db()
    return request


def other_approved(w: World) -> FundingRequest:
    """An approved request of the second state."""
    coordinator, admin = w.users["other_state_coordinator"], w.users["other_state_admin"]
    funding = funding_world(w)
    return advance(
        make_draft(funding.other_programme, w.other_state_council, coordinator, title="Rostock"),
        "approved",
        applicant=coordinator,
        staff=admin,
    )


def _own(w: World) -> tuple[FundingRequest, User, User]:
    return funding_world(w).approved, w.users["coordinator"], w.users["state_staff"]


def _other(w: World) -> tuple[FundingRequest, User, User]:
    return other_approved(w), w.users["other_state_coordinator"], w.users["other_state_admin"]


def _request_kwargs(which: Any) -> Any:
    return lambda w: {"pk": which(w)[0].pk}


def _requested_payment(which: Any) -> Any:
    def kwargs(w: World) -> dict[str, Any]:
        request, applicant, _staff = which(w)
        payment = payments.payment_request(request=request, amount=Decimal("100.00"), by=applicant)
        return {"pk": payment.pk}

    return kwargs


def _released_payment(which: Any) -> Any:
    def kwargs(w: World) -> dict[str, Any]:
        request, applicant, staff = which(w)
        payment = payments.payment_request(request=request, amount=Decimal("100.00"), by=applicant)
        payments.payment_release(payment=payment, by=staff)
        return {"pk": payment.pk}

    return kwargs


def _submitted(which: Any) -> Any:
    def kwargs(w: World) -> dict[str, Any]:
        request, applicant, staff = which(w)
        return {"pk": submitted_proof(request, applicant, staff, pay=Decimal("300.00")).pk}

    return kwargs


def _receipt_file(which: Any) -> Any:
    """A submitted proof of use whose first receipt carries a file."""

    def kwargs(w: World) -> dict[str, Any]:
        request, applicant, staff = which(w)
        request = submitted_proof(request, applicant, staff, pay=Decimal("300.00"))
        first = request.proof.receipts.first()
        assert first is not None
        first.file.save("beleg.pdf", ContentFile(b"%PDF-1.4 Beleg"), save=True)
        return {"pk": request.pk, "receipt_pk": first.pk}

    return kwargs


def _repayment_demanded(which: Any) -> Any:
    def kwargs(w: World) -> dict[str, Any]:
        request, applicant, staff = which(w)
        request = submitted_proof(request, applicant, staff, pay=Decimal("300.00"))
        payments.proof_demand_repayment(
            request=request, by=staff, amount=Decimal("100.00"), reason="Belege fehlen"
        )
        return {"pk": request.pk}

    return kwargs


#: People of the second state (or of another council) asking for a first-state request.
_not_visible = {
    "ngo_representative": 404,
    "other_council_coordinator": 404,
    "other_state_admin": 404,
    "other_state_coordinator": 404,
}


def _applicant_only(status: int = 200) -> dict[str, int]:
    """Only the applicant council's coordinator; staff and members read but may not act."""
    return signed_in(403, coordinator=status, **_not_visible)


def _other_applicant_only(status: int = 200) -> dict[str, int]:
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=403,
        other_state_admin=403,
        other_state_coordinator=status,
    )


def _staff_only(status: int) -> dict[str, int]:
    return signed_in(
        403,
        platform_admin=status,
        state_admin=status,
        state_staff=status,
        **_not_visible,
    )


def _other_staff_only(status: int) -> dict[str, int]:
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=status,
        other_state_admin=status,
        other_state_coordinator=403,
    )


def _readers() -> dict[str, int]:
    """Staff and the whole applicant council."""
    return signed_in(200, **_not_visible)


def _other_readers() -> dict[str, int]:
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=200,
        other_state_admin=200,
        other_state_coordinator=200,
    )


ACCESS = {
    "funding:payment_request": Rule(
        own=_applicant_only(),
        kwargs=_request_kwargs(_own),
        other=_other_applicant_only(),
        other_kwargs=_request_kwargs(_other),
    ),
    "funding:payment_release": Rule(
        own=_staff_only(302),
        kwargs=_requested_payment(_own),
        other=_other_staff_only(302),
        other_kwargs=_requested_payment(_other),
        method="post",
    ),
    "funding:payment_mark_paid": Rule(
        own=_staff_only(302),
        kwargs=_released_payment(_own),
        other=_other_staff_only(302),
        other_kwargs=_released_payment(_other),
        method="post",
    ),
    "funding:proof_edit": Rule(
        own=_applicant_only(),
        kwargs=_request_kwargs(_own),
        other=_other_applicant_only(),
        other_kwargs=_request_kwargs(_other),
    ),
    "funding:proof_detail": Rule(
        own=_readers(),
        kwargs=_submitted(_own),
        other=_other_readers(),
        other_kwargs=_submitted(_other),
    ),
    "funding:proof_check": Rule(
        own=_staff_only(200),
        kwargs=_submitted(_own),
        other=_other_staff_only(200),
        other_kwargs=_submitted(_other),
    ),
    "funding:receipt_download": Rule(
        own=_readers(),
        kwargs=_receipt_file(_own),
        other=_other_readers(),
        other_kwargs=_receipt_file(_other),
    ),
    "funding:repayment_received": Rule(
        own=_staff_only(302),
        kwargs=_repayment_demanded(_own),
        other=_other_staff_only(302),
        other_kwargs=_repayment_demanded(_other),
        method="post",
    ),
}
