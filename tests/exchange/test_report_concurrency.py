"""Co-editors saving at the same moment, double clicks and two reminder runs at once.

The calls run in real threads, each with its own database connection, released together by a
barrier: the report's row lock makes the saves queue, so the version check sees the first
save; the unique keys stop a second report or reminder.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from councils.models import User
from exchange import reminders, reports
from exchange.models import ExchangeReport, ReportingPeriod, ReportReminder
from notifications.models import Notification
from tests.conftest import World
from tests.exchange.factories import ReportingPeriodFactory
from tests.exchange.world_reports import exchange_world, fresh, representative

pytestmark = pytest.mark.django_db(transaction=True)

#: SQLite has no row locks and answers a second writer with "database is locked" at once; the
#: threads then take turns, so the rules are still checked. CI runs PostgreSQL, where the
#: threads really race.
_SERIAL = threading.Lock()


def race(calls: list[Callable[[], Any]]) -> list[BaseException | None]:
    """Run the calls in threads released at once; each thread's outcome (None = success)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[BaseException | None] = [None] * len(calls)
    serial = connection.vendor != "postgresql"

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            if serial:
                with _SERIAL:
                    calls[index]()
            else:
                calls[index]()
        except BaseException as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_two_saves_of_the_same_version_keep_one_and_refuse_the_other(world: World) -> None:
    xw = exchange_world(world)
    colleague = representative(world.ngo, "kollegin")
    opened = xw.draft.version

    def save(user_pk: int, text: str) -> Callable[[], Any]:
        def call() -> Any:
            report = ExchangeReport.objects.get(pk=xw.draft.pk)
            user = User.objects.get(pk=user_pk)
            return reports.report_update(report=report, by=user, version=opened, activities=text)

        return call

    outcomes = race(
        [save(world.users["ngo_representative"].pk, "Erster"), save(colleague.pk, "Zweiter")]
    )

    assert sum(o is None for o in outcomes) == 1
    (error,) = [o for o in outcomes if o is not None]
    assert isinstance(error, ValidationError) and error.code == "conflict"
    report = fresh(xw.draft)
    assert report.version == opened + 1
    winner = "Erster" if outcomes[0] is None else "Zweiter"
    assert report.activities == winner


def test_a_double_click_on_write_the_report_starts_one_draft(world: World) -> None:
    period = ReportingPeriodFactory(state=world.state, title="Neues Halbjahr")
    rep = world.users["ngo_representative"]

    def start() -> Any:
        return reports.report_start(
            period=ReportingPeriod.objects.get(pk=period.pk), ngo=world.ngo, by=rep
        )

    outcomes = race([start, start])

    assert outcomes == [None, None]
    assert ExchangeReport.objects.filter(period=period, ngo=world.ngo).count() == 1


def test_two_reminder_runs_at_once_send_each_reminder_once(world: World) -> None:
    exchange_world(world)  # the world's NGO has a draft, the second NGO has submitted
    today = datetime.date.today()
    late = ReportingPeriodFactory(
        state=world.state,
        title="Überfällig",
        starts_on=today - datetime.timedelta(days=220),
        ends_on=today - datetime.timedelta(days=40),
        due_on=today - datetime.timedelta(days=2),
    )

    def run() -> Any:
        return reminders.send_report_reminders(today=today)

    outcomes = race([run, run])

    assert outcomes == [None, None]
    # Two NGOs owe the late report; the first state's period of the world is due soon.
    assert ReportReminder.objects.filter(period=late).count() == 2
    for role in ("state_staff", "state_admin"):
        assert (
            Notification.objects.filter(
                recipient=world.users[role], kind="exchange.reports_overdue"
            ).count()
            == 1
        )
    assert (
        Notification.objects.filter(
            recipient=world.users["ngo_representative"], kind="exchange.overdue"
        ).count()
        == 1
    )
