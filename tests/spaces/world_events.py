"""Events on top of tests.conftest.World.

The first state's council (Hameln) has a members-only meeting, a network seminar and a public
forum, each with an agenda and minutes, and the member registered for the meeting; the second
state's council (Rostock) has a members-only meeting and a public forum. Built when first used.
"""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from councils.models import Organisation, User
from spaces import event_services as services
from spaces.models import CalendarToken, Event, EventAudience, EventKind, Registration
from tests.conftest import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_event(
    council: Organisation,
    by: User,
    *,
    title: str = "Sitzung des Präventionsrats",
    audience: str = EventAudience.MEMBERS,
    kind: str = EventKind.MEETING,
    days: int = 14,
    capacity: int | None = None,
    **extra: Any,
) -> Event:
    """An event through the service, as its coordinator would make it."""
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    fields: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "description": "Berichte aus den Arbeitsgruppen.",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "location": "Rathaus, Sitzungssaal",
        "online_url": "",
        "audience": audience,
        "capacity": capacity,
        "registration_open": True,
    }
    fields.update(extra)
    return services.event_create(council=council, by=by, **fields)


def with_files(event: Event) -> Event:
    event.agenda.save("tagesordnung.pdf", ContentFile(PDF), save=False)
    event.minutes.save("protokoll.pdf", ContentFile(PDF), save=False)
    event.save(update_fields=["agenda", "minutes"])
    return event


class EventsWorld:
    def __init__(self, w: World) -> None:
        self.w = w

    @cached_property
    def meeting(self) -> Event:
        event = with_files(make_event(self.w.council, self.w.users["coordinator"]))
        services.registration_create(event=event, user=self.w.users["member"])
        return event

    @cached_property
    def seminar(self) -> Event:
        return with_files(
            make_event(
                self.w.council,
                self.w.users["coordinator"],
                title="Seminar Cybermobbing",
                kind=EventKind.SEMINAR,
                audience=EventAudience.NETWORK,
            )
        )

    @cached_property
    def forum(self) -> Event:
        return with_files(
            make_event(
                self.w.council,
                self.w.users["coordinator"],
                title="Präventionsforum Hameln",
                kind=EventKind.FORUM,
                audience=EventAudience.PUBLIC,
            )
        )

    @cached_property
    def mv_meeting(self) -> Event:
        return with_files(
            make_event(self.w.other_state_council, self.w.users["other_state_coordinator"])
        )

    @cached_property
    def mv_forum(self) -> Event:
        return with_files(
            make_event(
                self.w.other_state_council,
                self.w.users["other_state_coordinator"],
                title="Präventionsforum Rostock",
                kind=EventKind.FORUM,
                audience=EventAudience.PUBLIC,
            )
        )

    def token(self, role: str) -> str:
        return CalendarToken.objects.get_or_create(user=self.w.users[role])[0].token

    def registration(self, event: Event, role: str) -> Registration:
        return services.registration_create(event=event, user=self.w.users[role])


def events_world(w: World) -> EventsWorld:
    """Built once per world."""
    cached: EventsWorld | None = getattr(w, "_events", None)
    if cached is None:
        cached = EventsWorld(w)
        w._events = cached  # type: ignore[attr-defined]
    return cached
