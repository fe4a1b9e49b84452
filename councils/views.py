"""Views of the membership part: organisation profiles, the switcher, administration."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .models import Position
from .permissions import (
    ACTIVE_MEMBERSHIP_SESSION_KEY,
    active_memberships,
    get_organisation_for_user,
    is_state_admin,
)


@require_POST
@login_required
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Make another of the user's memberships the active one."""
    wanted = request.POST.get("membership", "")
    memberships = {str(m.pk): m for m in active_memberships(request.user)}
    if wanted in memberships:
        request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = memberships[wanted].pk
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "dashboard")


@require_GET
@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Profile of an organisation of the user's state: contact, region, roster."""
    organisation = get_organisation_for_user(request.user, pk)
    roster = (
        organisation.memberships.active()
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    leaders = [m for m in roster if m.position != Position.MEMBER]
    return render(
        request,
        "councils/organisation_detail.html",
        {
            "organisation": organisation,
            "roster": roster,
            "leaders": leaders,
            "served_regions": organisation.served_regions.all(),
            "can_manage": is_state_admin(request.user, organisation.state_id),
        },
    )
