"""Blocked sign-ins (django-axes) of a state's people, and lifting a block."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Max, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.web import acting_user, paginate
from councils.models import Membership, Role, User, user_state_ids
from councils.permissions import require_state_administration


@dataclass(frozen=True)
class Lockout:
    """One blocked pair of account and address."""

    pk: int
    username: str
    ip_address: str | None
    failures: int
    last_attempt: datetime
    until: datetime | None
    person: User | None


def _attempts_visible_to(user: User) -> QuerySet[AccessAttempt]:
    """Attempts on the accounts of the people the user administers (platform admins: all)."""
    attempts: QuerySet[AccessAttempt] = AccessAttempt.objects.all()
    state_ids = user_state_ids(user, roles=(Role.STATE_ADMIN,))
    if state_ids is None:
        return attempts
    people = Membership.objects.active().filter(organisation__state_id__in=state_ids)
    usernames = get_user_model().objects.filter(memberships__in=people).values("username")
    visible: QuerySet[AccessAttempt] = attempts.filter(username__in=usernames)
    return visible


def lockouts_for(user: User) -> list[Lockout]:
    """The account-and-address pairs that are blocked now, newest first."""
    cool_off = get_cool_off()
    groups = (
        _attempts_visible_to(user)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"), pk=Max("pk"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    if cool_off is not None:
        groups = groups.filter(last__gt=timezone.now() - cool_off)
    rows = list(groups)
    people = {
        p.username: p
        for p in get_user_model().objects.filter(username__in=[r["username"] for r in rows])
    }
    return [
        Lockout(
            pk=r["pk"],
            username=r["username"] or "",
            ip_address=r["ip_address"],
            failures=r["failures"],
            last_attempt=r["last"],
            until=r["last"] + cool_off if cool_off is not None else None,
            person=people.get(r["username"]),
        )
        for r in rows
    ]


@login_required
@require_http_methods(["GET"])
def lockout_list(request: HttpRequest) -> HttpResponse:
    """State admins: blocked sign-ins of their state's people; platform admins: all."""
    user = acting_user(request)
    require_state_administration(user)
    page = paginate(request, lockouts_for(user))
    return render(request, "accounts/lockout_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def lockout_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift one block (confirm first): the account may sign in from that address again."""
    user = acting_user(request)
    require_state_administration(user)
    attempt = _attempts_visible_to(user).filter(pk=pk).first()
    if attempt is None:
        raise Http404
    if request.method == "POST":
        AccessAttempt.objects.filter(
            username=attempt.username, ip_address=attempt.ip_address
        ).delete()
        messages.success(
            request,
            _("The sign-in of %(username)s from %(address)s is possible again.")
            % {"username": attempt.username, "address": attempt.ip_address or "–"},
        )
        return redirect("accounts:lockout_list")
    person = get_user_model().objects.filter(username=attempt.username).first()
    return render(request, "accounts/lockout_unlock.html", {"attempt": attempt, "person": person})
