"""Who may see and change a strategy: one helper per object, 404 for another tenant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from councils.models import STATE_ROLES, Membership, Organisation, OrganisationKind, Role
from councils.permissions import active_memberships, is_state_staff

from .models import Goal, Strategy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


def get_strategy_for_user(user: User | AnonymousUser, pk: int, *, edit: bool = False) -> Strategy:
    """A strategy the user may read (404 otherwise); with edit, only state staff of its state."""
    strategy: Strategy | None = (
        Strategy.objects.visible_to(user).select_related("state").filter(pk=pk).first()
    )
    if strategy is None:
        raise Http404
    if edit and not is_state_staff(user, strategy.state_id):
        raise PermissionDenied
    return strategy


def get_goal_for_user(user: User | AnonymousUser, pk: int, *, edit: bool = False) -> Goal:
    """An item of a strategy the user may read; with edit, only state staff of its state."""
    goal = (
        Goal.objects.filter(strategy__in=Strategy.objects.visible_to(user))
        .select_related("strategy__state", "parent")
        .filter(pk=pk)
        .first()
    )
    if goal is None:
        raise Http404
    if edit and not is_state_staff(user, goal.strategy.state_id):
        raise PermissionDenied
    return goal


#: Who reports progress and enters measured values for a responsible organisation.
REPORTING_ROLES = (Role.COUNCIL_COORDINATOR, Role.NGO_REPRESENTATIVE)


def reporting_organisation(
    user: User | AnonymousUser, goal: Goal, *, active: Membership | None = None
) -> Organisation | None:
    """The organisation the user reports for on this goal, or None when they may not report.

    Coordinators and NGO representatives of a responsible organisation, and state staff (for
    the state office); the active membership wins when several fit.
    """
    if not user.is_authenticated:
        return None
    responsible = {org.pk for org in goal.responsible.all()}
    state_id = goal.strategy.state_id
    candidates = [
        m
        for m in active_memberships(user)
        if m.organisation.state_id == state_id
        and (
            (m.organisation_id in responsible and m.role in REPORTING_ROLES)
            or m.role in STATE_ROLES
        )
    ]
    chosen = next((m for m in candidates if active and m.pk == active.pk), None)
    chosen = chosen or next(iter(candidates), None)
    if chosen is not None:
        return chosen.organisation
    if user.is_superuser:
        return (
            Organisation.objects.filter(state_id=state_id, kind=OrganisationKind.STATE_OFFICE)
            .order_by("pk")
            .first()
        )
    return None
