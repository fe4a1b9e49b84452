"""Who may see and act on the events of a council.

One helper per object: an event the user may not see answers 404 (also another state's);
an event the user may see but not change answers 403. The organisers of a council's events
are its coordinators; state staff and admins read every event of their state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from councils.models import Organisation, OrganisationKind, Role
from councils.permissions import has_role_in, is_state_staff

from .models import Event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


def is_organiser(user: User | AnonymousUser, council_id: int) -> bool:
    """A coordinator of the council: creates and changes its events."""
    return has_role_in(user, council_id, Role.COUNCIL_COORDINATOR)


def may_read_participants(user: User | AnonymousUser, event: Event) -> bool:
    """The organisers and the state's staff see who takes part."""
    return is_organiser(user, event.council_id) or is_state_staff(user, event.state_id)


def get_council_for_user(
    user: User | AnonymousUser, pk: int, *, manage: bool = False
) -> Organisation:
    """A council of the user's states (404 otherwise); with manage, only for its coordinators."""
    council = (
        Organisation.objects.visible_to(user)
        .filter(pk=pk, kind=OrganisationKind.MUNICIPAL_COUNCIL)
        .select_related("state", "region")
        .first()
    )
    if council is None:
        raise Http404
    if manage and not is_organiser(user, council.pk):
        raise PermissionDenied
    return council


def get_event_for_user(user: User | AnonymousUser, pk: int, *, manage: bool = False) -> Event:
    """An event the user may see (404 otherwise); with manage, only for its organisers."""
    event = Event.objects.visible_to(user).select_related("council", "state").filter(pk=pk).first()
    if event is None:
        raise Http404
    if manage and not is_organiser(user, event.council_id):
        raise PermissionDenied
    return event


def require_participant_reader(user: User | AnonymousUser, event: Event) -> None:
    if not may_read_participants(user, event):
        raise PermissionDenied
