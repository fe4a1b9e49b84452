"""Who may see and act on programmes and funding requests: one helper per object.

Another tenant's object (or a request the user has no part in) answers 404; a request the
user may read but not act on answers 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from councils.models import Organisation, Role
from councils.permissions import (
    active_memberships,
    coordinated_councils,
    has_role_in,
    is_state_staff,
)

from .models import (
    FundingRequest,
    FundingRequestReviewer,
    Programme,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

REVIEW_PERMISSION = "review_fundingrequest"


def get_programme_for_user(
    user: User | AnonymousUser, pk: int, *, manage: bool = False
) -> Programme:
    """A programme of the user's states; with manage, only for its state staff."""
    programme = Programme.objects.visible_to(user).select_related("state").filter(pk=pk).first()
    if programme is None:
        raise Http404
    if manage and not is_state_staff(user, programme.state_id):
        raise PermissionDenied
    return programme


#: What a request's pages show with it, loaded in the same query.
REQUEST_RELATED = ("programme__state", "applicant", "region", "tier")


def get_request_for_user(
    user: User | AnonymousUser, pk: int, *, related: bool = True
) -> FundingRequest:
    """A request the user may read (404 otherwise), with programme, applicant and region.

    ``related=False`` reads the request's own row only: for a page whose content comes from
    the fragment cache and loads the rest when it is rendered (``with_related``).
    """
    queryset = FundingRequest.objects.visible_to(user)
    if related:
        queryset = queryset.select_related(*REQUEST_RELATED)
    request: FundingRequest | None = queryset.filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def with_related(request: FundingRequest) -> FundingRequest:
    """The request read again with its programme, applicant, region and tier, in one query.

    Read while a cached fragment renders, the rows are the fragment's own: it depends on their
    tables from before it read them, as on everything else it shows.
    """
    request.refresh_from_db(from_queryset=FundingRequest.objects.select_related(*REQUEST_RELATED))
    return request


def applicant_councils(user: User | AnonymousUser) -> list[Organisation]:
    """Councils the user coordinates: they may draft and submit requests for them."""
    return coordinated_councils(user)


def is_applicant(user: User | AnonymousUser, request: FundingRequest) -> bool:
    """A coordinator of the applicant council: acts for the applicant."""
    return has_role_in(user, request.applicant_id, Role.COUNCIL_COORDINATOR)


def is_applicant_member(user: User | AnonymousUser, request: FundingRequest) -> bool:
    """Anyone with a seat on the applicant council (reads the request)."""
    return any(m.organisation_id == request.applicant_id for m in active_memberships(user))


def is_staff_for(user: User | AnonymousUser, request: FundingRequest) -> bool:
    """State staff (or admin) of the programme's state, or a platform admin."""
    return is_state_staff(user, request.programme.state_id)


def is_assigned_reviewer(user: User | AnonymousUser, request: FundingRequest) -> bool:
    """Holds guardian's review permission on this one request."""
    if not user.is_authenticated:
        return False
    return FundingRequestReviewer.objects.filter(
        user_id=user.pk, content_object=request, permission__codename=REVIEW_PERMISSION
    ).exists()


def require_applicant(user: User | AnonymousUser, request: FundingRequest) -> None:
    if not is_applicant(user, request):
        raise PermissionDenied


def require_staff(user: User | AnonymousUser, request: FundingRequest) -> None:
    if not is_staff_for(user, request):
        raise PermissionDenied


def may_see_internals(user: User | AnonymousUser, request: FundingRequest) -> bool:
    """Reviews, comments and the reviewer assignment: staff and assigned reviewers only."""
    return is_staff_for(user, request) or is_assigned_reviewer(user, request)


def require_internals(user: User | AnonymousUser, request: FundingRequest) -> None:
    if not may_see_internals(user, request):
        raise PermissionDenied
