"""The proof reminders through a real Celery worker: two runs, one notification each."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from funding import tasks
from funding.models import FundingRequest, Reminder, add_months
from notifications.models import Notification
from tests.conftest import build_world
from tests.funding.factories import funding_world
from tests.notifications.test_real_worker import Runs, in_process, runs  # noqa: F401 (fixture)

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]


def test_two_runs_through_the_worker_notify_each_person_once(runs: Runs) -> None:  # noqa: F811
    with in_process():
        world = build_world()
        fw = funding_world(world)
    soon_end = add_months(timezone.localdate() + datetime.timedelta(days=10), -6)
    overdue_end = add_months(timezone.localdate(), -7)
    FundingRequest.objects.filter(pk=fw.approved.pk).update(
        start_date=soon_end - datetime.timedelta(days=5), end_date=soon_end
    )
    late = fw.other_council_request  # set to "paid" in the data, for an overdue case
    FundingRequest.objects.filter(pk=late.pk).update(
        status="paid", start_date=overdue_end, end_date=overdue_end
    )

    first = runs.result_of(tasks.send_proof_reminders.delay().id)
    second = runs.result_of(tasks.send_proof_reminders.delay().id)

    assert (first, second) == (2, 0)
    assert Reminder.objects.count() == 2
    rows = list(
        Notification.objects.filter(kind__startswith="funding.proof_").values_list(
            "recipient__username", "kind"
        )
    )
    assert sorted(rows) == sorted(
        [
            ("coordinator", "funding.proof_soon"),
            ("other-council-coordinator", "funding.proof_overdue"),
            ("state-admin", "funding.proof_overdue"),
            ("state-staff", "funding.proof_overdue"),
        ]
    )
