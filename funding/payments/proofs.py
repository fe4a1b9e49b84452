"""Writing and submitting the proof of use (Verwendungsnachweis), and its figures against the
financing plan."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from councils.models import User
from notifications.messages import translatable

from ..models import (
    ZERO,
    CostCategory,
    FundingRequest,
    ProofOfUse,
    Receipt,
)
from ..models import RequestStatus as S
from ..receipts import receipt_date_error
from ..services import cents, fire, lock, notify_staff
from .instalments import OPEN_PAYMENTS

#: The applicant may write (and save) the proof of use in these states.
PROOF_EDITABLE = (S.APPROVED, S.PAYMENT_REQUESTED, S.PAID)
#: The proof is checked by staff in this state; afterwards it is read-only.
PROOF_FINISHED = (S.PROOF_SUBMITTED, S.REPAYMENT_DEMANDED, S.CLOSED)


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
