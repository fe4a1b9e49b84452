"""The states of a funding request, the groups of states the code asks about, and the terms
and kinds of a decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .common import FinancingType


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FORMAL_CHECK = "formal_check", _("Formal check")
    RETURNED = "returned", _("Returned for changes")
    REVIEW = "review", _("In review")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting second approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PAYMENT_REQUESTED = "payment_requested", _("Payment requested")
    PAID = "paid", _("Paid")
    PROOF_SUBMITTED = "proof_submitted", _("Proof of use submitted")
    REPAYMENT_DEMANDED = "repayment_demanded", _("Repayment demanded")
    CLOSED = "closed", _("Closed")


S = RequestStatus

#: The applicant may change the request in these states.
EDITABLE = (S.DRAFT, S.RETURNED)
#: Decided in favour: the amount is committed against the budget.
FUNDED = (
    S.APPROVED,
    S.PAYMENT_REQUESTED,
    S.PAID,
    S.PROOF_SUBMITTED,
    S.REPAYMENT_DEMANDED,
    S.CLOSED,
)
#: Waiting for the state office.
WITH_STAFF = (S.SUBMITTED, S.FORMAL_CHECK, S.REVIEW, S.AWAITING_CONFIRMATION)
#: Payments can be requested in these states.
PAYABLE = (S.APPROVED, S.PAYMENT_REQUESTED, S.PAID)
#: Decided: the terms of the decision are frozen on the request.
DECIDED = (*FUNDED, S.REJECTED)
#: The fields that keep the terms of the decision.
TERMS_FIELDS = [
    "terms_frozen_at",
    "terms_retained_share",
    "terms_min_own_share",
    "terms_financing_type",
    "terms_tier_name",
    "terms_tier_limit",
    "terms_proof_due_months",
]


@dataclass(frozen=True)
class DecisionTerms:
    """The programme's rules a request is held to: frozen at the decision, live before it."""

    retained_share: Decimal
    min_own_share: Decimal
    financing_type: str
    tier_name: str
    tier_limit: Decimal | None
    proof_due: date | None
    frozen: bool

    def get_financing_type_display(self) -> str:
        return str(FinancingType(self.financing_type).label) if self.financing_type else ""


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve in full")
    REDUCE = "reduce", _("Approve a reduced amount")
    REJECT = "reject", _("Reject")
