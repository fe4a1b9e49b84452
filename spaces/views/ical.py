"""Calendar files and pages: an event's iCal file, the council and personal feeds, the secret
subscription address, and the public calendar."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.fragments import lazy_values
from core.web import acting_user, paginate, parameter_id
from councils.models import Organisation, StateNetwork
from councils.permissions import member_councils

from .. import event_services as services
from ..event_permissions import get_council_for_user, get_event_for_user
from ..ical import calendar_response
from ..models import CalendarToken, Event

#: How far back a feed reaches; older events stay on the portal's pages.
FEED_PAST_DAYS = 180


def _feed_events(queryset: QuerySet[Event]) -> list[Event]:
    """The events of a feed: from half a year back on, by their start."""
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    return list(
        queryset.filter(ends_at__gte=since).select_related("council").order_by("starts_at", "pk")
    )


@require_GET
def event_ical(request: HttpRequest, pk: int) -> HttpResponse:
    """One event as an iCal file; public events also without signing in."""
    try:
        event = get_event_for_user(request.user, pk)
    except Http404:
        if not request.user.is_authenticated and Event.objects.filter(pk=pk).exists():
            return redirect_to_login(request.get_full_path())
        raise
    return calendar_response([event], name=event.title, filename=f"veranstaltung-{event.pk}.ics")


@require_GET
@login_required
def council_ical(request: HttpRequest, council: int) -> HttpResponse:
    """A council's events the signed-in user may see, as an iCal file."""
    user = acting_user(request)
    organisation = get_council_for_user(user, council)
    events = _feed_events(Event.objects.visible_to(user).filter(council=organisation))
    return calendar_response(events, name=organisation.name, filename=f"rat-{organisation.pk}.ics")


@require_GET
def public_ical(request: HttpRequest) -> HttpResponse:
    """The public events of every state as a feed."""
    events = _feed_events(Event.objects.public())
    return calendar_response(
        events, name=_("Public events"), filename="oeffentlich.ics", attachment=False
    )


@require_GET
def token_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed behind a secret address: what its person may see, read without a
    session; an unknown or revoked address answers 404."""
    user = services.calendar_token_user(token)
    if user is None:
        raise Http404
    events = _feed_events(Event.objects.visible_to(user).in_states_of(user))
    return calendar_response(
        events, name=_("LPR Portal events"), filename="kalender.ics", attachment=False
    )


@require_GET
def token_council_feed(request: HttpRequest, token: str, council: int) -> HttpResponse:
    """One council's events behind the person's secret address."""
    user = services.calendar_token_user(token)
    if user is None:
        raise Http404
    organisation = get_council_for_user(user, council)
    events = _feed_events(Event.objects.visible_to(user).filter(council=organisation))
    return calendar_response(
        events, name=organisation.name, filename=f"rat-{organisation.pk}.ics", attachment=False
    )


# The secret address --------------------------------------------------------------------------


def _feed_url(request: HttpRequest, token: CalendarToken | None) -> str:
    if token is None:
        return ""
    return request.build_absolute_uri(reverse("spaces:token_feed", kwargs={"token": token.token}))


@require_http_methods(["GET", "POST"])
@login_required
def calendar_subscription(request: HttpRequest) -> HttpResponse:
    """The person's secret calendar address: see it, create it (POST)."""
    user = acting_user(request)
    if request.method == "POST":
        services.calendar_token_get_or_create(user=user)
        messages.success(request, _("Your calendar address was created."))
        return redirect("spaces:calendar_subscription")
    token = CalendarToken.objects.filter(user=user).first()
    councils = member_councils(user)
    return render(
        request,
        "spaces/events/calendar_subscription.html",
        {
            "token": token,
            "feed_url": _feed_url(request, token),
            "council_feeds": [
                (
                    council,
                    request.build_absolute_uri(
                        reverse(
                            "spaces:token_council_feed",
                            kwargs={"token": token.token, "council": council.pk},
                        )
                    ),
                )
                for council in councils
            ]
            if token is not None
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def calendar_token_renew(request: HttpRequest) -> HttpResponse:
    """Confirm (GET) and make (POST) a new secret address; the old one stops working."""
    user = acting_user(request)
    if request.method == "POST":
        services.calendar_token_renew(user=user)
        messages.success(
            request,
            _("Your calendar address was renewed. Subscribe again with the new address."),
        )
        return redirect("spaces:calendar_subscription")
    return render(request, "spaces/events/calendar_token_confirm.html", {"action": "renew"})


@require_http_methods(["GET", "POST"])
@login_required
def calendar_token_revoke(request: HttpRequest) -> HttpResponse:
    """Confirm (GET) and delete (POST) the secret address."""
    user = acting_user(request)
    if request.method == "POST":
        services.calendar_token_revoke(user=user)
        messages.success(request, _("Your calendar address was revoked; it shows nothing now."))
        return redirect("spaces:calendar_subscription")
    return render(request, "spaces/events/calendar_token_confirm.html", {"action": "revoke"})


# The public calendar -------------------------------------------------------------------------


@require_GET
def public_calendar(request: HttpRequest) -> HttpResponse:
    """The upcoming public events of the councils, by state; for everybody."""
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(_public_listing, request, names=("page", "states", "chosen", "council"))
    return render(request, "spaces/events/public_calendar.html", listing)


def _public_listing(request: HttpRequest) -> dict[str, Any]:
    states = list(StateNetwork.objects.filter(is_active=True).order_by("name"))
    chosen = next((s for s in states if s.slug == request.GET.get("land")), None)
    events = Event.objects.public().upcoming().for_table()
    if chosen is not None:
        events = events.filter(state=chosen)
    # ``?rat=<id>``: one council's public events (the public directory links here).
    council = None
    council_id = parameter_id(request.GET.get("rat"))
    if council_id is not None:
        council = (
            Organisation.objects.public_directory().filter(pk=council_id, state__in=states).first()
        )
        events = events.filter(council=council) if council is not None else events.none()
    return {
        "page": paginate(request, events),
        "states": states,
        "chosen": chosen,
        "council": council,
    }
