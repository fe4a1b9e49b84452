"""Micro-project funding: programmes, requests with cost and financing plans, the decision
workflow, letters, payments and the proof of use.

Money is Decimal with two places. A programme stores what is committed and paid so that a
row lock plus a check constraint can keep approvals within the budget.

The models live in modules by subject; everything is re-exported here, so ``funding.models.X``
(also the upload paths the migrations name) keeps working:

- common.py: money's zero, the proof-of-use deadline, sources, financing types, cost categories
- programmes.py: programmes and their tiers
- statuses.py: the request's states, the groups of states, the decision's kinds and terms
- requests.py: the funding request with its state machine
- contents.py: cost lines and attachments of a request
- history.py: frozen submissions and the log of status changes
- reviews.py: assigned reviewers, their votes, the internal discussion
- letters.py: letter templates and the letters (Bescheide)
- payments.py: instalments with their state machine and log
- proofs.py: the proof of use, its receipts and the reminders
- exports.py: export jobs of request lists
"""

from .common import (
    PROOF_DUE_MONTHS,
    ZERO,
    CostCategory,
    FinancingType,
    FundingSource,
    add_months,
)
from .contents import (
    Attachment,
    CostLine,
    attachment_upload_to,
)
from .exports import (
    ExportJob,
    ExportStatus,
    export_upload_to,
)
from .history import (
    StatusChange,
    Submission,
)
from .letters import (
    Letter,
    LetterKind,
    LetterTemplate,
    letter_upload_to,
)
from .payments import (
    PS,
    Payment,
    PaymentStatus,
    PaymentStatusChange,
)
from .programmes import (
    Programme,
    ProgrammeQuerySet,
    Tier,
    conditions_upload_to,
    guideline_upload_to,
)
from .proofs import (
    ProofOfUse,
    Receipt,
    Reminder,
    ReminderKind,
    receipt_upload_to,
)
from .requests import (
    FundingRequest,
    FundingRequestQuerySet,
    reviewer_request_ids,
)
from .reviews import (
    Comment,
    FundingRequestGroupPermission,
    FundingRequestReviewer,
    Review,
    Vote,
)
from .statuses import (
    DECIDED,
    EDITABLE,
    FUNDED,
    PAYABLE,
    TERMS_FIELDS,
    WITH_STAFF,
    Decision,
    DecisionTerms,
    RequestStatus,
    S,
)

__all__ = [
    "DECIDED",
    "EDITABLE",
    "FUNDED",
    "PAYABLE",
    "PROOF_DUE_MONTHS",
    "PS",
    "TERMS_FIELDS",
    "WITH_STAFF",
    "ZERO",
    "Attachment",
    "Comment",
    "CostCategory",
    "CostLine",
    "Decision",
    "DecisionTerms",
    "ExportJob",
    "ExportStatus",
    "FinancingType",
    "FundingRequest",
    "FundingRequestGroupPermission",
    "FundingRequestQuerySet",
    "FundingRequestReviewer",
    "FundingSource",
    "Letter",
    "LetterKind",
    "LetterTemplate",
    "Payment",
    "PaymentStatus",
    "PaymentStatusChange",
    "Programme",
    "ProgrammeQuerySet",
    "ProofOfUse",
    "Receipt",
    "Reminder",
    "ReminderKind",
    "RequestStatus",
    "Review",
    "S",
    "StatusChange",
    "Submission",
    "Tier",
    "Vote",
    "add_months",
    "attachment_upload_to",
    "conditions_upload_to",
    "export_upload_to",
    "guideline_upload_to",
    "letter_upload_to",
    "receipt_upload_to",
    "reviewer_request_ids",
]
