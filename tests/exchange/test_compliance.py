"""Compliance: per period who has submitted, who is late and by how much, with the reminders."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Organisation, OrganisationKind
from exchange import reports
from exchange.compliance import periods_with_counts
from exchange.models import (
    ExchangeReport,
    ReportingPeriod,
    ReportReminder,
    ReportReminderKind,
)
from exchange.models import ReportStatus as R
from tests.conftest import World
from tests.exchange.factories import ReportingPeriodFactory
from tests.exchange.world_reports import english, representative, submit, write
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DUE = TODAY - datetime.timedelta(days=10)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@dataclass
class Compliance:
    period: ReportingPeriod
    on_time: Organisation
    late: Organisation
    draft: Organisation
    missing: Organisation
    returned: Organisation


def _submitted_on(report: ExchangeReport, day: datetime.date) -> None:
    ExchangeReport.objects.filter(pk=report.pk).update(submitted_at=_at(day))


@pytest.fixture
def cw(world: World) -> Compliance:
    """Five active NGOs owe a report for a period due ten days ago."""
    period = ReportingPeriodFactory(
        state=world.state,
        title="Vergangenes Halbjahr",
        starts_on=TODAY - datetime.timedelta(days=200),
        ends_on=TODAY - datetime.timedelta(days=40),
        due_on=DUE,
    )

    def ngo(name: str) -> Organisation:
        return OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name=name)

    on_time, late, draft, missing, returned = (
        world.ngo,
        ngo("B – spät"),
        ngo("C – Entwurf"),
        ngo("D – fehlt"),
        ngo("E – Rückfrage"),
    )
    rep = world.users["ngo_representative"]
    _submitted_on(submit(write(period, on_time, rep), rep), DUE - datetime.timedelta(days=3))
    late_rep = representative(late, "spaet")
    _submitted_on(submit(write(period, late, late_rep), late_rep), DUE + datetime.timedelta(days=4))
    write(period, draft, representative(draft, "entwurf"))
    returned_rep = representative(returned, "rueckfrage")
    back = submit(write(period, returned, returned_rep), returned_rep)
    reports.report_return(report=back, by=world.users["state_staff"], question="Wie viele?")
    _submitted_on(back, DUE + datetime.timedelta(days=1))
    # Not owing a report: an inactive NGO, a council, another state's NGO.
    OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, name="Alt", is_active=False)
    OrganisationFactory(state=world.other_state, kind=OrganisationKind.NGO, name="MV-Verein")
    for kind, day in (
        (ReportReminderKind.DUE_SOON, DUE - datetime.timedelta(days=14)),
        (ReportReminderKind.OVERDUE, DUE + datetime.timedelta(days=1)),
    ):
        reminder = ReportReminder.objects.create(period=period, ngo=missing, kind=kind)
        ReportReminder.objects.filter(pk=reminder.pk).update(sent_at=_at(day))
    return Compliance(period, on_time, late, draft, missing, returned)


def _table(world: World, cw: Compliance, query: str = "") -> list[tuple[str, str, int]]:
    url = reverse("exchange:period_detail", kwargs={"pk": cw.period.pk}) + query
    response = world.client("state_staff").get(url)
    assert response.status_code == 200
    return [(row.ngo.name, row.status, row.days_late) for row in response.context["table"]]


def test_every_active_ngo_with_status_and_days_late(world: World, cw: Compliance) -> None:
    assert _table(world, cw) == [
        ("B – spät", R.SUBMITTED, 4),
        ("C – Entwurf", R.DRAFT, 10),
        ("D – fehlt", "missing", 10),
        ("E – Rückfrage", R.RETURNED, 1),
        ("Landesverband Opferhilfe", R.SUBMITTED, 0),
    ]


def test_the_counts_of_the_period(world: World, cw: Compliance) -> None:
    url = reverse("exchange:period_detail", kwargs={"pk": cw.period.pk})
    counts = world.client("state_staff").get(url).context["counts"]
    assert (counts.ngos, counts.submitted, counts.missing) == (5, 3, 2)
    # Late: two submitted after the due date, two not submitted now that it has passed.
    assert (counts.late_submitted, counts.late) == (2, 4)
    rows = world.client("state_staff").get(reverse("exchange:period_list")).context["rows"]
    row = next(r for r in rows if r.period.pk == cw.period.pk)
    assert (row.counts.submitted, row.counts.ngos, row.counts.late) == (3, 5, 4)


def test_before_the_due_date_nobody_is_late_yet(world: World, cw: Compliance) -> None:
    ReportingPeriod.objects.filter(pk=cw.period.pk).update(
        due_on=TODAY + datetime.timedelta(days=30)
    )
    assert {(name, late) for name, _status, late in _table(world, cw)} == {
        ("B – spät", 0),
        ("C – Entwurf", 0),
        ("D – fehlt", 0),
        ("E – Rückfrage", 0),
        ("Landesverband Opferhilfe", 0),
    }
    url = reverse("exchange:period_detail", kwargs={"pk": cw.period.pk})
    counts = world.client("state_staff").get(url).context["counts"]
    assert (counts.late, counts.overdue) == (0, False)


def test_the_last_reminder_is_shown(world: World, cw: Compliance) -> None:
    url = reverse("exchange:period_detail", kwargs={"pk": cw.period.pk})
    response = world.client("state_staff").get(url)
    row = next(r for r in response.context["table"] if r.ngo == cw.missing)
    assert timezone.localdate(row.ngo.last_reminder) == DUE + datetime.timedelta(days=1)
    assert (DUE + datetime.timedelta(days=1)).strftime("%d.%m.%Y") in response.content.decode()


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?status=missing", ["D – fehlt"]),
        ("?status=draft", ["C – Entwurf"]),
        ("?status=returned", ["E – Rückfrage"]),
        ("?lateness=late", ["B – spät", "C – Entwurf", "D – fehlt", "E – Rückfrage"]),
        ("?lateness=on_time", ["Landesverband Opferhilfe"]),
        ("?q=fehlt", ["D – fehlt"]),
        ("?status=submitted&lateness=late", ["B – spät"]),
    ],
)
def test_filters(world: World, cw: Compliance, query: str, names: list[str]) -> None:
    assert [name for name, _s, _l in _table(world, cw, query)] == names


@pytest.mark.parametrize(
    ("query", "names"),
    [
        (
            "?o=-late",
            ["C – Entwurf", "D – fehlt", "B – spät", "E – Rückfrage", "Landesverband Opferhilfe"],
        ),
        (
            "?o=status",
            ["D – fehlt", "C – Entwurf", "E – Rückfrage", "B – spät", "Landesverband Opferhilfe"],
        ),
        (
            "?o=-submitted",
            ["B – spät", "E – Rückfrage", "Landesverband Opferhilfe", "C – Entwurf", "D – fehlt"],
        ),
        (
            "?o=-reminder",
            ["D – fehlt", "B – spät", "C – Entwurf", "E – Rückfrage", "Landesverband Opferhilfe"],
        ),
        (
            "?o=-ngo",
            ["Landesverband Opferhilfe", "E – Rückfrage", "D – fehlt", "C – Entwurf", "B – spät"],
        ),
    ],
)
def test_sorting(world: World, cw: Compliance, query: str, names: list[str]) -> None:
    assert [name for name, _s, _l in _table(world, cw, query)] == names


def test_an_invalid_filter_shows_nothing(world: World, cw: Compliance) -> None:
    assert _table(world, cw, "?status=bogus") == []


def test_the_headings_sort_both_ways(world: World, cw: Compliance) -> None:
    url = reverse("exchange:period_detail", kwargs={"pk": cw.period.pk})
    page = english(world.client("state_staff")).get(url + "?o=late").content.decode()
    assert 'aria-sort="ascending"' in page
    assert "?o=-late" in page
    assert page.count("<h1") == 1 and "<caption>5 NGOs</caption>" in page


def test_the_network_sees_the_published_reports_instead(world: World, cw: Compliance) -> None:
    url = reverse("exchange:period_detail", kwargs={"pk": cw.period.pk})
    response = world.client("member").get(url)
    assert "table" not in response.context
    names = [report.ngo.name for report in response.context["page"].object_list]
    assert names == ["B – spät", "Landesverband Opferhilfe"]


def test_the_ngo_count_of_every_period_is_its_states_active_ngos(
    world: World, cw: Compliance
) -> None:
    """Counted per period on its own state, however many reports each period has."""
    ReportingPeriodFactory(state=world.state, title="Ohne Berichte")
    ReportingPeriodFactory(state=world.other_state, title="MV")
    counted = periods_with_counts(ReportingPeriod.objects.all())
    assert {(p.title, p.ngo_count) for p in counted} == {
        (
            p.title,
            Organisation.objects.filter(
                state=p.state, kind=OrganisationKind.NGO, is_active=True
            ).count(),
        )
        for p in ReportingPeriod.objects.all()
    }
    assert {p.title: p.ngo_count for p in counted} == {
        "Vergangenes Halbjahr": 5,
        "Ohne Berichte": 5,
        "MV": 1,
    }
