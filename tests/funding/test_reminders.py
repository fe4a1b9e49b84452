"""Reminders of the proof of use: 28 days before it is due and once it is overdue, each once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from funding import payments, tasks
from funding.models import FundingRequest, Reminder, ReminderKind
from notifications.models import Notification
from tests.conftest import World
from tests.funding.factories import FundingWorld, funding_world

pytestmark = pytest.mark.django_db

END = datetime.date(2024, 3, 10)
DUE = datetime.date(2024, 9, 10)  # six months after the end


@pytest.fixture
def fw(world: World) -> FundingWorld:
    fw = funding_world(world)
    FundingRequest.objects.filter(pk=fw.approved.pk).update(
        start_date=datetime.date(2024, 2, 1), end_date=END
    )
    return fw


def _run(capture: Any, day: datetime.date) -> int:
    with capture(execute=True):
        return payments.send_proof_reminders(today=day)


def _kinds(user: Any) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_nothing_long_before_the_due_date(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    assert _run(django_capture_on_commit_callbacks, DUE - datetime.timedelta(days=29)) == 0
    assert not Reminder.objects.exists()


def test_due_soon_reaches_the_coordinators_once(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    day = DUE - datetime.timedelta(days=28)
    assert _run(django_capture_on_commit_callbacks, day) == 1
    assert _run(django_capture_on_commit_callbacks, day) == 0
    assert _run(django_capture_on_commit_callbacks, DUE) == 0

    assert list(Reminder.objects.values_list("request_id", "kind")) == [
        (fw.approved.pk, ReminderKind.PROOF_SOON)
    ]
    assert _kinds(world.users["coordinator"]) == ["funding.proof_soon"]
    assert _kinds(world.users["state_staff"]) == []
    assert _kinds(world.users["member"]) == []


def test_overdue_reaches_coordinators_and_staff_once(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _run(django_capture_on_commit_callbacks, DUE - datetime.timedelta(days=10))
    day = DUE + datetime.timedelta(days=1)
    assert _run(django_capture_on_commit_callbacks, day) == 1
    assert _run(django_capture_on_commit_callbacks, day + datetime.timedelta(days=30)) == 0

    assert _kinds(world.users["coordinator"]) == ["funding.proof_overdue", "funding.proof_soon"]
    assert _kinds(world.users["state_staff"]) == ["funding.proof_overdue"]
    assert _kinds(world.users["state_admin"]) == ["funding.proof_overdue"]
    assert _kinds(world.users["other_state_admin"]) == []


def test_on_the_due_date_it_is_not_yet_overdue(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _run(django_capture_on_commit_callbacks, DUE)
    assert list(Reminder.objects.values_list("kind", flat=True)) == [ReminderKind.PROOF_SOON]


def test_a_late_first_run_sends_only_overdue(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    _run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=5))
    assert list(Reminder.objects.values_list("kind", flat=True)) == [ReminderKind.PROOF_OVERDUE]


def test_a_submitted_proof_stops_the_reminders(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # Every request of the world that is not funded (draft, submitted, in review) has an
    # end date as well: none of them is reminded.
    FundingRequest.objects.exclude(pk=fw.approved.pk).update(
        start_date=datetime.date(2024, 2, 1), end_date=END
    )
    FundingRequest.objects.filter(pk=fw.approved.pk).update(status="proof_submitted")
    assert _run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=5)) == 0


def test_month_ends_are_found(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # Ends 31 August: due 28 February; 28 days before is 31 January.
    FundingRequest.objects.filter(pk=fw.approved.pk).update(
        start_date=datetime.date(2022, 8, 1), end_date=datetime.date(2022, 8, 31)
    )
    assert _run(django_capture_on_commit_callbacks, datetime.date(2023, 1, 30)) == 0
    assert _run(django_capture_on_commit_callbacks, datetime.date(2023, 1, 31)) == 1
    assert _run(django_capture_on_commit_callbacks, datetime.date(2023, 2, 28)) == 0
    assert _run(django_capture_on_commit_callbacks, datetime.date(2023, 3, 1)) == 1
    assert set(Reminder.objects.values_list("kind", flat=True)) == {
        ReminderKind.PROOF_SOON,
        ReminderKind.PROOF_OVERDUE,
    }


def test_a_reminder_written_meanwhile_is_not_sent_again(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # Another run wrote the row between this run's read and its insert.
    Reminder.objects.create(request=fw.approved, kind=ReminderKind.PROOF_SOON)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments._remind(fw.approved, ReminderKind.PROOF_SOON) is False
    assert _kinds(world.users["coordinator"]) == []


def test_the_task_calls_the_service(
    world: World, fw: FundingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # Real dates: the project ended seven months ago, so the proof is overdue.
    end = payments.add_months(datetime.date.today(), -7)
    FundingRequest.objects.filter(pk=fw.approved.pk).update(start_date=end, end_date=end)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_proof_reminders.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_proof_reminders.delay().get() == 0
    assert _kinds(world.users["coordinator"]) == ["funding.proof_overdue"]


def test_the_panel_warns_when_overdue(world: World, fw: FundingWorld) -> None:
    from django.test import RequestFactory

    from funding.views.money import money_panel

    end = payments.add_months(datetime.date.today(), -7)
    FundingRequest.objects.filter(pk=fw.approved.pk).update(start_date=end, end_date=end)
    fw.approved.refresh_from_db()
    http_request = RequestFactory().get("/")
    http_request.user = world.users["coordinator"]
    panel = money_panel(http_request, fw.approved)["money_panel"]
    assert panel.proof_overdue
    assert not panel.proof_due_soon
