"""The reminder of a working group past its planned end: once, to coordinators and the lead."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from councils.models import Role
from notifications.models import Notification
from spaces.models import WorkingGroup
from spaces.reminders_workgroups import send_overdue_reminders
from spaces.services_workgroups import workgroup_transition
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.spaces.world_workgroups import make_group

pytestmark = pytest.mark.django_db


def overdue_group(world: World, *, topic: str = "Verkehrssicherheit") -> WorkingGroup:
    today = timezone.localdate()
    group = make_group(
        world.council,
        world.users["coordinator"],
        topic=topic,
        lead=world.users["member"],
        starts_on=today - datetime.timedelta(days=100),
        planned_end=today - datetime.timedelta(days=1),
    )
    workgroup_transition(group=group, name="start", by=world.users["coordinator"])
    return group


def test_coordinators_and_lead_hear_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    group = overdue_group(world)
    # Planned and finished groups, and active ones still in time, are not reminded.
    make_group(world.council, world.users["coordinator"], topic="Noch geplant")
    in_time = make_group(world.council, world.users["coordinator"], topic="Im Plan")
    workgroup_transition(group=in_time, name="start", by=world.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders() == 0
    rows = sorted(
        Notification.objects.filter(kind="spaces.group_overdue").values_list(
            "recipient__username", "url"
        )
    )
    assert rows == [
        ("coordinator", group.get_absolute_url()),
        ("member", group.get_absolute_url()),
    ]
    notice = Notification.objects.filter(kind="spaces.group_overdue").first()
    assert notice is not None and "Verkehrssicherheit" in notice.subject


def test_reopening_a_finished_group_allows_a_new_reminder(world: World) -> None:
    group = overdue_group(world)
    assert send_overdue_reminders() == 1
    workgroup_transition(group=group, name="finish", by=world.users["coordinator"])
    workgroup_transition(group=group, name="reopen", by=world.users["coordinator"])
    assert send_overdue_reminders() == 1


def test_a_former_coordinator_is_not_reminded(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    former = UserFactory(username="ehemalig")
    MembershipFactory(
        user=former,
        organisation=world.council,
        role=Role.COUNCIL_COORDINATOR,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    overdue_group(world)
    with django_capture_on_commit_callbacks(execute=True):
        send_overdue_reminders()
    assert not Notification.objects.filter(recipient=former).exists()


def test_the_beat_runs_the_task() -> None:
    from django.conf import settings

    from spaces import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["send-workgroup-overdue-reminders"]
    assert entry["task"] == tasks.send_workgroup_overdue_reminders.name
