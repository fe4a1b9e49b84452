"""The state office's formal check and the review: returning, reviewers, votes, comments."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from councils.models import Membership, User
from notifications.messages import translatable

from ..formatting import money
from ..models import (
    Comment,
    FundingRequest,
    FundingRequestReviewer,
    Review,
    Vote,
)
from ..models import RequestStatus as S
from ..permissions import REVIEW_PERMISSION
from .common import (
    fire,
    lock,
    notify,
    notify_applicant,
)

# The state office's check and review ---------------------------------------------------------


@transaction.atomic
def request_start_check(*, request: FundingRequest, by: User) -> FundingRequest:
    request = lock(request)
    fire(request, "start_check", by)
    return request


@transaction.atomic
def request_return(*, request: FundingRequest, by: User, reason: str) -> FundingRequest:
    """Send the request back to the applicant; the reason is required and shown to them."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the applicant should change.")})
    request = lock(request)
    fire(request, "return_for_changes", by, reason)
    notify_applicant(
        request,
        "returned",
        translatable(
            gettext_noop("Funding request returned for changes: %(title)s"), title=request.title
        ),
        reason,
    )
    return request


@transaction.atomic
def request_start_review(
    *, request: FundingRequest, by: User, reviewers: Iterable[User] = ()
) -> FundingRequest:
    """The formal check passed: the request goes to review, with reviewers if given."""
    request = lock(request)
    fire(request, "start_review", by)
    for reviewer in reviewers:
        reviewer_assign(request=request, reviewer=reviewer, by=by)
    return request


def _review_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="funding", codename=REVIEW_PERMISSION)


def reviewers_of(request: FundingRequest) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=FundingRequestReviewer.objects.filter(
            content_object=request, permission__codename=REVIEW_PERMISSION
        ).values("user_id")
    ).order_by("last_name", "first_name", "username")


def reviewer_candidates(request: FundingRequest) -> QuerySet[User]:
    """Active people of the request's state: staff, but also experts from any organisation."""
    return (
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.active()
            .filter(organisation__state_id=request.programme.state_id)
            .values("user_id"),
        )
        .exclude(pk__in=reviewers_of(request).values("pk"))
        .exclude(
            pk__in=Membership.objects.active()
            .filter(organisation_id=request.applicant_id)
            .values("user_id")
        )
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def reviewer_assign(*, request: FundingRequest, reviewer: User, by: User) -> None:
    """Grant one person the review permission on this request (guardian object permission)."""
    if request.status not in (S.FORMAL_CHECK, S.REVIEW):
        raise ValidationError(_("Reviewers can be assigned during the check and the review."))
    if not reviewer_candidates(request).filter(pk=reviewer.pk).exists():
        raise ValidationError(
            {"reviewer": _("Choose a person of the state's network outside the applicant council.")}
        )
    FundingRequestReviewer.objects.get_or_create(
        user=reviewer, content_object=request, permission=_review_permission()
    )
    notify(
        [reviewer],
        request,
        "review_assigned",
        translatable(
            gettext_noop("Please review the funding request: %(title)s"), title=request.title
        ),
    )


@transaction.atomic
def reviewer_remove(*, request: FundingRequest, reviewer: User) -> None:
    FundingRequestReviewer.objects.filter(
        user=reviewer, content_object=request, permission__codename=REVIEW_PERMISSION
    ).delete()


@transaction.atomic
def review_save(
    *,
    request: FundingRequest,
    reviewer: User,
    vote: str,
    comment: str,
    recommended_amount: Decimal | None = None,
) -> Review:
    """The reviewer's vote on the current submission (one per submission, may be revised)."""
    request = lock(request)
    if request.status != S.REVIEW:
        raise ValidationError(_("Votes can only be given while the request is in review."))
    if vote == Vote.REDUCE:
        if recommended_amount is None or not (0 < recommended_amount < request.requested_amount):
            raise ValidationError(
                {
                    "recommended_amount": _(
                        "Recommend an amount above zero and below the requested %(amount)s."
                    )
                    % {"amount": money(request.requested_amount)}
                }
            )
    else:
        recommended_amount = None
    review, _created = Review.objects.update_or_create(
        request=request,
        reviewer=reviewer,
        round=request.round,
        defaults={"vote": vote, "comment": comment, "recommended_amount": recommended_amount},
    )
    return review


def comment_add(*, request: FundingRequest, author: User, text: str) -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    return Comment.objects.create(request=request, author=author, text=text.strip())
