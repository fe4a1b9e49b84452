"""Demo events of the councils: forums, meetings, seminars and trainings with registrations.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``. Each of the demo councils
Hameln-Pyrmont and Landkreis Hildesheim (Niedersachsen) and Landkreis Rostock
(Mecklenburg-Vorpommern) gets events in the past and the future, among them its yearly
prevention forum (the last one and the next one, more than a year apart, so in two years);
people of the council and of the state office are registered, one seminar is full and has a
waiting list. Dates are relative to today.
Idempotent: an event is known by its council and title.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from councils.demo.data import HAMELN, HILDESHEIM, ROSTOCK
from councils.models import COUNCIL_ROLES, STATE_ROLES, Organisation, Role, User
from councils.permissions import people_with_role
from strategy.models import Goal, Level, StrategyStatus
from strategy.services import goal_link_add

from .models import Event, EventAudience, EventKind, Registration, RegistrationStatus

F, M, S, T = EventKind.FORUM, EventKind.MEETING, EventKind.SEMINAR, EventKind.TRAINING
MEMBERS, NETWORK, PUBLIC = EventAudience.MEMBERS, EventAudience.NETWORK, EventAudience.PUBLIC


@dataclass(frozen=True)
class EventData:
    kind: str
    #: "{year}" becomes the year of the event (the yearly forum).
    title: str
    #: Days from today; negative: in the past.
    day: int
    start: tuple[int, int]
    end: tuple[int, int]
    audience: str
    location: str
    description: str
    online_url: str = ""
    capacity: int | None = None
    #: How many of the council's people (then the state office's) register.
    registrations: int = 0
    #: Named demo accounts that register first.
    accounts: tuple[str, ...] = ()
    link_goal: bool = False


def _plans() -> dict[str, list[EventData]]:
    return {
        HAMELN: [
            EventData(
                F,
                "Präventionsforum Hameln-Pyrmont {year}",
                -330,
                (9, 30),
                (16, 0),
                PUBLIC,
                "Kreishaus Hameln, Süntelstraße 9, 31785 Hameln",
                "Das jährliche Präventionsforum des Landkreises: Vorträge und Workshops zu "
                "Verkehrssicherheit, Suchtprävention und Schutz älterer Menschen.",
                capacity=120,
                registrations=8,
                accounts=("kpr-mitglied", "lpr-referent"),
                link_goal=True,
            ),
            EventData(
                F,
                "Präventionsforum Hameln-Pyrmont {year}",
                45,
                (9, 30),
                (16, 0),
                PUBLIC,
                "Kreishaus Hameln, Süntelstraße 9, 31785 Hameln",
                "Das Präventionsforum stellt die Ergebnisse der Arbeitsgruppen vor und lädt "
                "Bürgerinnen und Bürger, Schulen, Vereine und Polizei zum Austausch ein.",
                capacity=120,
                registrations=6,
                accounts=("kpr-mitglied", "lpr-referent", "ngo-vertretung"),
                link_goal=True,
            ),
            EventData(
                M,
                "Sitzung des Präventionsrats",
                -60,
                (17, 0),
                (19, 0),
                MEMBERS,
                "Rathaus Hameln, Sitzungssaal",
                "Berichte aus den Arbeitsgruppen, Planung des Präventionsforums.",
                registrations=5,
                accounts=("kpr-koordination", "kpr-mitglied"),
            ),
            EventData(
                M,
                "Sitzung des Präventionsrats (Winter)",
                10,
                (17, 0),
                (19, 0),
                MEMBERS,
                "Rathaus Hameln, Sitzungssaal",
                "Tagesordnung folgt.",
                online_url="https://meet.example.org/kpr-hameln",
                registrations=3,
                accounts=("kpr-koordination", "kpr-mitglied"),
            ),
            EventData(
                S,
                "Seminar: Cybermobbing erkennen und handeln",
                25,
                (14, 0),
                (17, 30),
                NETWORK,
                "Volkshochschule Hameln, Raum 2.14",
                "Für Lehrkräfte, Schulsozialarbeit und Jugendhilfe: Formen, Anzeichen, "
                "Handlungsschritte.",
                capacity=2,
                accounts=("kpr-mitglied", "ngo-vertretung", "lpr-referentin2"),
                link_goal=True,
            ),
            EventData(
                T,
                "Schulung Zivilcourage für Ehrenamtliche",
                1,
                (18, 0),
                (20, 30),
                NETWORK,
                "Bürgerhaus Hameln-Nord",
                "Wie helfe ich, ohne mich zu gefährden? Eine praktische Schulung mit der Polizei.",
                capacity=20,
                registrations=4,
                accounts=("kpr-mitglied",),
            ),
        ],
        HILDESHEIM: [
            EventData(
                F,
                "Präventionsforum Landkreis Hildesheim {year}",
                70,
                (10, 0),
                (15, 0),
                PUBLIC,
                "Kreishaus Hildesheim, Bischof-Janssen-Straße 31, 31134 Hildesheim",
                "Forum zu häuslicher Gewalt und Gewaltschutz im ländlichen Raum.",
                capacity=80,
                registrations=4,
                accounts=("kpr-koordination",),
            ),
            EventData(
                M,
                "Arbeitstreffen Präventionsrat",
                -30,
                (16, 0),
                (18, 0),
                MEMBERS,
                "Kreishaus Hildesheim, Raum 101",
                "Abstimmung der Schwerpunktthemen für das kommende Jahr.",
                registrations=4,
                accounts=("kpr-koordination",),
            ),
        ],
        ROSTOCK: [
            EventData(
                F,
                "Präventionsforum Landkreis Rostock {year}",
                -320,
                (9, 0),
                (15, 30),
                PUBLIC,
                "Kreishaus Güstrow, Am Wall 3–5, 18273 Güstrow",
                "Präventionsforum mit den Ergebnissen der kriminologischen Regionalanalyse: "
                "Verkehrssicherheit, Suchtprävention, Schutz vor Kriminalität für alle "
                "Altersgruppen.",
                capacity=150,
                registrations=10,
                accounts=("rostock-koordination", "mv-referent"),
                link_goal=True,
            ),
            EventData(
                F,
                "Präventionsforum Landkreis Rostock {year}",
                60,
                (9, 0),
                (15, 30),
                PUBLIC,
                "Kreishaus Güstrow, Am Wall 3–5, 18273 Güstrow",
                "Das jährliche Präventionsforum des Kreispräventionsrates: Arbeitsgruppen "
                "berichten, Fachleute aus Polizei, Verwaltung und Verbänden diskutieren.",
                capacity=150,
                registrations=8,
                accounts=("rostock-koordination", "mv-referent"),
                link_goal=True,
            ),
            EventData(
                M,
                "Sitzung des Kreispräventionsrates",
                -45,
                (15, 0),
                (17, 30),
                MEMBERS,
                "Kreishaus Güstrow, Sitzungsraum 1",
                "Geschäftsstelle berichtet; Arbeitsgruppen Verkehrssicherheit und Sucht.",
                registrations=12,
                accounts=("rostock-koordination",),
            ),
            EventData(
                M,
                "Nächste Sitzung des Kreispräventionsrates",
                20,
                (15, 0),
                (17, 30),
                MEMBERS,
                "Kreishaus Güstrow, Sitzungsraum 1",
                "Vorbereitung des Präventionsforums.",
                registrations=8,
                accounts=("rostock-koordination",),
            ),
            EventData(
                S,
                "Seminar: Sicher unterwegs im Alter",
                35,
                (10, 0),
                (12, 30),
                PUBLIC,
                "Seniorenbegegnungsstätte Bad Doberan",
                "Verkehrssicherheit für Seniorinnen und Senioren mit der Verkehrswacht.",
                capacity=30,
                registrations=5,
            ),
        ],
    }


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


def _at(today: datetime.date, days: int, hour_minute: tuple[int, int]) -> datetime.datetime:
    day = today + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(*hour_minute), tzinfo=timezone.get_current_timezone()
    )


def _people(council: Organisation, data: EventData) -> list[User]:
    named = list(User.objects.filter(username__in=data.accounts, is_active=True))
    named.sort(key=lambda u: data.accounts.index(u.username))
    others = list(
        people_with_role(*COUNCIL_ROLES, organisation=council).order_by("last_name", "pk")
    ) + list(people_with_role(*STATE_ROLES, state=council.state_id).order_by("last_name", "pk"))
    chosen = {u.pk: u for u in named}
    for person in others:
        if len(chosen) >= len(named) + data.registrations:
            break
        chosen.setdefault(person.pk, person)
    return list(chosen.values())


def _goal(council: Organisation) -> Goal | None:
    return (
        Goal.objects.filter(
            strategy__state_id=council.state_id,
            strategy__status=StrategyStatus.ADOPTED,
            level=Level.OPERATIONAL_GOAL,
        )
        .order_by("strategy_id", "position", "pk")
        .first()
    )


def _seed_event(council: Organisation, data: EventData, today: datetime.date) -> bool:
    starts_at = _at(today, data.day, data.start)
    title = data.title.format(year=starts_at.year)
    if Event.objects.filter(council=council, title=title).exists():
        return False
    coordinator = (
        people_with_role(Role.COUNCIL_COORDINATOR, organisation=council).order_by("pk").first()
    )
    event = Event(
        council=council,
        state_id=council.state_id,
        kind=data.kind,
        title=title,
        description=data.description,
        starts_at=starts_at,
        ends_at=_at(today, data.day, data.end),
        location=data.location,
        online_url=data.online_url,
        audience=data.audience,
        capacity=data.capacity,
        created_by=coordinator,
    )
    event.full_clean()
    event.save()
    registered = 0
    rows = []
    base = event.starts_at - datetime.timedelta(days=30)
    for n, person in enumerate(_people(council, data)):
        full = event.capacity is not None and registered >= event.capacity
        rows.append(
            Registration(
                event=event,
                user=person,
                status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                registered_at=base + datetime.timedelta(hours=n),
                # Past events' reminders went out long ago.
                reminded_at=event.starts_at if data.day < 0 else None,
            )
        )
        registered += not full
    Registration.objects.bulk_create(rows)
    if data.link_goal:
        goal = _goal(council)
        if goal is not None:
            goal_link_add(goal=goal, obj=event)
    return True


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo events of the demo councils that do not exist yet."""
    today = timezone.localdate()
    for name, plans in _plans().items():
        council = Organisation.objects.filter(name=name).select_related("state").first()
        if council is None:
            _say(stdout, f"Event demo skipped: council '{name}' is missing.")
            continue
        with transaction.atomic():
            created = sum(_seed_event(council, data, today) for data in plans)
        if created:
            _say(stdout, f"Demo events created: {council.name}, {created} events")
