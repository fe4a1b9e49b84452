"""Payment requests (Mittelabruf): the applicant calls an instalment, staff release it, the
cash office pays it; the payment's state machine (requested → released → paid) keeps its log.
The programme's ``paid`` sum changes only with ``F()`` updates under its row lock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.log import Action, record
from core.transitions import fire as fire_transition
from councils.models import User
from notifications.messages import Money, translatable

from ..formatting import money
from ..models import (
    PAYABLE,
    ZERO,
    FundingRequest,
    Payment,
    PaymentStatus,
    PaymentStatusChange,
    Programme,
)
from ..models import RequestStatus as S
from ..services import cents, fire, lock, notify_applicant, notify_staff

#: Payments not yet paid out: while one is open the request stays "payment requested".
OPEN_PAYMENTS = (PaymentStatus.REQUESTED, PaymentStatus.RELEASED)


@dataclass(frozen=True)
class PaymentSummary:
    """The request's money at a glance: approved, called, paid, retained and still available."""

    approved: Decimal
    requested: Decimal
    paid: Decimal
    retained: Decimal
    available: Decimal


def retained_amount(request: FundingRequest) -> Decimal:
    """The retained share of the approved amount (as decided), paid only with the closing."""
    approved = request.approved_amount or ZERO
    return cents(approved * request.terms.retained_share / 100)


def payment_summary(
    request: FundingRequest, payments: Iterable[Payment] | None = None
) -> PaymentSummary:
    """Sums over the request's payments (pass them when they are loaded already)."""
    rows = list(request.payments.all() if payments is None else payments)
    approved = request.approved_amount or ZERO
    retained = retained_amount(request)
    requested = sum((p.amount for p in rows), ZERO)
    paid = sum((p.amount for p in rows if p.status == PaymentStatus.PAID), ZERO)
    available = max(approved - retained - requested, ZERO)
    return PaymentSummary(
        approved=approved, requested=requested, paid=paid, retained=retained, available=available
    )


def _fire_payment(
    payment: Payment,
    name: str,
    *,
    by: User,
    refused: str,
    update_fields: list[str],
    reason: str = "",
) -> None:
    """Run a transition of the payment's state machine, save it and record it."""
    fire_transition(
        payment,
        name,
        log=PaymentStatusChange,
        by=by,
        reason=reason,
        refused=refused,
        conflict=_("Someone else changed the payment at the same moment. Please reload the page."),
        update_fields=update_fields,
    )


def _lock_payment(payment: Payment) -> tuple[Payment, FundingRequest]:
    request = lock(payment.request)
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    locked.request = request
    return locked, request


@transaction.atomic
def payment_request(
    *, request: FundingRequest, amount: Decimal, by: User, note: str = ""
) -> Payment:
    """The applicant calls an instalment of the approved amount, never beyond what is left."""
    request = lock(request)
    if request.status not in PAYABLE:
        raise ValidationError(
            _("Payments can be requested only for an approved request that is not yet closed.")
        )
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    amount = cents(amount)
    summary = payment_summary(request)
    if amount > summary.available:
        if summary.retained:
            message = _(
                "You can request at most %(available)s. %(retained)s of the grant are retained "
                "until the proof of use has been checked."
            ) % {"available": money(summary.available), "retained": money(summary.retained)}
        else:
            message = _("You can request at most %(available)s.") % {
                "available": money(summary.available)
            }
        raise ValidationError({"amount": message})
    payment: Payment = Payment.objects.create(
        request=request, amount=amount, note=note.strip(), requested_by=by
    )
    PaymentStatusChange.record(
        payment, by=by, source="", target=payment.status, reason=note.strip()
    )
    if request.status != S.PAYMENT_REQUESTED:
        fire(request, "request_payment", by, note.strip())
    notify_staff(
        request,
        "payment_requested",
        translatable(
            gettext_noop("Payment requested: %(amount)s for %(title)s"),
            amount=Money(amount),
            title=request.title,
        ),
        request.applicant.name,
    )
    return payment


@transaction.atomic
def payment_release(*, payment: Payment, by: User) -> Payment:
    """Staff approve the instalment for payment (the cash office pays it)."""
    payment, request = _lock_payment(payment)
    payment.released_by = by
    payment.released_at = timezone.now()
    _fire_payment(
        payment,
        "release",
        by=by,
        refused=_("Only a requested payment can be released."),
        update_fields=["status", "released_by", "released_at"],
    )
    notify_applicant(
        request,
        "payment_released",
        translatable(
            gettext_noop("Payment released: %(amount)s for %(title)s"),
            amount=Money(payment.amount),
            title=request.title,
        ),
    )
    return payment


def _book_payment(request: FundingRequest, amount: Decimal) -> None:
    """Add a paid amount to the request and, under its row lock, to the programme."""
    Programme.objects.select_for_update().filter(pk=request.programme_id).values("pk").get()
    Programme.objects.filter(pk=request.programme_id).update(paid=F("paid") + amount)
    request.paid_amount += amount
    request.save(update_fields=["paid_amount", "updated_at"])


@transaction.atomic
def payment_mark_paid(*, payment: Payment, by: User) -> Payment:
    """The money went out: book it; when nothing is open any more, the request is paid."""
    payment, request = _lock_payment(payment)
    payment.paid_at = timezone.now()
    _fire_payment(
        payment,
        "mark_paid",
        by=by,
        refused=_("Only a released payment can be marked as paid."),
        update_fields=["status", "paid_at"],
    )
    _book_payment(request, payment.amount)
    record(
        Action.PAYMENT_BOOKED,
        actor=by,
        state=request.state_id,
        target=request,
        summary=money(payment.amount),
        amount=payment.amount,
        payment=payment.pk,
    )
    still_open = request.payments.filter(status__in=OPEN_PAYMENTS).exists()
    if not still_open and request.status == S.PAYMENT_REQUESTED:
        fire(request, "mark_paid", by)
    notify_applicant(
        request,
        "payment_paid",
        translatable(
            gettext_noop("Payment made: %(amount)s for %(title)s"),
            amount=Money(payment.amount),
            title=request.title,
        ),
    )
    return payment
