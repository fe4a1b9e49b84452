"""The report reminders through a real Celery worker: two runs, one notification each."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from councils.models import OrganisationKind
from exchange import tasks
from exchange.models import ReportingPeriod, ReportReminder
from notifications.models import Notification
from tests.conftest import build_world
from tests.exchange.factories import ReportingPeriodFactory
from tests.exchange.world_reports import representative, submit, write
from tests.factories import OrganisationFactory
from tests.notifications.test_real_worker import Runs, runs  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]


def test_two_runs_through_the_worker_notify_each_person_once(runs: Runs) -> None:  # noqa: F811
    world = build_world()
    today = timezone.localdate()
    soon = ReportingPeriodFactory(
        state=world.state,
        title="Bald fällig",
        due_on=today + datetime.timedelta(days=7),
    )
    late = ReportingPeriodFactory(
        state=world.state,
        title="Überfällig",
        starts_on=today - datetime.timedelta(days=220),
        ends_on=today - datetime.timedelta(days=40),
        due_on=today - datetime.timedelta(days=3),
    )
    done = OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name="Fertig")
    done_rep = representative(done, "fertig")
    for period in (soon, late):
        submit(write(period, done, done_rep), done_rep)

    first = runs.result_of(tasks.send_report_reminders.delay().id)
    second = runs.result_of(tasks.send_report_reminders.delay().id)

    # The world's NGO: due soon for one period, overdue for the other; one staff overview.
    assert (first, second) == (3, 0)
    assert ReportReminder.objects.count() == 2
    assert ReportingPeriod.objects.get(pk=late.pk).overdue_notice_sent_at is not None
    rows = list(
        Notification.objects.filter(
            kind__in=["exchange.due_soon", "exchange.overdue", "exchange.reports_overdue"]
        ).values_list("recipient__username", "kind")
    )
    assert sorted(rows) == sorted(
        [
            ("ngo-representative", "exchange.due_soon"),
            ("ngo-representative", "exchange.overdue"),
            ("state-admin", "exchange.reports_overdue"),
            ("state-staff", "exchange.reports_overdue"),
        ]
    )
