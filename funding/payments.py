"""Money after the decision: payment requests (Mittelabruf), the proof of use and its reminders.

Every status change goes through a state machine: the request's with ``services.fire``, the
payment's (requested → released → paid) with ``_fire_payment``, each with its log. The
programme's ``paid`` and ``committed`` sums change only with ``F()`` updates under the
programme's row lock. Side effects (notifications) run after the commit.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.transitions import fire as fire_transition
from councils.models import User
from notifications.messages import Money, translatable

from .decisions import budget_release
from .formatting import money
from .models import (
    PAYABLE,
    ZERO,
    CostCategory,
    FundingRequest,
    Payment,
    PaymentStatus,
    PaymentStatusChange,
    Programme,
    ProofOfUse,
    Receipt,
    Reminder,
    ReminderKind,
    add_months,
)
from .models import RequestStatus as S
from .receipts import receipt_date_error
from .services import cents, fire, lock, notify_applicant, notify_staff

#: Payments not yet paid out: while one is open the request stays "payment requested".
OPEN_PAYMENTS = (PaymentStatus.REQUESTED, PaymentStatus.RELEASED)
#: The applicant may write (and save) the proof of use in these states.
PROOF_EDITABLE = (S.APPROVED, S.PAYMENT_REQUESTED, S.PAID)
#: The proof is checked by staff in this state; afterwards it is read-only.
PROOF_FINISHED = (S.PROOF_SUBMITTED, S.REPAYMENT_DEMANDED, S.CLOSED)
#: The "due soon" reminder goes out this many days before the proof of use is due.
REMINDER_DAYS_BEFORE = 28
#: Requests still owing their proof of use.
AWAITING_PROOF = (S.APPROVED, S.PAYMENT_REQUESTED, S.PAID)


# Payments ------------------------------------------------------------------------------------


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


# The proof of use ----------------------------------------------------------------------------


@dataclass
class ReceiptData:
    date: datetime.date
    payee: str
    purpose: str
    category: str
    amount: Decimal
    #: A newly uploaded receipt file.
    file: File[bytes] | None = None
    #: The saved receipt this line replaces: its file is kept when no new one is uploaded.
    receipt_id: int | None = None


def proof_of(request: FundingRequest) -> ProofOfUse | None:
    return ProofOfUse.objects.filter(request=request).first()


@transaction.atomic
def proof_save(
    *,
    request: FundingRequest,
    by: User,
    report: str,
    actual_own_contribution: Decimal,
    actual_third_party_funds: Decimal,
    participants: int | None,
    receipts: Sequence[ReceiptData],
) -> ProofOfUse:
    """Save the proof of use as a draft; the list of receipts is replaced as a whole."""
    request = lock(request)
    if request.status not in PROOF_EDITABLE:
        raise ValidationError(
            _("The proof of use cannot be changed while the request is “%(status)s”.")
            % {"status": request.get_status_display()}
        )
    if request.start_date is None or request.start_date > timezone.localdate():
        raise ValidationError(_("The proof of use can be written once the project has started."))
    errors: dict[str, list[str]] = {}
    if actual_own_contribution is None or actual_own_contribution < 0:
        errors["actual_own_contribution"] = [_("Enter an amount of zero or more.")]
    if actual_third_party_funds is None or actual_third_party_funds < 0:
        errors["actual_third_party_funds"] = [_("Enter an amount of zero or more.")]
    if any(r.amount is None or r.amount <= 0 for r in receipts):
        errors.setdefault("receipts", []).append(_("Every receipt needs an amount above zero."))
    if any(r.category not in CostCategory.values for r in receipts):
        errors.setdefault("receipts", []).append(_("Choose a cost category for every receipt."))
    outside = [error for r in receipts if (error := receipt_date_error(request, r.date))]
    if outside:
        errors.setdefault("receipts", []).append(outside[0])
    if errors:
        raise ValidationError(errors)
    proof, _created = ProofOfUse.objects.get_or_create(request=request)
    proof.report = report.strip()
    proof.actual_own_contribution = cents(actual_own_contribution)
    proof.actual_third_party_funds = cents(actual_third_party_funds)
    proof.participants = participants
    proof.save(
        update_fields=[
            "report",
            "actual_own_contribution",
            "actual_third_party_funds",
            "participants",
        ]
    )
    # Only this proof's own receipts can hand their stored file on to the new list.
    kept_files = dict(proof.receipts.exclude(file="").values_list("pk", "file"))
    proof.receipts.all().delete()
    rows = []
    for r in receipts:
        row = Receipt(
            proof=proof,
            date=r.date,
            payee=r.payee.strip(),
            purpose=r.purpose.strip(),
            category=r.category,
            amount=cents(r.amount),
        )
        if r.file is not None:
            row.file.save(os.path.basename(str(r.file.name or "beleg.pdf")), r.file, save=False)
        elif r.receipt_id is not None and r.receipt_id in kept_files:
            row.file.name = kept_files[r.receipt_id]
        rows.append(row)
    Receipt.objects.bulk_create(rows)
    return proof


def proof_errors(request: FundingRequest, proof: ProofOfUse | None) -> list[str]:
    """What stops the proof of use from being submitted."""
    errors = []
    if proof is None or not proof.report.strip():
        errors.append(_("Write the narrative report."))
    if proof is None or not proof.receipts.exists():
        errors.append(_("Add at least one receipt."))
    if request.payments.filter(status__in=OPEN_PAYMENTS).exists():
        errors.append(_("Wait until every requested payment has been paid."))
    return errors


@transaction.atomic
def proof_submit(*, request: FundingRequest, by: User) -> ProofOfUse:
    """Submit the saved proof of use to the state office."""
    request = lock(request)
    proof = proof_of(request)
    errors = proof_errors(request, proof)
    if errors:
        raise ValidationError(errors)
    assert proof is not None
    fire(request, "submit_proof", by)
    proof.submitted_at = timezone.now()
    proof.save(update_fields=["submitted_at"])
    notify_staff(
        request,
        "proof_submitted",
        translatable(gettext_noop("Proof of use submitted: %(title)s"), title=request.title),
        request.applicant.name,
    )
    return proof


@dataclass(frozen=True)
class FigureRow:
    label: str
    planned: Decimal
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        return self.actual - self.planned


@dataclass(frozen=True)
class ProofFigures:
    """Costs by category and the financing, as planned and as spent."""

    costs: list[FigureRow]
    total_costs: FigureRow
    financing: list[FigureRow]
    total_financing: FigureRow

    @property
    def balance(self) -> Decimal:
        """Actual financing minus actual costs: above zero, more money came in than was spent."""
        return self.total_financing.actual - self.total_costs.actual


def proof_figures(request: FundingRequest, proof: ProofOfUse | None = None) -> ProofFigures:
    """The figures of the proof against the financing plan (two queries)."""
    planned: dict[str, Decimal] = {}
    for line in request.cost_lines.all():
        planned[line.category] = planned.get(line.category, ZERO) + line.amount
    actual: dict[str, Decimal] = {}
    receipts = proof.receipts.all() if proof is not None and proof.pk else []
    for receipt in receipts:
        actual[receipt.category] = actual.get(receipt.category, ZERO) + receipt.amount
    costs = [
        FigureRow(str(label), planned.get(value, ZERO), actual.get(value, ZERO))
        for value, label in CostCategory.choices
        if value in planned or value in actual
    ]
    total_costs = FigureRow(
        _("Total costs"), sum(planned.values(), ZERO), sum(actual.values(), ZERO)
    )
    own = proof.actual_own_contribution if proof is not None else ZERO
    third = proof.actual_third_party_funds if proof is not None else ZERO
    financing = [
        FigureRow(_("Own contribution"), request.own_contribution, own),
        FigureRow(_("Third-party funds"), request.third_party_funds, third),
        FigureRow(
            _("Grant (approved / paid)"), request.approved_amount or ZERO, request.paid_amount
        ),
    ]
    total_financing = FigureRow(
        _("Total financing"),
        sum((row.planned for row in financing), ZERO),
        sum((row.actual for row in financing), ZERO),
    )
    return ProofFigures(costs, total_costs, financing, total_financing)


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


# Reminders -----------------------------------------------------------------------------------


def reminder_kind_due(request: FundingRequest, today: datetime.date) -> str | None:
    """Which reminder the request is due for today, if any."""
    due = request.proof_due
    if due is None:
        return None
    if today > due:
        return ReminderKind.PROOF_OVERDUE
    if today >= due - datetime.timedelta(days=REMINDER_DAYS_BEFORE):
        return ReminderKind.PROOF_SOON
    return None


def proof_reminder_candidates(today: datetime.date) -> QuerySet[FundingRequest]:
    """Funded requests owing a proof whose due date is near (a generous filter in SQL)."""
    horizon = today + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    # Month ends make "end + 6 months <= horizon" not exactly reversible: a few days' slack.
    latest_end = add_months(horizon, -6) + datetime.timedelta(days=3)
    candidates: QuerySet[FundingRequest] = (
        FundingRequest.objects.filter(
            status__in=AWAITING_PROOF, end_date__isnull=False, end_date__lte=latest_end
        )
        .select_related("programme", "applicant")
        .order_by("pk")
    )
    return candidates


@transaction.atomic
def _remind(request: FundingRequest, kind: str) -> bool:
    """Write the reminder once; notify only when this call wrote it."""
    _reminder, created = Reminder.objects.get_or_create(request=request, kind=kind)
    if not created:
        return False
    due = request.proof_due
    if kind == ReminderKind.PROOF_OVERDUE:
        subject = translatable(
            gettext_noop("Proof of use overdue since %(due)s: %(title)s"),
            due=due,
            title=request.title,
        )
        notify_applicant(request, kind, subject)
        notify_staff(request, kind, subject, request.applicant.name)
    else:
        subject = translatable(
            gettext_noop("Proof of use due on %(due)s: %(title)s"), due=due, title=request.title
        )
        notify_applicant(request, kind, subject)
    return True


def send_proof_reminders(*, today: datetime.date | None = None) -> int:
    """Send the due "soon" and "overdue" reminders; a second run sends nothing twice."""
    today = today or timezone.localdate()
    sent = 0
    existing = set(
        Reminder.objects.filter(request__in=proof_reminder_candidates(today)).values_list(
            "request_id", "kind"
        )
    )
    for request in proof_reminder_candidates(today):
        kind = reminder_kind_due(request, today)
        if kind is None or (request.pk, kind) in existing:
            continue
        sent += _remind(request, kind)
    return sent
