"""iCalendar files of events, written with the ``icalendar`` library.

Times are written in Europe/Berlin with its VTIMEZONE; each event keeps one UID for its whole
life (its ``uid``), and its SEQUENCE grows with every change, so calendar programs update the
entry they already have instead of adding another.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from core.web import safe_filename

from .models import Event, EventKind

#: The time zone the portal's events are written in.
TZID = "Europe/Berlin"
PRODID = "-//LPR Portal//Veranstaltungen//DE"
UID_DOMAIN = "lpr-portal"


def event_uid(event: Event) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _component(event: Event, zone: ZoneInfo, stamp: datetime.datetime) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    entry.add("summary", event.title)
    url = _absolute(event.get_absolute_url())
    description = event.description.strip()
    if event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    entry.add("description", f"{description}\n\n{url}".strip())
    if event.location:
        entry.add("location", event.location)
    elif event.online_url:
        entry.add("location", event.online_url)
    entry.add("url", url)
    if event.council.email:
        entry.add("organizer", f"mailto:{event.council.email}", {"CN": event.council.name})
    entry.add("categories", [str(EventKind(event.kind).label)])
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    entry.add("sequence", event.sequence)
    entry.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    entry.add("created", event.created_at.astimezone(datetime.UTC))
    return entry


def build_calendar(events: Iterable[Event], *, name: str) -> bytes:
    """A VCALENDAR with the events (their ``council`` selected) and the Europe/Berlin zone."""
    zone = ZoneInfo(TZID)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    entries = [_component(event, zone, stamp) for event in events]
    years = [e.decoded("dtstart").year for e in entries] or [timezone.localdate().year]
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            TZID,
            first_date=datetime.date(min(years) - 1, 1, 1),
            last_date=datetime.date(max(years) + 2, 1, 1),
        )
    )
    for entry in entries:
        calendar.add_component(entry)
    result: bytes = calendar.to_ical()
    return result


def calendar_response(
    events: Iterable[Event], *, name: str, filename: str, attachment: bool = True
) -> HttpResponse:
    """The calendar as a ``text/calendar`` answer (a download, or inline for subscriptions)."""
    response = HttpResponse(build_calendar(events, name=name), content_type="text/calendar")
    response["Content-Type"] = "text/calendar; charset=utf-8"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{safe_filename(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
