"""Writes of the events: create, change, cancel, files, goals, registrations and reminders.

A registration decides its place under a row lock on the event (``select_for_update``), so the
capacity holds also when many people register at the same moment; a cancellation moves the
first person of the waiting list up and tells them after the commit. The council and the state
of an event are never taken from a form.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from councils.models import Organisation, User
from notifications.messages import translatable
from notifications.services import notify_many
from strategy.models import Goal, Level, Strategy, StrategyStatus
from strategy.services import goal_link_add, goal_link_remove

from .event_permissions import is_organiser
from .models import CalendarToken, Event, Registration, RegistrationStatus

#: The fields of an event its organiser sets in the form.
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "audience",
    "capacity",
    "registration_open",
)

#: Which files an event keeps.
EVENT_FILES = ("agenda", "minutes")

RS = RegistrationStatus


def _set_fields(event: Event, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"not fields of an event form: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(event, name, value)


def _registered_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=RS.REGISTERED).count()


def _lock(event: Event) -> Event:
    """The event's row, locked until the transaction ends."""
    return Event.objects.select_for_update(of=("self",)).select_related("council").get(pk=event.pk)


def _lock_for_organiser(event: Event, by: User) -> Event:
    locked = _lock(event)
    if not is_organiser(by, locked.council_id):
        raise PermissionDenied
    return locked


# Goals ---------------------------------------------------------------------------------------


def linkable_goals(state_id: int) -> QuerySet[Goal]:
    """Goals of the adopted strategies of the state."""
    return (
        Goal.objects.filter(
            strategy__state_id=state_id,
            strategy__status=StrategyStatus.ADOPTED,
            level__lte=Level.MEASURE,
        )
        .select_related("strategy")
        .order_by("strategy__title", "level", "position", "pk")
    )


def event_goals(event: Event) -> list[Goal]:
    return list(
        Goal.objects.linked_to(event)
        .select_related("strategy")
        .order_by("strategy__title", "level", "position", "pk")
    )


def _set_goals(event: Event, goals: Iterable[Goal]) -> None:
    """Link the event to exactly these strategy goals of its state."""
    wanted = {goal.pk: goal for goal in goals}
    allowed = set(Strategy.objects.filter(state_id=event.state_id).values_list("pk", flat=True))
    if any(goal.strategy_id not in allowed for goal in wanted.values()):
        raise ValidationError({"goals": _("Choose goals of the event's state.")})
    current = {goal.pk: goal for goal in Goal.objects.linked_to(event)}
    for pk in current.keys() - wanted.keys():
        goal_link_remove(goal=current[pk], obj=event)
    for pk in wanted.keys() - current.keys():
        goal_link_add(goal=wanted[pk], obj=event)


# Events --------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *, council: Organisation, by: User, goals: Iterable[Goal] = (), **fields: Any
) -> Event:
    """A new event of a council the user coordinates, in the council's state."""
    if not council.is_council or not is_organiser(by, council.pk):
        raise PermissionDenied
    event = Event(council=council, state_id=council.state_id, created_by=by)
    _set_fields(event, fields)
    event.full_clean()
    event.save()
    _set_goals(event, goals)
    return event


@transaction.atomic
def event_update(
    *, event: Event, by: User, goals: Iterable[Goal] | None = None, **fields: Any
) -> Event:
    """Change an event; a smaller capacity never drops registered people, a larger one moves
    people of the waiting list up."""
    event = _lock_for_organiser(event, by)
    _set_fields(event, fields)
    registered = _registered_count(event)
    if event.capacity is not None and event.capacity < registered:
        raise ValidationError(
            {
                "capacity": _(
                    "%(count)d people are registered already; the capacity cannot be smaller."
                )
                % {"count": registered}
            }
        )
    event.full_clean()
    event.sequence += 1
    event.save(update_fields=[*EVENT_FIELDS, "sequence", "updated_at"])
    if goals is not None:
        _set_goals(event, goals)
    _promote(event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, by: User) -> Event:
    """Call the event off; everyone registered or waiting is told."""
    event = _lock_for_organiser(event, by)
    if event.is_cancelled:
        return event
    event.is_cancelled = True
    event.sequence += 1
    event.save(update_fields=["is_cancelled", "sequence", "updated_at"])
    people = [
        r.user for r in Registration.objects.active().filter(event=event).select_related("user")
    ]
    subject = translatable(
        gettext_noop("Event cancelled: %(title)s on %(start)s"),
        title=event.title,
        start=event.starts_at,
    )
    body = translatable(
        gettext_noop("%(council)s has cancelled the event “%(title)s” on %(start)s."),
        council=event.council.name,
        title=event.title,
        start=event.starts_at,
    )
    url = event.get_absolute_url()
    transaction.on_commit(
        lambda: notify_many(
            recipients=people, kind="spaces.event_cancelled", subject=subject, body=body, url=url
        )
    )
    return event


@transaction.atomic
def event_set_file(*, event: Event, by: User, field: str, upload: Any) -> Event:
    """Put the agenda or the minutes (checked by the form) in place of the previous one."""
    if field not in EVENT_FILES:
        raise TypeError(f"not a file of an event: {field}")
    event = _lock_for_organiser(event, by)
    previous = getattr(event, field)
    old_name = previous.name if previous else ""
    getattr(event, field).save(upload.name, upload, save=False)
    event.save(update_fields=[field, "updated_at"])
    if old_name and old_name != getattr(event, field).name:
        storage = previous.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return event


@transaction.atomic
def event_remove_file(*, event: Event, by: User, field: str) -> Event:
    if field not in EVENT_FILES:
        raise TypeError(f"not a file of an event: {field}")
    event = _lock_for_organiser(event, by)
    current = getattr(event, field)
    if current:
        name, storage = current.name, current.storage
        setattr(event, field, "")
        event.save(update_fields=[field, "updated_at"])
        transaction.on_commit(lambda: storage.delete(name))
    return event


# Registrations -------------------------------------------------------------------------------


def _promote(event: Event) -> list[Registration]:
    """Move people of the waiting list up while there is room (the event row is locked)."""
    waiting = Registration.objects.filter(event=event, status=RS.WAITING).select_related("user")
    if event.capacity is None:
        moved = list(waiting.order_by("registered_at", "pk"))
    else:
        free = event.capacity - _registered_count(event)
        moved = list(waiting.order_by("registered_at", "pk")[: max(free, 0)])
    if not moved:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in moved]).update(status=RS.REGISTERED)
    for registration in moved:
        registration.status = RS.REGISTERED
    subject = translatable(
        gettext_noop("You have a place: %(title)s on %(start)s"),
        title=event.title,
        start=event.starts_at,
    )
    body = translatable(
        gettext_noop(
            "A place became free at “%(title)s” on %(start)s. You moved up from the waiting "
            "list and are registered now. If you cannot come, please cancel your registration."
        ),
        title=event.title,
        start=event.starts_at,
    )
    people, url = [r.user for r in moved], event.get_absolute_url()
    transaction.on_commit(
        lambda: notify_many(
            recipients=people, kind="spaces.event_moved_up", subject=subject, body=body, url=url
        )
    )
    return moved


@transaction.atomic
def registration_create(*, event: Event, user: User) -> Registration:
    """Register the user, or put them on the waiting list when the event is full.

    A second registration of the same person returns the first one.
    """
    event = _lock(event)
    if not Event.objects.visible_to(user).filter(pk=event.pk).exists():
        raise PermissionDenied
    if not event.accepts_registrations:
        raise ValidationError(_("Registration for this event is closed."))
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.status != RS.CANCELLED:
        return registration
    full = event.capacity is not None and _registered_count(event) >= event.capacity
    status = RS.WAITING if full else RS.REGISTERED
    now = timezone.now()
    if registration is None:
        return Registration.objects.create(event=event, user=user, status=status, registered_at=now)
    registration.status = status
    registration.registered_at = now
    registration.cancelled_at = None
    registration.reminded_at = None
    registration.save(update_fields=["status", "registered_at", "cancelled_at", "reminded_at"])
    return registration


@transaction.atomic
def registration_cancel(*, event: Event, user: User) -> Registration | None:
    """Cancel the user's registration or place on the waiting list; the first waiting person
    moves up into a freed place. None when there was nothing to cancel."""
    event = _lock(event)
    registration = Registration.objects.active().filter(event=event, user=user).first()
    if registration is None:
        return None
    if event.has_started:
        raise ValidationError(_("The event has started; the registration cannot be cancelled."))
    registration.status = RS.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if not event.is_cancelled:
        _promote(event)
    return registration


# Calendar addresses --------------------------------------------------------------------------


@transaction.atomic
def calendar_token_get_or_create(*, user: User) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def calendar_token_renew(*, user: User) -> CalendarToken:
    """A new secret address; the old one stops working at once."""
    token, created = CalendarToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = CalendarToken.new_token()
        token.last_used_at = None
        token.save(update_fields=["token", "last_used_at"])
    return token


@transaction.atomic
def calendar_token_revoke(*, user: User) -> bool:
    """Delete the secret address; True when there was one."""
    deleted, _rows = CalendarToken.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_token_user(token: str) -> User | None:
    """The active person whose calendar address carries the token, else None."""
    if not token or len(token) > 64:
        return None
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at > datetime.timedelta(hours=1):
        CalendarToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


# Reminders -----------------------------------------------------------------------------------


def _remind(event: Event) -> int:
    """Claim the event's due reminders (each once) and notify those people after the commit."""
    with transaction.atomic():
        due = list(
            Registration.objects.select_for_update(of=("self",))
            .filter(event=event, status=RS.REGISTERED, reminded_at__isnull=True)
            .select_related("user")
            .order_by("pk")
        )
        if not due:
            return 0
        Registration.objects.filter(pk__in=[r.pk for r in due], reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        )
        subject = translatable(
            gettext_noop("Tomorrow: %(title)s at %(start)s"),
            title=event.title,
            start=event.starts_at,
        )
        place = event.location or event.online_url
        body = translatable(
            gettext_noop(
                "You are registered for “%(title)s” of %(council)s. It starts on %(start)s. "
                "Place: %(place)s"
            ),
            title=event.title,
            council=event.council.name,
            start=event.starts_at,
            place=place,
        )
        people, url = [r.user for r in due if r.user.is_active], event.get_absolute_url()
        transaction.on_commit(
            lambda: notify_many(
                recipients=people,
                kind="spaces.event_reminder",
                subject=subject,
                body=body,
                url=url,
            )
        )
    return len(people)


def send_event_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the registered people of tomorrow's events, each person once per event.

    Returns how many people were reminded.
    """
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=tz)
    end = start + datetime.timedelta(days=1)
    events = (
        Event.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            is_cancelled=False,
            state__is_active=True,
            registrations__status=RS.REGISTERED,
            registrations__reminded_at__isnull=True,
        )
        .select_related("council")
        .distinct()
        .order_by("starts_at", "pk")
    )
    return sum(_remind(event) for event in events)
