"""Money after the decision: payment requests (Mittelabruf), the proof of use and its reminders.

Every status change goes through a state machine: the request's with ``services.fire``, the
payment's (requested → released → paid) with ``_fire_payment``, each with its log. The
programme's ``paid`` and ``committed`` sums change only with ``F()`` updates under the
programme's row lock. Side effects (notifications) run after the commit.

The modules, all re-exported here (``funding.payments.X`` keeps working):

- instalments.py: requesting, releasing and paying instalments; the request's payment summary
- proofs.py: writing and submitting the proof of use, its figures against the plan
- settlement.py: checking the proof, the final payment, repayments and open claims
- reminders.py: the "due soon" and "overdue" reminders of the proof of use
"""

# Reachable here as before the split (tests use it).
from ..models import add_months as add_months
from .instalments import (
    OPEN_PAYMENTS,
    PaymentSummary,
    payment_mark_paid,
    payment_release,
    payment_request,
    payment_summary,
    retained_amount,
)
from .proofs import (
    PROOF_EDITABLE,
    PROOF_FINISHED,
    FigureRow,
    ProofFigures,
    ReceiptData,
    proof_errors,
    proof_figures,
    proof_of,
    proof_save,
    proof_submit,
)
from .reminders import (
    AWAITING_PROOF,
    REMINDER_DAYS_BEFORE,
    proof_reminder_candidates,
    reminder_kind_due,
    send_proof_reminders,
)
from .reminders import _remind as _remind  # the single reminder step, used by tests
from .settlement import (
    OpenClaims,
    open_claims,
    proof_accept,
    proof_demand_repayment,
    proof_return,
    repayment_received,
)

__all__ = [
    "AWAITING_PROOF",
    "OPEN_PAYMENTS",
    "PROOF_EDITABLE",
    "PROOF_FINISHED",
    "REMINDER_DAYS_BEFORE",
    "FigureRow",
    "OpenClaims",
    "PaymentSummary",
    "ProofFigures",
    "ReceiptData",
    "open_claims",
    "payment_mark_paid",
    "payment_release",
    "payment_request",
    "payment_summary",
    "proof_accept",
    "proof_demand_repayment",
    "proof_errors",
    "proof_figures",
    "proof_of",
    "proof_reminder_candidates",
    "proof_return",
    "proof_save",
    "proof_submit",
    "reminder_kind_due",
    "repayment_received",
    "retained_amount",
    "send_proof_reminders",
]
