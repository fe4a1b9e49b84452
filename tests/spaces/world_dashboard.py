"""Rows of the council spaces for the dashboards' tests: events, working groups, topics, files.

Built straight in the database (no services, no notifications): the dashboards only read them.
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from councils.models import Organisation
from spaces.models import (
    CouncilDocument,
    CouncilFocusTopic,
    DocumentVisibility,
    Event,
    EventAudience,
    EventKind,
    FocusTopic,
    WorkingGroup,
    WorkingGroupStatus,
)

_numbers = itertools.count(1)


def add_event(
    council: Organisation,
    *,
    days: int = 7,
    audience: str = EventAudience.NETWORK,
    title: str = "",
) -> Event:
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return Event.objects.create(
        state_id=council.state_id,
        council=council,
        kind=EventKind.SEMINAR,
        title=title or f"Seminar {next(_numbers)}",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location="Rathaus",
        audience=audience,
    )


def add_group(
    council: Organisation,
    *,
    topic: str = "",
    end_in_days: int = 30,
    status: str = WorkingGroupStatus.ACTIVE,
) -> WorkingGroup:
    today = timezone.localdate()
    group = WorkingGroup.objects.create(
        council=council,
        topic=topic or f"Arbeitsgruppe {next(_numbers)}",
        mandate="Ein Handlungskonzept erarbeiten.",
        starts_on=today - datetime.timedelta(days=200),
        planned_end=today + datetime.timedelta(days=end_in_days),
    )
    # The status is protected by the state machine; tests set it directly.
    WorkingGroup.objects.filter(pk=group.pk).update(status=status)
    group.refresh_from_db()
    return group


def add_topic(council: Organisation, name: str = "") -> CouncilFocusTopic:
    topic, _ = FocusTopic.objects.get_or_create(
        state_id=council.state_id, name=name or f"Schwerpunkt {next(_numbers)}"
    )
    return CouncilFocusTopic.objects.create(council=council, topic=topic)


def add_document(
    council: Organisation, *, visibility: str = DocumentVisibility.MEMBERS
) -> CouncilDocument:
    n = next(_numbers)
    return CouncilDocument.objects.create(
        council=council,
        title=f"Protokoll {n}",
        visibility=visibility,
        file=f"spaces/documents/{council.pk}/doc{n}.pdf",
        original_name=f"protokoll-{n}.pdf",
        kind="pdf",
        size=100,
    )


def grow_space(council: Organisation, rows: int = 5) -> None:
    """Events of every audience, active groups (one overdue), topics and documents."""
    for i in range(rows):
        add_event(council, days=i + 1, audience=list(EventAudience)[i % 3])
        add_event(council, days=-(i + 30), audience=EventAudience.MEMBERS)
        add_group(council, end_in_days=-1 if i == 0 else 20 + i)
        add_topic(council)
        add_document(council, visibility=list(DocumentVisibility)[i % 3])
