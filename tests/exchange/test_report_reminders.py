"""Reminders of the exchange reports: 14 days before the due date and once it has passed, each
at most once per NGO and period; one overview for the state staff when a period is overdue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from councils.models import Organisation, OrganisationKind, User
from exchange import reminders, tasks
from exchange.models import ReportingPeriod, ReportReminder, ReportReminderKind
from notifications.models import Notification
from tests.conftest import World
from tests.exchange.factories import ReportingPeriodFactory
from tests.exchange.world_reports import representative, submit, write
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2024, 9, 10)
SOON, LATE = ReportReminderKind.DUE_SOON, ReportReminderKind.OVERDUE


@dataclass
class ReminderWorld:
    period: ReportingPeriod
    submitted: Organisation
    missing: Organisation
    missing_reps: list[User]
    submitted_rep: User
    nobody: Organisation


@pytest.fixture
def rw(world: World) -> ReminderWorld:
    """Four active NGOs: a draft, a submitted report, one not started (two representatives),
    one without representatives; an inactive NGO and a council owe nothing."""
    period = ReportingPeriodFactory(
        state=world.state,
        title="1. Halbjahr 2024",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 6, 30),
        due_on=DUE,
    )
    write(period, world.ngo, world.users["ngo_representative"])  # a draft still owes
    submitted = OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name="Fertig")
    submitted_rep = representative(submitted, "fertig")
    submit(write(period, submitted, submitted_rep), submitted_rep)
    missing = OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name="Fehlt")
    reps = [representative(missing, "fehlt-1"), representative(missing, "fehlt-2")]
    nobody = OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name="Niemand")
    inactive = OrganisationFactory(
        state=world.state, kind=OrganisationKind.NGO, name="Aufgelöst", is_active=False
    )
    representative(inactive, "aufgeloest")
    # The second state's period is due much later: it never comes into these runs by accident.
    ReportingPeriodFactory(
        state=world.other_state,
        title="MV 2024",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 6, 30),
        due_on=DUE + datetime.timedelta(days=200),
    )
    return ReminderWorld(period, submitted, missing, reps, submitted_rep, nobody)


def _run(capture: Any, day: datetime.date) -> int:
    with capture(execute=True):
        return reminders.send_report_reminders(today=day)


def _kinds(user: User) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def _rows() -> set[tuple[str, str]]:
    return set(ReportReminder.objects.values_list("ngo__name", "kind"))


def test_nothing_long_before_the_due_date(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    assert _run(django_capture_on_commit_callbacks, DUE - datetime.timedelta(days=15)) == 0
    assert not ReportReminder.objects.exists()
    assert not Notification.objects.exists()


def test_due_soon_reaches_the_representatives_once(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    day = DUE - datetime.timedelta(days=14)
    assert _run(django_capture_on_commit_callbacks, day) == 2
    assert _run(django_capture_on_commit_callbacks, day) == 0
    assert _run(django_capture_on_commit_callbacks, DUE) == 0

    assert _rows() == {("Landesverband Opferhilfe", SOON), ("Fehlt", SOON)}
    assert _kinds(world.users["ngo_representative"]) == ["exchange.due_soon"]
    for rep in rw.missing_reps:
        assert _kinds(rep) == ["exchange.due_soon"]
    assert _kinds(rw.submitted_rep) == []
    assert _kinds(world.users["state_staff"]) == []
    note = Notification.objects.filter(recipient=rw.missing_reps[0]).get()
    assert "10.09.2024" in note.subject and "1. Halbjahr 2024" in note.subject
    assert note.url == rw.period.get_absolute_url()


def test_overdue_reaches_representatives_and_one_overview_for_staff(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _run(django_capture_on_commit_callbacks, DUE - datetime.timedelta(days=10))
    day = DUE + datetime.timedelta(days=1)
    assert _run(django_capture_on_commit_callbacks, day) == 3  # two NGOs and the overview
    assert _run(django_capture_on_commit_callbacks, day) == 0
    assert _run(django_capture_on_commit_callbacks, day + datetime.timedelta(days=30)) == 0

    assert _kinds(world.users["ngo_representative"]) == ["exchange.due_soon", "exchange.overdue"]
    for rep in rw.missing_reps:
        assert _kinds(rep) == ["exchange.due_soon", "exchange.overdue"]
    for role in ("state_staff", "state_admin"):
        assert _kinds(world.users[role]) == ["exchange.reports_overdue"]
    for role in ("other_state_admin", "coordinator", "member"):
        assert _kinds(world.users[role]) == []
    overview = Notification.objects.get(recipient=world.users["state_staff"])
    assert "Fehlt" in overview.body and "Landesverband Opferhilfe" in overview.body
    assert "Niemand" in overview.body  # staff hear of it even though nobody could be reminded
    assert "Fertig" not in overview.body
    assert ReportingPeriod.objects.get(pk=rw.period.pk).overdue_notice_sent_at is not None


def test_on_the_due_date_it_is_not_yet_overdue(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _run(django_capture_on_commit_callbacks, DUE)
    assert set(ReportReminder.objects.values_list("kind", flat=True)) == {SOON}
    assert _kinds(world.users["state_staff"]) == []


def test_a_late_first_run_sends_only_overdue(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=5))
    assert set(ReportReminder.objects.values_list("kind", flat=True)) == {LATE}


def test_a_report_submitted_after_the_first_reminder_stops_the_second(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _run(django_capture_on_commit_callbacks, DUE - datetime.timedelta(days=14))
    report = rw.period.reports.get(ngo=world.ngo)
    submit(report, world.users["ngo_representative"])
    _run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=1))
    assert _rows() == {
        ("Landesverband Opferhilfe", SOON),
        ("Fehlt", SOON),
        ("Fehlt", LATE),
    }


def test_a_reminder_written_meanwhile_is_not_sent_again(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # Another run wrote the row between this run's read and its insert.
    ReportReminder.objects.create(period=rw.period, ngo=rw.missing, kind=SOON)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders._remind(rw.period, rw.missing, SOON, rw.missing_reps) is False
    assert _kinds(rw.missing_reps[0]) == []


def test_an_overview_claimed_meanwhile_is_not_sent_again(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    period = ReportingPeriod.objects.get(pk=rw.period.pk)  # read before the other run's claim
    ReportingPeriod.objects.filter(pk=rw.period.pk).update(overdue_notice_sent_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders._notify_staff_overdue(period, [rw.missing]) is False
    assert _kinds(world.users["state_staff"]) == []


def test_long_overdue_periods_are_not_reminded_any_more(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    day = DUE + datetime.timedelta(days=reminders.OVERDUE_LOOKBACK_DAYS + 1)
    assert _run(django_capture_on_commit_callbacks, day) == 0


def test_each_state_has_its_own_overview(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    mv_ngo = OrganisationFactory(state=world.other_state, kind=OrganisationKind.NGO, name="MV")
    mv_rep = representative(mv_ngo, "mv-vertretung")
    day = DUE + datetime.timedelta(days=201)
    assert _run(django_capture_on_commit_callbacks, day) == 2  # MV's NGO and MV's overview
    assert _kinds(mv_rep) == ["exchange.overdue"]
    assert _kinds(world.users["other_state_admin"]) == ["exchange.reports_overdue"]
    assert _kinds(world.users["state_staff"]) == []


def test_a_period_with_every_report_in_needs_nothing(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    Organisation.objects.filter(pk__in=[rw.missing.pk, rw.nobody.pk, world.ngo.pk]).update(
        is_active=False
    )
    assert _run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=1)) == 0
    assert ReportingPeriod.objects.get(pk=rw.period.pk).overdue_notice_sent_at is None


def test_the_task_calls_the_service(
    world: World, rw: ReminderWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # Real dates: the reports were due yesterday.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ReportingPeriod.objects.filter(pk=rw.period.pk).update(due_on=yesterday)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_report_reminders.delay().get() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_report_reminders.delay().get() == 0
    assert _kinds(world.users["ngo_representative"]) == ["exchange.overdue"]


def test_the_beat_runs_the_task() -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["send-exchange-report-reminders"]
    assert entry["task"] == tasks.send_report_reminders.name
