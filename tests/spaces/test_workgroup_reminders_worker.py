"""The working-group reminder through a real Celery worker: two runs, one notification each."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from spaces import tasks
from spaces.models import WorkingGroup
from tests.conftest import build_world
from tests.notifications.test_real_worker import Runs, runs  # noqa: F401 (the fixture)
from tests.spaces.test_workgroup_reminders import overdue_group

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]


def test_two_runs_through_the_worker_notify_each_person_once(runs: Runs) -> None:  # noqa: F811
    world = build_world()
    group = overdue_group(world)

    first = runs.result_of(tasks.send_workgroup_overdue_reminders.delay().id)
    second = runs.result_of(tasks.send_workgroup_overdue_reminders.delay().id)

    assert (first, second) == (1, 0)
    assert WorkingGroup.objects.get(pk=group.pk).overdue_notice_sent_at is not None
    rows = sorted(
        Notification.objects.filter(kind="spaces.group_overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert rows == ["coordinator", "member"]
