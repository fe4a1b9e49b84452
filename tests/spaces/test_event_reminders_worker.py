"""The event reminders through a real Celery worker: two runs, one notification per person."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from spaces import event_services as services
from spaces import tasks
from spaces.models import Registration
from tests.conftest import build_world
from tests.notifications.test_real_worker import Runs, in_process, runs  # noqa: F401
from tests.spaces.world_events import make_event

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]


def test_two_runs_through_the_worker_remind_each_person_once(runs: Runs) -> None:  # noqa: F811
    with in_process():
        world = build_world()
        tomorrow = datetime.datetime.combine(
            timezone.localdate() + datetime.timedelta(days=1),
            datetime.time(18, 0),
            tzinfo=timezone.get_current_timezone(),
        )
        event = make_event(
            world.council,
            world.users["coordinator"],
            starts_at=tomorrow,
            ends_at=tomorrow + datetime.timedelta(hours=2),
        )
        for role in ("member", "state_staff"):
            services.registration_create(event=event, user=world.users[role])

    first = runs.result_of(tasks.send_event_reminders.delay().id)
    second = runs.result_of(tasks.send_event_reminders.delay().id)

    assert (first, second) == (2, 0)
    assert not Registration.objects.filter(event=event, reminded_at__isnull=True).exists()
    rows = Notification.objects.filter(kind="spaces.event_reminder")
    assert sorted(rows.values_list("recipient__username", flat=True)) == ["member", "state-staff"]
