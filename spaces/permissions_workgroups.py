"""Who may read and change a council's working groups and focus topics.

Another state's council or object answers 404; a council of the user's state the user may not
read answers 403. Council members read their council's space, coordinators change it, the
state's staff read every council of their state, invited experts read their one group only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from councils.models import (
    COUNCIL_ROLES,
    Organisation,
    OrganisationKind,
    Role,
    user_state_ids,
)
from councils.permissions import (
    has_role_in,
    is_state_staff,
)

from .models import WorkingGroup, WorkingGroupExpert
from .models.workgroups import EXPERT_PERMISSION

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


def get_council(user: User | AnonymousUser, pk: int) -> Organisation:
    """A council of the user's states (404 otherwise); access to its space is checked apart."""
    council = (
        Organisation.objects.visible_to(user)
        .filter(pk=pk, kind=OrganisationKind.MUNICIPAL_COUNCIL)
        .select_related("state", "region")
        .first()
    )
    if council is None:
        raise Http404
    return council


def is_council_member(user: User | AnonymousUser, council: Organisation) -> bool:
    return has_role_in(user, council.pk, *COUNCIL_ROLES)


def is_coordinator(user: User | AnonymousUser, council: Organisation) -> bool:
    return has_role_in(user, council.pk, Role.COUNCIL_COORDINATOR)


def may_read_space(user: User | AnonymousUser, council: Organisation) -> bool:
    """The council's members and the staff of its state (and platform admins)."""
    return is_council_member(user, council) or is_state_staff(user, council.state_id)


def get_council_space(user: User | AnonymousUser, pk: int, *, manage: bool = False) -> Organisation:
    """A council whose space the user reads (403 otherwise); with manage, only coordinators."""
    council = get_council(user, pk)
    if not may_read_space(user, council):
        raise PermissionDenied
    if manage and not is_coordinator(user, council):
        raise PermissionDenied
    return council


def is_expert(user: User | AnonymousUser, group: WorkingGroup) -> bool:
    """Holds guardian's expert permission on this one group and a seat in its state."""
    if not user.is_authenticated:
        return False
    if group.council.state_id not in (user_state_ids(user) or set()):
        return False
    return WorkingGroupExpert.objects.filter(
        user_id=user.pk, content_object=group, permission__codename=EXPERT_PERMISSION
    ).exists()


def get_working_group(
    user: User | AnonymousUser, council_pk: int, pk: int, *, manage: bool = False
) -> WorkingGroup:
    """A working group the user may read; 404 for another state's, 403 without access.

    With manage, only the council's coordinators may go on.
    """
    group: WorkingGroup | None = (
        WorkingGroup.objects.filter(pk=pk, council_id=council_pk)
        .select_related("council__state", "council__region", "lead")
        .first()
    )
    if group is None:
        raise Http404
    council = group.council
    readable = may_read_space(user, council) or is_expert(user, group)
    if not readable:
        if not Organisation.objects.visible_to(user).filter(pk=council.pk).exists():
            raise Http404
        raise PermissionDenied
    if manage and not is_coordinator(user, council):
        raise PermissionDenied
    return group
