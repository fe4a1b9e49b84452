"""Pages of the events: a council's events, an event, its registrations, files and goals."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import lazy, lazy_values
from core.web import acting_user, confirm_delete, paginate, serve_file
from councils.models import StateNetwork, User, user_state_ids
from councils.permissions import coordinated_councils, council_ids, is_state_staff

from .. import event_services as services
from ..event_permissions import (
    get_council_for_user,
    get_event_for_user,
    is_organiser,
    may_read_participants,
    require_participant_reader,
)
from ..forms.events import EventFileForm, EventForm, show_errors
from ..models import Event, EventKind, Registration, RegistrationStatus

#: The files of an event by the word in their address.
FILES = {"tagesordnung": "agenda", "protokoll": "minutes"}
FILE_SLUGS = {field: slug for slug, field in FILES.items()}


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _kind(request: HttpRequest) -> str:
    """The kind of event the list shows (``?art=``); "" for all, also for an unknown kind."""
    kind = request.GET.get("art", "")
    return kind if kind in EventKind.values else ""


def _filter_kind(request: HttpRequest, events: Any) -> tuple[Any, str]:
    """Narrow the list to one kind of event (``?art=``); an unknown kind shows all."""
    kind = _kind(request)
    return (events.filter(kind=kind) if kind else events), kind


def _with_my_status(queryset: Any, user: User | Any) -> Any:
    """Annotate whether the user is registered or waiting (one subquery, no query per row).

    For the rows of one page (``paginate(..., rows=...)``): computed for every event of the
    list, these subqueries and the registration counts made the count and the page slow.
    """
    if not user.is_authenticated:
        return queryset
    mine = Registration.objects.filter(event=OuterRef("pk"), user_id=user.pk)
    return queryset.annotate(
        i_registered=Exists(mine.filter(status=RegistrationStatus.REGISTERED)),
        i_wait=Exists(mine.filter(status=RegistrationStatus.WAITING)),
    )


def _page_rows(user: User | Any) -> Callable[[Any], Any]:
    """What a list shows of each event on its page: the counts and the user's status."""
    return lambda shown: _with_my_status(shown.with_counts(), user)


# Lists ---------------------------------------------------------------------------------------


@require_GET
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """The events the user may see in their states: upcoming, or past with ``?zeit=vergangen``."""
    user = acting_user(request)
    past = request.GET.get("zeit") == "vergangen"
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(_event_listing, request, user, past, names=("page", "councils"))
    return render(
        request,
        "spaces/events/event_list.html",
        {
            **listing,
            "past": past,
            "kind": _kind(request),
            "kinds": EventKind.choices,
            "show_state": lazy(_show_state, user),
        },
    )


def _event_listing(request: HttpRequest, user: User, past: bool) -> dict[str, Any]:
    events = Event.objects.visible_to(user).in_states_of(user).for_table()
    events = events.past() if past else events.upcoming()
    events, _kind = _filter_kind(request, events)
    return {
        "page": paginate(request, events, rows=_page_rows(user)),
        "councils": coordinated_councils(user),
    }


def _show_state(user: User) -> bool:
    return user.is_superuser or len(StateNetwork.objects.visible_to(user)) > 1


@require_GET
@login_required
def council_events(request: HttpRequest, council: int) -> HttpResponse:
    """A council's events the user may see, upcoming or past."""
    user = acting_user(request)
    organisation = get_council_for_user(user, council)
    past = request.GET.get("zeit") == "vergangen"
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    return render(
        request,
        "spaces/events/council_events.html",
        {
            "council": organisation,
            "page": lazy(_council_page, request, user, organisation, past),
            "past": past,
            "kind": _kind(request),
            "kinds": EventKind.choices,
            "can_create": lazy(is_organiser, user, organisation.pk),
        },
    )


def _council_page(request: HttpRequest, user: User, organisation: Any, past: bool) -> Any:
    events = Event.objects.visible_to(user).filter(council=organisation).for_table()
    events = events.past() if past else events.upcoming()
    events, _kind = _filter_kind(request, events)
    return paginate(request, events, rows=_page_rows(user))


# Creating and changing -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def event_create(request: HttpRequest, council: int) -> HttpResponse:
    user = acting_user(request)
    organisation = get_council_for_user(user, council, manage=True)
    goals = services.linkable_goals(organisation.state_id)
    form = EventForm(_post(request), goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                council=organisation,
                by=user,
                goals=form.cleaned_data.get("goals") or [],
                **form.event_fields(),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The event was created."))
            return redirect(event)
    return render(
        request,
        "spaces/events/event_form.html",
        {"form": form, "council": organisation, "event": None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    event = get_event_for_user(user, pk, manage=True)
    goals = services.linkable_goals(event.state_id)
    form = EventForm(
        _post(request),
        instance=event,
        goals=goals,
        initial={"goals": [g.pk for g in services.event_goals(event)]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                event=event,
                by=user,
                goals=form.cleaned_data.get("goals") if "goals" in form.fields else None,
                **form.event_fields(),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The event was saved."))
            return redirect(event)
    return render(
        request,
        "spaces/events/event_form.html",
        {"form": form, "council": event.council, "event": event},
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and call off (POST) the event; the participants are told."""
    user = acting_user(request)
    event = get_event_for_user(user, pk, manage=True)
    if event.is_cancelled:
        messages.info(request, _("The event is already cancelled."))
        return redirect(event)
    if request.method == "POST":
        services.event_cancel(event=event, by=user)
        messages.success(request, _("The event was cancelled; the participants were told."))
        return redirect(event)
    count = Registration.objects.active().filter(event=event).count()
    return render(request, "spaces/events/event_cancel.html", {"event": event, "count": count})


# An event's page -----------------------------------------------------------------------------


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The event; public events also for visitors who are not signed in."""
    user = request.user
    try:
        event = get_event_for_user(user, pk)
    except Http404:
        if not user.is_authenticated and Event.objects.filter(pk=pk).exists():
            return redirect_to_login(request.get_full_path())
        raise
    # Lazy: the page is a cached fragment (core.fragments), computed on a miss only.
    places = lazy_values(
        _event_places,
        event,
        user,
        names=("mine", "waiting_place", "registered_count", "waiting_count", "is_full"),
    )
    return render(
        request,
        "spaces/events/event_detail.html",
        {
            "event": event,
            **places,
            "can_manage": lazy(is_organiser, user, event.council_id),
            "council_events_open": lazy(_in_state, user, event.state_id),
            "can_see_participants": lazy(may_read_participants, user, event),
            "can_read_minutes": lazy(_may_read_minutes, user, event),
            "goals": lazy(services.event_goals, event) if user.is_authenticated else [],
            "file_slugs": FILE_SLUGS,
        },
    )


def _event_places(event: Event, user: User | Any) -> dict[str, Any]:
    """The user's registration, their place on the waiting list and the event's counts."""
    mine = (
        Registration.objects.active().filter(event=event, user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    counts = Registration.objects.filter(event=event).aggregate(
        registered_count=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        waiting_count=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    waiting_place = None
    if mine is not None and mine.status == RegistrationStatus.WAITING:
        waiting_place = (
            Registration.objects.filter(
                event=event, status=RegistrationStatus.WAITING, registered_at__lt=mine.registered_at
            ).count()
            + 1
        )
    return {
        "mine": mine,
        "waiting_place": waiting_place,
        "registered_count": counts["registered_count"],
        "waiting_count": counts["waiting_count"],
        "is_full": event.capacity is not None and counts["registered_count"] >= event.capacity,
    }


def _in_state(user: User | Any, state_id: int) -> bool:
    """Whether the council's event list is open to the user (people of the event's state)."""
    states = user_state_ids(user)
    return states is None or state_id in states


# Registrations -------------------------------------------------------------------------------


@require_POST
@login_required
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    event = get_event_for_user(user, pk)
    try:
        registration = services.registration_create(event=event, user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == RegistrationStatus.WAITING:
            messages.info(
                request,
                _(
                    "The event is full; you are on the waiting list. You will be told when a "
                    "place becomes free."
                ),
            )
        else:
            messages.success(request, _("You are registered."))
    return redirect(event)


@require_http_methods(["GET", "POST"])
@login_required
def event_unregister(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and cancel (POST) the user's registration or place on the waiting list."""
    user = acting_user(request)
    event = get_event_for_user(user, pk)
    mine = Registration.objects.active().filter(event=event, user=user).first()
    if mine is None:
        messages.info(request, _("You are not registered for this event."))
        return redirect(event)
    if request.method == "POST":
        try:
            services.registration_cancel(event=event, user=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your registration was cancelled."))
        return redirect(event)
    return render(request, "spaces/events/event_unregister.html", {"event": event, "mine": mine})


def _participants(event: Event) -> list[Registration]:
    return list(
        Registration.objects.active()
        .filter(event=event)
        .select_related("user")
        .order_by("status", "registered_at", "pk")
    )


@require_GET
@login_required
def event_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Who registered and who waits, for the organisers and the state's staff."""
    user = acting_user(request)
    event = get_event_for_user(user, pk)
    require_participant_reader(user, event)
    # Lazy: the lists are a cached fragment (core.fragments), computed on a miss only.
    lists = lazy_values(_participant_lists, event, names=("registered", "waiting"))
    return render(request, "spaces/events/event_participants.html", {"event": event, **lists})


def _participant_lists(event: Event) -> dict[str, list[Registration]]:
    rows = _participants(event)
    return {
        "registered": [r for r in rows if r.status == RegistrationStatus.REGISTERED],
        "waiting": [r for r in rows if r.status == RegistrationStatus.WAITING],
    }


#: A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


@require_GET
@login_required
def event_participants_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant list as CSV for German Excel (semicolons, UTF-8 with BOM)."""
    user = acting_user(request)
    event = get_event_for_user(user, pk)
    require_participant_reader(user, event)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="teilnehmende-{event.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Last name"), _("First name"), _("E-mail"), _("Status"), _("Registered")])
    for registration in _participants(event):
        person = registration.user
        writer.writerow(
            [
                _cell(person.last_name),
                _cell(person.first_name or person.username),
                _cell(person.email),
                registration.get_status_display(),
                formats.date_format(timezone.localtime(registration.registered_at), "d.m.Y H:i"),
            ]
        )
    return response


# Agenda and minutes --------------------------------------------------------------------------


def _may_read_minutes(user: User | Any, event: Event) -> bool:
    """The council's people, the state's staff and the event's participants read the minutes."""
    if not user.is_authenticated:
        return False
    return (
        event.council_id in council_ids(user)
        or is_state_staff(user, event.state_id)
        or Registration.objects.filter(
            event=event, user_id=user.pk, status=RegistrationStatus.REGISTERED
        ).exists()
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_files(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the agenda or the minutes (each replaces the previous one)."""
    user = acting_user(request)
    event = get_event_for_user(user, pk, manage=True)
    form = (
        EventFileForm(request.POST, request.FILES) if request.method == "POST" else EventFileForm()
    )
    if request.method == "POST" and form.is_valid():
        which = form.cleaned_data["which"]
        services.event_set_file(event=event, by=user, field=which, upload=form.cleaned_data["file"])
        messages.success(
            request,
            _("The agenda was saved.") if which == "agenda" else _("The minutes were saved."),
        )
        return redirect("spaces:event_files", pk=event.pk)
    return render(
        request,
        "spaces/events/event_files.html",
        {"event": event, "form": form, "file_slugs": FILE_SLUGS},
    )


@require_GET
def event_file_download(request: HttpRequest, pk: int, which: str) -> FileResponse | HttpResponse:
    """The agenda (for whoever sees the event) or the minutes; never a public media URL."""
    field = FILES.get(which)
    if field is None:
        raise Http404
    user = request.user
    try:
        event = get_event_for_user(user, pk)
    except Http404:
        if not user.is_authenticated and Event.objects.filter(pk=pk).exists():
            return redirect_to_login(request.get_full_path())
        raise
    if field == "minutes" and not _may_read_minutes(user, event):
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return serve_file(getattr(event, field))


@require_http_methods(["GET", "POST"])
@login_required
def event_file_delete(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    field = FILES.get(which)
    if field is None:
        raise Http404
    user = acting_user(request)
    event = get_event_for_user(user, pk, manage=True)
    if not getattr(event, field):
        raise Http404
    return confirm_delete(
        request,
        delete=lambda: services.event_remove_file(event=event, by=user, field=field),
        template="spaces/events/event_file_delete.html",
        context={"event": event, "which": which, "is_agenda": field == "agenda"},
        next_url=event.get_absolute_url(),
        success_message=_("The document was removed."),
    )
