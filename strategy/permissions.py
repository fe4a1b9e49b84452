"""Who may see and change a strategy: one helper per object, 404 for another tenant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from councils.permissions import active_memberships, is_state_staff

from .models import Goal, Level, Strategy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


def get_strategy_for_user(user: User | AnonymousUser, pk: int, *, edit: bool = False) -> Strategy:
    """A strategy the user may read (404 otherwise); with edit, only state staff of its state."""
    strategy = Strategy.objects.visible_to(user).select_related("state").filter(pk=pk).first()
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


def can_report_on(user: User | AnonymousUser, measure: Goal) -> bool:
    """Members of a responsible organisation report progress on a measure; so does state staff."""
    if measure.level != Level.MEASURE or not user.is_authenticated:
        return False
    if is_state_staff(user, measure.strategy.state_id):
        return True
    own = {m.organisation_id for m in active_memberships(user)}
    return any(org.pk in own for org in measure.responsible.all())


def get_measure_for_reporting(user: User | AnonymousUser, pk: int) -> Goal:
    """A measure of an adopted strategy the user reports on; 403 when not responsible."""
    measure = get_goal_for_user(user, pk)
    if measure.level != Level.MEASURE or not can_report_on(user, measure):
        raise PermissionDenied
    return measure
