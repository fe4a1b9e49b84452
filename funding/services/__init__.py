"""Writes of a funding request up to the decision: drafting, plans, submission, checks, review.

Every status change goes through the request's state machine (``FundingRequest.submit`` …)
and is recorded by ``fire`` (``core.transitions``) with who, when, from, to and why. Side
effects (notifications) run after the commit.

The package's modules: ``common`` (cents, the log, notices), ``drafting``, ``submission``
(rules, submission copies and their comparison) and ``review`` (check, reviewers, votes).
"""

from __future__ import annotations

from .common import (
    CENT,
    FINANCING_FIELDS,
    LARGEST_AMOUNT,
    PROJECT_FIELDS,
    cents,
    coordinators_of,
    fire,
    lock,
    notify,
    notify_applicant,
    notify_staff,
    staff_of,
)
from .drafting import (
    CostLineData,
    attachment_add,
    attachment_delete,
    cost_lines_replace,
    goal_links_for,
    linkable_goals,
    recalculate,
    request_create,
    request_goals,
    request_set_goals,
    request_update,
)
from .review import (
    comment_add,
    request_return,
    request_start_check,
    request_start_review,
    review_save,
    reviewer_assign,
    reviewer_candidates,
    reviewer_remove,
    reviewers_of,
)
from .submission import (
    CARRIER_ADDRESS_FIELDS,
    REQUIRED_FOR_SUBMISSION,
    Change,
    changes_between,
    changes_since_last_submission,
    financing_rule_errors,
    request_submit,
    request_withdraw,
    snapshot,
    submission_errors,
)

__all__ = [
    "CARRIER_ADDRESS_FIELDS",
    "CENT",
    "FINANCING_FIELDS",
    "LARGEST_AMOUNT",
    "PROJECT_FIELDS",
    "REQUIRED_FOR_SUBMISSION",
    "Change",
    "CostLineData",
    "attachment_add",
    "attachment_delete",
    "cents",
    "changes_between",
    "changes_since_last_submission",
    "comment_add",
    "coordinators_of",
    "cost_lines_replace",
    "financing_rule_errors",
    "fire",
    "goal_links_for",
    "linkable_goals",
    "lock",
    "notify",
    "notify_applicant",
    "notify_staff",
    "recalculate",
    "request_create",
    "request_goals",
    "request_return",
    "request_set_goals",
    "request_start_check",
    "request_start_review",
    "request_submit",
    "request_update",
    "request_withdraw",
    "review_save",
    "reviewer_assign",
    "reviewer_candidates",
    "reviewer_remove",
    "reviewers_of",
    "snapshot",
    "staff_of",
    "submission_errors",
]
