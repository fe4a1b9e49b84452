"""Benchmark volumes of the council spaces for ``seed_demo --scale state|federal``.

Every council of a benchmark state gets working groups (finished, active and planned, each
with its log, members, lead and meetings), events over the years of the history and the next
months with registrations (and a waiting list where the capacity is reached), and documents
with a small PDF each in the configured storage. The reminders the periodic tasks sent before
today are marked as sent (overdue working groups, tomorrow's events). Made with bulk_create; a
state whose councils already have working groups or events is left alone.
"""

from __future__ import annotations

import datetime
import random
import secrets
import uuid
from collections.abc import Sequence
from typing import TextIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from councils.demo import ScaleSize
from councils.demo.bulk import insert, moment, pick
from councils.demo.scale import seed_states
from councils.models import Membership, Organisation, OrganisationKind, Role, StateNetwork

from .demo_workgroups import demo_pdf
from .models import (
    CouncilDocument,
    DocumentVisibility,
    Event,
    EventAudience,
    EventKind,
    Registration,
    RegistrationStatus,
    WorkingGroup,
    WorkingGroupMeeting,
    WorkingGroupStatus,
    WorkingGroupStatusChange,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
WS = WorkingGroupStatus
#: Per council: working groups over the history, events per year, documents.
GROUPS_PER_COUNCIL, EVENTS_PER_YEAR, DOCUMENTS_PER_COUNCIL = 3, 1.2, 4

GROUP_TOPICS = (
    ("Sicherheit im Bahnhofsumfeld", "Ein Handlungskonzept für das Bahnhofsumfeld erarbeiten."),
    ("Prävention an Schulen", "Angebote der Partner für Schulen bündeln und abstimmen."),
    ("Häusliche Gewalt", "Ein Netzwerk der Beratungsstellen und der Polizei aufbauen."),
    ("Seniorensicherheit", "Ein Programm gegen Enkeltrick und Schockanrufe entwickeln."),
    ("Jugend im öffentlichen Raum", "Treffpunkte für Jugendliche mit ihnen gemeinsam planen."),
)
EVENT_TITLES = {
    EventKind.FORUM: "Präventionsforum {year}",
    EventKind.MEETING: "Sitzung des Präventionsrats",
    EventKind.SEMINAR: "Seminar: Zivilcourage im Alltag",
    EventKind.TRAINING: "Schulung für Streitschlichterinnen und Streitschlichter",
}
EVENT_KINDS = (
    EventKind.MEETING,
    EventKind.MEETING,
    EventKind.FORUM,
    EventKind.SEMINAR,
    EventKind.TRAINING,
)
DOCUMENTS = (
    ("Geschäftsordnung des Präventionsrats", DocumentVisibility.PUBLIC),
    ("Protokoll der Jahressitzung", DocumentVisibility.MEMBERS),
    ("Kriminologische Regionalanalyse", DocumentVisibility.STATE),
    ("Jahresbericht", DocumentVisibility.PUBLIC),
)


class _StateSeeder:
    def __init__(self, state: StateNetwork, rng: random.Random, today: D, size: ScaleSize):
        self.state = state
        self.rng = rng
        self.today = today
        self.size = size
        self.councils = list(
            Organisation.objects.filter(
                state=state, kind=OrganisationKind.MUNICIPAL_COUNCIL
            ).order_by("pk")
        )
        self.members: dict[int, list[int]] = {}
        self.coordinator: dict[int, int] = {}
        self.everyone: list[int] = []
        for org_id, user_id, role in (
            Membership.objects.filter(organisation__state=state)
            .order_by("pk")
            .values_list("organisation_id", "user_id", "role")
        ):
            self.members.setdefault(org_id, []).append(user_id)
            self.everyone.append(user_id)
            if role == Role.COUNCIL_COORDINATOR:
                self.coordinator.setdefault(org_id, user_id)

    # Working groups ---------------------------------------------------------------------------

    def working_groups(self) -> int:
        rng = self.rng
        first = self.today - datetime.timedelta(days=365 * self.size.years)
        groups: list[WorkingGroup] = []
        logs: list[list[tuple[str, str, D]]] = []
        steered_by: list[int | None] = []  # who took the steps: the council's coordinator
        for council in self.councils:
            people = self.members.get(council.pk, [])
            coordinator = self.coordinator.get(council.pk)
            for n in range(GROUPS_PER_COUNCIL):
                topic, mandate = pick(GROUP_TOPICS, council.pk + n)
                # The oldest finished long ago, the next is active, the newest planned or active.
                if n == 0:
                    begin = first + datetime.timedelta(days=rng.randint(0, 365 * 5))
                elif n == 1:
                    begin = self.today - datetime.timedelta(days=rng.randint(60, 700))
                else:
                    begin = self.today + datetime.timedelta(days=rng.randint(-60, 120))
                planned_end = begin + datetime.timedelta(days=rng.randint(180, 540))
                log: list[tuple[str, str, D]] = [
                    ("", WS.PLANNED, min(begin - datetime.timedelta(days=30), self.today))
                ]
                if begin <= self.today:
                    log.append((WS.PLANNED, WS.ACTIVE, begin))
                finished_on = None
                if n == 0 and planned_end < self.today:
                    finished_on = planned_end + datetime.timedelta(days=rng.randint(-30, 30))
                    finished_on = min(max(finished_on, begin + DAY), self.today)
                    log.append((WS.ACTIVE, WS.FINISHED, finished_on))
                status = log[-1][1]
                overdue = status == WS.ACTIVE and planned_end < self.today
                lead = rng.choice(people) if people else None
                group = WorkingGroup(
                    council=council,
                    topic=topic,
                    mandate=mandate,
                    starts_on=begin,
                    planned_end=planned_end,
                    lead_id=lead,
                    status=status,
                    finished_on=finished_on,
                    result_title="Handlungskonzept" if finished_on else "",
                    # The periodic task told the coordinator the morning after the planned end.
                    overdue_notice_sent_at=moment(planned_end + DAY, 7) if overdue else None,
                    created_at=moment(log[0][2], 9),
                    updated_at=moment(log[-1][2], 9),
                )
                groups.append(group)
                logs.append(log)
                steered_by.append(coordinator)
        insert(WorkingGroup, groups)
        insert(
            WorkingGroupStatusChange,
            [
                WorkingGroupStatusChange(
                    group_id=group.pk,
                    from_status=source,
                    to_status=target,
                    by_id=by,
                    at=moment(day, 10),
                )
                for group, log, by in zip(groups, logs, steered_by, strict=True)
                for source, target, day in log
            ],
        )
        through = WorkingGroup.members.through
        members, meetings = [], []
        for group in groups:
            people = self.members.get(group.council_id, [])
            chosen = set(rng.sample(people, min(len(people), rng.randint(3, 6))))
            if group.lead_id:
                chosen.add(group.lead_id)
            members += [through(workinggroup_id=group.pk, user_id=pk) for pk in sorted(chosen)]
            if group.status == WS.PLANNED:
                continue
            last = min(group.finished_on or self.today, self.today)
            day = group.starts_on + datetime.timedelta(days=14)
            while day <= last:
                meetings.append(
                    WorkingGroupMeeting(
                        group_id=group.pk,
                        starts_at=moment(day, 17),
                        place="Rathaus, Sitzungssaal",
                        notes="Stand der Arbeit, nächste Schritte.",
                        created_at=moment(day - datetime.timedelta(days=10), 9),
                    )
                )
                day += datetime.timedelta(days=rng.randint(45, 120))
        insert(through, members)
        insert(WorkingGroupMeeting, meetings)
        return len(groups)

    # Events -----------------------------------------------------------------------------------

    def events(self) -> tuple[int, int]:
        rng = self.rng
        per_council = max(1, round(EVENTS_PER_YEAR * self.size.years))
        first = self.today - datetime.timedelta(days=365 * self.size.years)
        events: list[Event] = []
        for council in self.councils:
            days = sorted(
                first + datetime.timedelta(days=rng.randint(0, 365 * self.size.years + 120))
                for _ in range(per_council + 1)
            )
            for n, day in enumerate(days):
                kind = pick(EVENT_KINDS, council.pk + n)
                audience = (
                    EventAudience.MEMBERS
                    if kind == EventKind.MEETING
                    else rng.choice((EventAudience.NETWORK, EventAudience.PUBLIC))
                )
                starts = moment(day, rng.choice((10, 14, 17, 18)))
                created = min(day - datetime.timedelta(days=rng.randint(14, 60)), self.today)
                events.append(
                    Event(
                        state=self.state,
                        council=council,
                        uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                        kind=kind,
                        title=EVENT_TITLES[kind].format(year=day.year),
                        description="Herzliche Einladung an alle Interessierten.",
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=rng.choice((2, 3, 6))),
                        location=f"Rathaus {council.city or council.name}",
                        audience=audience,
                        capacity=None if kind == EventKind.MEETING else rng.choice((20, 30, 50)),
                        is_cancelled=rng.random() < 0.03,
                        created_by_id=self.coordinator.get(council.pk),
                        created_at=moment(created, 9),
                        updated_at=moment(created, 9),
                    )
                )
        insert(Event, events)
        return len(events), self.registrations(events)

    def registrations(self, events: Sequence[Event]) -> int:
        rng = self.rng
        now = timezone.now()
        rows: list[Registration] = []
        for event in events:
            own = self.members.get(event.council_id, [])
            pool = (
                own
                if event.audience == EventAudience.MEMBERS
                else own + rng.sample(self.everyone, min(len(self.everyone), 30))
            )
            wanted = rng.randint(3, 14)
            people = rng.sample(sorted(set(pool)), min(len(set(pool)), wanted))
            opened = event.created_at
            span = max((min(event.starts_at, now) - opened).total_seconds(), 3600)
            for n, user_id in enumerate(people):
                registered = opened + datetime.timedelta(seconds=span * (n + 1) / (len(people) + 1))
                full = event.capacity is not None and n >= event.capacity
                cancelled = rng.random() < 0.05
                reminded = (
                    event.starts_at - datetime.timedelta(days=1)
                    if event.starts_at - datetime.timedelta(days=1) < now
                    and not full
                    and not cancelled
                    and not event.is_cancelled
                    else None
                )
                rows.append(
                    Registration(
                        event_id=event.pk,
                        user_id=user_id,
                        status=(
                            RegistrationStatus.CANCELLED
                            if cancelled
                            else RegistrationStatus.WAITING
                            if full
                            else RegistrationStatus.REGISTERED
                        ),
                        registered_at=registered,
                        cancelled_at=registered + datetime.timedelta(days=1) if cancelled else None,
                        reminded_at=reminded,
                    )
                )
        insert(Registration, rows)
        return len(rows)

    # Documents --------------------------------------------------------------------------------

    def documents(self) -> int:
        rng = self.rng
        rows: list[CouncilDocument] = []
        for council in self.councils:
            uploader = self.coordinator.get(council.pk)
            for title, visibility in DOCUMENTS[:DOCUMENTS_PER_COUNCIL]:
                data = demo_pdf(f"{title} - {council.name}")
                name = default_storage.save(
                    f"spaces/documents/{council.pk}/{secrets.token_hex(16)}.pdf", ContentFile(data)
                )
                day = self.today - datetime.timedelta(days=rng.randint(1, 365 * self.size.years))
                rows.append(
                    CouncilDocument(
                        council=council,
                        title=title,
                        visibility=visibility,
                        file=name,
                        original_name=f"{title.replace(' ', '_')}.pdf",
                        kind="pdf",
                        size=len(data),
                        uploaded_by_id=uploader,
                        uploaded_at=moment(day, 10),
                        updated_by_id=uploader,
                        updated_at=moment(day, 10),
                    )
                )
        insert(CouncilDocument, rows)
        return len(rows)

    def run(self) -> tuple[int, int, int, int]:
        groups = self.working_groups()
        events, registrations = self.events()
        return groups, events, registrations, self.documents()


def seed(
    *, state_slugs: list[str], stdout: TextIO | None = None, size: ScaleSize | None = None
) -> None:
    """Add working groups, events and documents to the councils of each new benchmark state."""
    size = size or ScaleSize(states=len(state_slugs))

    def seed_state(state: StateNetwork, rng: random.Random, today: D) -> str | None:
        seeder = _StateSeeder(state, rng, today, size)
        if not seeder.councils:
            return None
        groups, events, registrations, documents = seeder.run()
        return (
            f"{groups} working groups, {events} events with {registrations} registrations, "
            f"{documents} documents"
        )

    seed_states(
        state_slugs,
        app="spaces",
        seeded=lambda state: (
            Event.objects.filter(state=state).exists()
            or WorkingGroup.objects.filter(council__state=state).exists()
        ),
        seed_state=seed_state,
        stdout=stdout,
    )


__all__ = ["seed"]
