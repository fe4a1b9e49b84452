"""Template context every page needs: the active membership and the switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from councils.permissions import active_memberships, can_administer_any_state, current_membership
from notifications.models import Notification


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "active_membership": current_membership(request),
        "all_memberships": active_memberships(user),
        "can_administer": can_administer_any_state(user),
        "unread_notifications": Notification.objects.unread_count_for(user),
    }
