"""Checking the proof of use and settling the file: return it for corrections, accept it (with
a final payment), demand a repayment and book it when received; the open claims of a programme.
What was not paid goes back to the budget under the programme's row lock."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from councils.models import User
from notifications.messages import Money, translatable

from ..decisions import budget_release
from ..formatting import money
from ..models import (
    ZERO,
    FundingRequest,
    Payment,
    PaymentStatusChange,
    Programme,
    ProofOfUse,
)
from ..models import RequestStatus as S
from ..services import cents, fire, lock, notify_applicant
from .instalments import _book_payment, _fire_payment
from .proofs import proof_of


def _checked(request: FundingRequest, by: User, note: str) -> ProofOfUse:
    proof = proof_of(request)
    if proof is None:
        raise ValidationError(_("There is no proof of use to check."))
    proof.checked_by = by
    proof.checked_at = timezone.now()
    proof.check_note = note.strip()
    proof.save(update_fields=["checked_by", "checked_at", "check_note"])
    return proof


def _require_submitted(request: FundingRequest) -> None:
    if request.status != S.PROOF_SUBMITTED:
        raise ValidationError(_("There is no submitted proof of use to check."))


@transaction.atomic
def proof_return(*, request: FundingRequest, by: User, reason: str) -> FundingRequest:
    """Staff send the proof back for corrections, with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the applicant should correct.")})
    request = lock(request)
    _require_submitted(request)
    _checked(request, by, reason)
    fire(request, "return_proof", by, reason.strip())
    notify_applicant(
        request,
        "proof_returned",
        translatable(
            gettext_noop("Proof of use returned for corrections: %(title)s"), title=request.title
        ),
        reason.strip(),
    )
    return request


def _final_payment(request: FundingRequest, amount: Decimal, by: User) -> Payment:
    """Staff pay an amount with the closing: requested, released and paid in one step."""
    note = _("Final payment with the closing of the file")
    payment: Payment = Payment.objects.create(
        request=request, amount=amount, note=note, requested_by=by
    )
    PaymentStatusChange.record(payment, by=by, source="", target=payment.status, reason=note)
    payment.released_by = by
    payment.released_at = payment.paid_at = timezone.now()
    for name in ("release", "mark_paid"):
        _fire_payment(
            payment,
            name,
            by=by,
            refused=_("This step is not possible while the payment is “%(status)s”."),
            update_fields=["status", "released_by", "released_at", "paid_at"],
        )
    _book_payment(request, amount)
    return payment


@transaction.atomic
def proof_accept(
    *, request: FundingRequest, by: User, note: str = "", final_payment: Decimal = ZERO
) -> FundingRequest:
    """Accept the proof and close the file; what was not paid goes back to the budget.

    Nothing is paid automatically: staff may pay a final amount (such as the retained share)
    up to the approved amount not yet paid.
    """
    request = lock(request)
    _require_submitted(request)
    approved = request.approved_amount or ZERO
    final_payment = cents(final_payment or ZERO)
    if final_payment < 0 or final_payment > approved - request.paid_amount:
        raise ValidationError(
            {
                "final_payment": _("The final payment can be at most %(amount)s.")
                % {"amount": money(approved - request.paid_amount)}
            }
        )
    if final_payment:
        _final_payment(request, final_payment, by)
    _checked(request, by, note)
    unspent = approved - request.paid_amount
    if unspent:
        budget_release(programme=request.programme, amount=unspent)
    fire(request, "close", by, note.strip())
    notify_applicant(
        request,
        "proof_accepted",
        translatable(
            gettext_noop("Proof of use accepted, the file is closed: %(title)s"),
            title=request.title,
        ),
        note.strip(),
    )
    return request


@transaction.atomic
def proof_demand_repayment(
    *, request: FundingRequest, by: User, amount: Decimal, reason: str
) -> FundingRequest:
    """The proof shows money not used as approved: demand part of the paid grant back."""
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why the money must be paid back.")]
    request = lock(request)
    _require_submitted(request)
    if amount is None or not (0 < amount <= request.paid_amount):
        errors["amount"] = [
            _("The repayment must be above zero and at most the paid %(paid)s.")
            % {"paid": money(request.paid_amount)}
        ]
    if errors:
        raise ValidationError(errors)
    amount = cents(amount)
    approved = request.approved_amount or ZERO
    request.repayment_amount = amount
    request.save(update_fields=["repayment_amount", "updated_at"])
    _checked(request, by, reason)
    # Only what was never paid goes back now; the demanded money is an open claim that
    # lowers "paid" and frees the budget when it is received (repayment_received).
    unpaid = approved - request.paid_amount
    if unpaid:
        budget_release(programme=request.programme, amount=unpaid)
    fire(request, "demand_repayment", by, reason.strip())
    notify_applicant(
        request,
        "repayment_demanded",
        translatable(
            gettext_noop("Repayment of %(amount)s demanded: %(title)s"),
            amount=Money(amount),
            title=request.title,
        ),
        reason.strip(),
    )
    return request


@transaction.atomic
def repayment_received(*, request: FundingRequest, by: User) -> FundingRequest:
    """The demanded money came back: it lowers "paid", frees the budget and closes the file."""
    request = lock(request)
    if request.status != S.REPAYMENT_DEMANDED:
        raise ValidationError(_("No repayment is outstanding for this request."))
    claim = request.open_claim
    if claim > 0:
        budget_release(programme=request.programme, amount=claim, paid=claim)
        request.repaid_amount += claim
        request.save(update_fields=["repaid_amount", "updated_at"])
    fire(
        request,
        "close",
        by,
        _("Repayment of %(amount)s received") % {"amount": money(claim)},
    )
    notify_applicant(
        request,
        "repayment_received",
        translatable(
            gettext_noop("Repayment received, the file is closed: %(title)s"), title=request.title
        ),
    )
    return request


@dataclass(frozen=True)
class OpenClaims:
    """Demanded repayments not yet received: their sum and how many."""

    total: Decimal
    count: int


def open_claims(programme: Programme) -> OpenClaims:
    """The programme's open repayment claims (one query)."""
    from django.db.models import Count, Sum

    row = FundingRequest.objects.filter(
        programme=programme, status=S.REPAYMENT_DEMANDED, repayment_amount__gt=F("repaid_amount")
    ).aggregate(total=Sum(F("repayment_amount") - F("repaid_amount")), count=Count("pk"))
    return OpenClaims(total=row["total"] or ZERO, count=row["count"])
