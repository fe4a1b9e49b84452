"""The one place that decides what a user may see and do in the membership part.

Another tenant's object answers 404 (as if it did not exist); an object the user may see
but not change answers 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import (
    STATE_ROLES,
    Invitation,
    Membership,
    Organisation,
    Role,
    StateNetwork,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

_CACHE_ATTR = "_lpr_active_memberships"


def active_memberships(user: User | AnonymousUser) -> list[Membership]:
    """The user's active memberships with organisation and state, cached on the user object."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user, organisation__is_active=True)
            .select_related("organisation__state", "organisation__region")
            .order_by("organisation__state__name", "organisation__kind", "organisation__name")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: User | AnonymousUser) -> None:
    """Drop the cached memberships after they changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_in_state(user: User | AnonymousUser, state_id: int) -> set[str]:
    return {m.role for m in active_memberships(user) if m.organisation.state_id == state_id}


def is_state_admin(user: User | AnonymousUser, state_id: int) -> bool:
    """May keep the state's organisations, regions and memberships."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or Role.STATE_ADMIN in roles_in_state(user, state_id)


def is_state_staff(user: User | AnonymousUser, state_id: int) -> bool:
    """Acts for the state office (staff or admin), or is a platform admin."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_in_state(user, state_id) & set(STATE_ROLES))


def can_administer_any_state(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role == Role.STATE_ADMIN for m in active_memberships(user))


def require_state_administration(user: User | AnonymousUser) -> None:
    """403 unless the user administers at least one state network."""
    if not can_administer_any_state(user):
        raise PermissionDenied


def get_state_for_admin(user: User | AnonymousUser, pk: int) -> StateNetwork:
    """A state network the user administers; 404 for one they do not belong to, else 403."""
    state = StateNetwork.objects.visible_to(user).filter(pk=pk).first()
    if state is None:
        raise Http404
    if not is_state_admin(user, state.pk):
        raise PermissionDenied
    return state


def get_organisation_for_user(
    user: User | AnonymousUser, pk: int, *, manage: bool = False
) -> Organisation:
    """An organisation of the user's state networks; with manage, only for its state admins."""
    organisation = (
        Organisation.objects.visible_to(user)
        .select_related("state", "region")
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise Http404
    if manage and not is_state_admin(user, organisation.state_id):
        raise PermissionDenied
    return organisation


def get_membership_for_admin(user: User | AnonymousUser, pk: int) -> Membership:
    """A membership the user may change; 404 for another tenant's, 403 without the admin role."""
    membership = (
        Membership.objects.visible_to(user)
        .select_related("user", "organisation__state")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    if not is_state_admin(user, membership.organisation.state_id):
        raise PermissionDenied
    return membership


def get_invitation_for_admin(user: User | AnonymousUser, pk: int) -> Invitation:
    invitation = (
        Invitation.objects.filter(organisation__in=Organisation.objects.visible_to(user))
        .select_related("organisation__state")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404
    if not is_state_admin(user, invitation.organisation.state_id):
        raise PermissionDenied
    return invitation


ACTIVE_MEMBERSHIP_SESSION_KEY = "active_membership_id"


def current_membership(request: HttpRequest) -> Membership | None:
    """The membership chosen in the organisation switcher, else the user's first active one."""
    if not hasattr(request, "_lpr_membership"):
        memberships = active_memberships(request.user)
        chosen = request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY) if memberships else None
        membership = next((m for m in memberships if m.pk == chosen), None)
        request._lpr_membership = membership or (memberships[0] if memberships else None)  # type: ignore[attr-defined]
    cached: Membership | None = request._lpr_membership  # type: ignore[attr-defined]
    return cached
