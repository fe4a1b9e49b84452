"""The demo exchange reports: idempotent, every status, late reports, a question, all kinds."""

from __future__ import annotations

import datetime
import itertools
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from councils.demo import seed_demo_network
from councils.demo.data import NI_NGO
from councils.models import StateNetwork
from exchange import demo
from exchange.models import (
    ExchangeReport,
    OfferedResource,
    ReportEvent,
    ReportingPeriod,
    ReportReminder,
    ReportTopic,
    ResourceKind,
)
from exchange.models import ReportStatus as R
from exchange.reminders import DUE_SOON_DAYS
from notifications.models import Notification
from strategy import demo as strategy_demo
from strategy.models import GoalLink

pytestmark = pytest.mark.django_db

MODELS = (
    ReportingPeriod,
    ExchangeReport,
    ReportTopic,
    OfferedResource,
    ReportEvent,
    ReportReminder,
    ExchangeReport.regions.through,
)


def counts() -> dict[str, int]:
    numbers = {model.__name__: model.objects.count() for model in MODELS}
    numbers["GoalLink"] = GoalLink.objects.filter(
        content_type=ContentType.objects.get_for_model(ExchangeReport)
    ).count()
    return numbers


@pytest.fixture
def seeded(django_capture_on_commit_callbacks, mailoutbox) -> str:
    seed_demo_network(password="demo")
    strategy_demo.seed()
    out = StringIO()
    # The notifications the services write after the commit are written too.
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(stdout=out)
    return out.getvalue()


def test_a_second_run_adds_nothing(seeded: str) -> None:
    assert "Demo exchange reports created: Niedersachsen, 4 periods" in seeded
    assert "Demo exchange reports created: Mecklenburg-Vorpommern, 2 periods" in seeded
    before = counts()
    out = StringIO()
    demo.seed(stdout=out)
    assert out.getvalue() == ""
    assert counts() == before


def test_the_periods_are_half_years_up_to_today(seeded: str) -> None:
    ni = StateNetwork.objects.get(slug="niedersachsen")
    periods = list(ReportingPeriod.objects.filter(state=ni).order_by("-starts_on"))
    today = timezone.localdate()
    assert len(periods) == 4
    assert periods[0].starts_on <= today <= periods[0].ends_on
    assert all(p.title.endswith(str(p.starts_on.year)) and "Halbjahr" in p.title for p in periods)
    for newer, older in itertools.pairwise(periods):
        assert older.ends_on + datetime.timedelta(days=1) == newer.starts_on


def test_the_demo_has_every_status_late_reports_and_a_question(seeded: str) -> None:
    ni = StateNetwork.objects.get(slug="niedersachsen")
    reports = ExchangeReport.objects.filter(period__state=ni).select_related("period", "ngo")
    assert set(reports.values_list("status", flat=True)) == set(R.values)
    late = [r for r in reports if r.submitted_at and r.days_late > 0]
    assert len(late) >= 3
    returned = reports.get(status=R.RETURNED)
    question = returned.events.get(to_status=R.RETURNED)
    assert question.reason and question.by.username == "lpr-referent"
    # A report answered a question and was resubmitted: the answer is its event's message.
    answered = ReportEvent.objects.filter(
        report__period__state=ni, from_status=R.RETURNED, to_status=R.SUBMITTED
    )
    assert answered.exists() and all(event.reason for event in answered)
    # The running period has drafts, one early submission and NGOs that have not started.
    current = ReportingPeriod.objects.filter(state=ni).order_by("-starts_on").first()
    assert current is not None
    assert current.reports.filter(status=R.DRAFT).count() == 3
    assert current.reports.count() < ni.organisations.filter(kind="ngo").count()
    own = current.reports.get(ngo__name=NI_NGO)
    assert own.created_by is not None and own.created_by.username == "ngo-vertretung"


def test_resources_of_every_kind_topics_regions_and_goals(seeded: str) -> None:
    assert set(OfferedResource.objects.values_list("kind", flat=True)) == set(ResourceKind.values)
    published = ExchangeReport.objects.published()
    assert all(report.topics.exists() for report in published)
    assert ExchangeReport.regions.through.objects.exists()
    links = GoalLink.objects.filter(content_type=ContentType.objects.get_for_model(ExchangeReport))
    assert links.exists()
    assert {link.goal.strategy.state.slug for link in links} == {"niedersachsen"}


def test_past_periods_remember_their_reminders(seeded: str) -> None:
    """As the reminder task would have left them, so it sends nothing again for them."""
    today = timezone.localdate()
    for period in ReportingPeriod.objects.all():
        if period.due_on < today:
            assert period.overdue_notice_sent_at is not None
            assert period.reminders.filter(kind="overdue").exists()
        else:
            assert period.overdue_notice_sent_at is None
            assert not period.reminders.filter(kind="overdue").exists()


def test_the_history_is_the_services_own_at_its_moments(seeded: str) -> None:
    """Each report was begun, submitted, asked about and accepted at the moment of its story."""
    reports = ExchangeReport.objects.exclude(status=R.DRAFT).select_related("period")
    for report in reports:
        events = list(report.events.order_by("pk"))
        assert [e.at for e in events] == sorted(e.at for e in events)
        first = events[0]
        assert (first.from_status, first.to_status) == (R.DRAFT, R.SUBMITTED)
        assert report.submitted_at == first.at and report.submitted_by == first.by
        assert report.created_at <= report.submitted_at <= timezone.now()
        assert report.status == events[-1].to_status
        # The version history was written at the same moments.
        assert report.history.earliest("history_date").history_date == report.created_at
    period = ReportingPeriod.objects.filter(state__slug="niedersachsen").order_by("starts_on")[0]
    assert timezone.localdate(period.created_at) == period.starts_on


def test_the_reminder_task_ran_on_its_days(seeded: str) -> None:
    """Reminded were those who had not submitted on the morning of the reminder."""
    for reminder in ReportReminder.objects.select_related("period"):
        period = reminder.period
        day = timezone.localdate(reminder.sent_at)
        if reminder.kind == "due_soon":
            assert day == period.due_on - datetime.timedelta(days=DUE_SOON_DAYS)
        else:
            assert day == period.due_on + datetime.timedelta(days=1)
        report = period.reports.filter(ngo=reminder.ngo_id).first()
        assert (
            report is None or report.submitted_at is None or report.submitted_at > reminder.sent_at
        )


def test_notifications_of_the_past_are_listed_but_not_mailed(seeded: str) -> None:
    assert mail.outbox == []
    notifications = Notification.objects.filter(kind__startswith="exchange.")
    assert notifications.filter(kind="exchange.report_submitted").exists()
    assert notifications.filter(kind="exchange.report_returned").exists()
    assert notifications.filter(kind="exchange.reports_overdue").exists()
    assert not notifications.filter(send_email=True).exists()
    recent = timezone.now() - datetime.timedelta(days=14)
    assert not notifications.filter(created_at__lt=recent, read_at__isnull=True).exists()
    # The early submission of the running period still waits for the staff.
    assert notifications.filter(created_at__gte=recent, read_at__isnull=True).exists()
    returned = ReportEvent.objects.filter(to_status=R.RETURNED).first()
    assert returned is not None
    assert notifications.filter(kind="exchange.report_returned", created_at=returned.at).exists()
