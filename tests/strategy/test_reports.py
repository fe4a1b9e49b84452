"""Progress reports on measures: who reports, what is checked, the history."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from strategy.models import (
    Goal,
    Indicator,
    IndicatorValue,
    Level,
    MeasureStatus,
    ProgressReport,
)
from strategy.services_progress import progress_report_create
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 - fixtures
from tests.conftest import World
from tests.querycount import assert_constant_queries
from tests.strategy.factories import strategy_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """Assertions read the English message ids; the German translation follows later."""
    settings.LANGUAGE_CODE = "en"


REPORT = {"percent": "40", "status": MeasureStatus.RUNNING, "text": "Zwei Workshops gehalten."}


def _create_url(measure: Goal) -> str:
    return reverse("strategy:report_create", kwargs={"pk": measure.pk})


def _list_url(measure: Goal) -> str:
    return reverse("strategy:report_list", kwargs={"pk": measure.pk})


def test_coordinator_reports_and_the_measure_follows(world: World) -> None:
    measure = strategy_world(world).measure
    response = world.client("coordinator").post(_create_url(measure), REPORT)
    assert response.status_code == 302
    assert response.url == _list_url(measure)
    report = ProgressReport.objects.get(measure=measure)
    assert report.organisation == world.council
    assert report.reported_by == world.users["coordinator"]
    measure.refresh_from_db()
    assert (measure.progress, measure.status) == (40, MeasureStatus.RUNNING)


def test_state_staff_reports_for_the_state_office(world: World) -> None:
    measure = strategy_world(world).measure
    data = {**REPORT, "percent": "100", "status": MeasureStatus.DONE}
    assert world.client("state_staff").post(_create_url(measure), data).status_code == 302
    assert ProgressReport.objects.get().organisation == world.office
    measure.refresh_from_db()
    assert (measure.progress, measure.status) == (100, MeasureStatus.DONE)


def test_evidence_upload(world: World) -> None:
    measure = strategy_world(world).measure
    evidence = SimpleUploadedFile("nachweis.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = world.client("coordinator").post(
        _create_url(measure), {**REPORT, "evidence": evidence}
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.evidence.name.endswith(".pdf")
    listing = world.client("member").get(_list_url(measure)).content.decode()
    assert reverse("strategy:report_evidence", args=[report.pk]) in listing


@pytest.mark.parametrize("name", ["skript.exe", "bild.gif", "ohne_endung"])
def test_evidence_of_another_kind_is_refused(world: World, name: str) -> None:
    measure = strategy_world(world).measure
    evidence = SimpleUploadedFile(name, b"data")
    response = world.client("coordinator").post(
        _create_url(measure), {**REPORT, "evidence": evidence}
    )
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert "Zwei Workshops gehalten." in response.content.decode()
    assert not ProgressReport.objects.exists()
    measure.refresh_from_db()
    assert measure.progress == 0


def test_evidence_above_10_mb_is_refused(world: World) -> None:
    measure = strategy_world(world).measure
    evidence = SimpleUploadedFile("gross.pdf", b"0" * (10 * 1024 * 1024 + 1))
    response = world.client("coordinator").post(
        _create_url(measure), {**REPORT, "evidence": evidence}
    )
    assert response.context["form"].has_error("evidence", "too_large")
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("percent", "101"), ("percent", "-1"), ("percent", "viel"), ("text", "")]
)
def test_bad_input_is_a_field_error_and_changes_nothing(
    world: World, field: str, value: str
) -> None:
    measure = strategy_world(world).measure
    response = world.client("coordinator").post(_create_url(measure), {**REPORT, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ProgressReport.objects.exists()
    measure.refresh_from_db()
    assert (measure.progress, measure.status) == (0, MeasureStatus.RUNNING)


def test_council_member_reads_but_may_not_report(world: World) -> None:
    measure = strategy_world(world).measure
    member = world.client("member")
    assert member.get(_list_url(measure)).status_code == 200
    assert member.get(_create_url(measure)).status_code == 403
    assert member.post(_create_url(measure), REPORT).status_code == 403
    assert not ProgressReport.objects.exists()


def test_organisations_not_responsible_get_403(world: World) -> None:
    measure = strategy_world(world).measure
    for role in ("ngo_representative", "other_council_coordinator"):
        assert world.client(role).post(_create_url(measure), REPORT).status_code == 403
    assert not ProgressReport.objects.exists()


def test_other_state_gets_404_and_anonymous_the_login(world: World) -> None:
    measure = strategy_world(world).measure
    assert world.client("other_state_admin").post(_create_url(measure), REPORT).status_code == 404
    assert world.client("other_state_admin").get(_list_url(measure)).status_code == 404
    response = world.client("anonymous").post(_create_url(measure), REPORT)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert not ProgressReport.objects.exists()


def test_wrong_method(world: World) -> None:
    measure = strategy_world(world).measure
    assert world.client("coordinator").put(_create_url(measure)).status_code == 405
    assert world.client("coordinator").post(_list_url(measure)).status_code == 405


def test_draft_measures_take_no_reports(world: World) -> None:
    measure = strategy_world(world).draft.goals.get(level=Level.MEASURE)
    measure.responsible.add(world.council)
    assert world.client("state_staff").post(_create_url(measure), REPORT).status_code == 403
    assert not ProgressReport.objects.exists()


def test_goals_that_are_not_measures_have_no_reports(world: World) -> None:
    goal = strategy_world(world).operational
    assert world.client("state_staff").get(_create_url(goal)).status_code == 404
    assert world.client("state_staff").get(_list_url(goal)).status_code == 404


def test_service_is_all_or_nothing(world: World) -> None:
    measure = strategy_world(world).measure
    with pytest.raises(ValidationError):
        progress_report_create(
            measure=measure,
            organisation=world.council,
            reported_by=world.users["coordinator"],
            percent=50,
            status="unknown",
            text="x",
        )
    measure.refresh_from_db()
    assert measure.progress == 0
    assert not ProgressReport.objects.exists()


def test_list_shows_the_history_newest_first(world: World) -> None:
    measure = strategy_world(world).measure
    for percent in (10, 30):
        progress_report_create(
            measure=measure,
            organisation=world.council,
            reported_by=world.users["coordinator"],
            percent=percent,
            status=MeasureStatus.RUNNING,
            text=f"Stand {percent}",
        )
    response = world.client("coordinator").get(_list_url(measure))
    content = response.content.decode()
    assert content.index("Stand 30") < content.index("Stand 10")
    assert "<caption>" in content
    assert _create_url(measure) in content
    assert content.count("<h1") == 1


def test_list_empty_state(world: World) -> None:
    measure = strategy_world(world).measure
    response = world.client("member").get(_list_url(measure))
    content = response.content.decode()
    assert "No progress has been reported on this measure yet." in content
    assert _create_url(measure) not in content


def test_list_queries_do_not_grow(world: World) -> None:
    measure = strategy_world(world).measure
    client = world.client("state_staff")

    def grow(count: int) -> None:
        ProgressReport.objects.bulk_create(
            ProgressReport(
                measure=measure,
                organisation=world.council,
                reported_by=world.users["coordinator"],
                percent=i % 100,
                status=MeasureStatus.RUNNING,
                text=f"Bericht {i}",
            )
            for i in range(count)
        )

    grow(5)
    assert_constant_queries(lambda: client.get(_list_url(measure)), lambda: grow(500))


@pytest.mark.browser
def test_progress_pages_pass_axe(world: World, portal: PortalPage) -> None:  # noqa: F811
    """Coordinator and state staff walk the progress pages; axe finds nothing on any of them."""
    sw = strategy_world(world)
    indicator = Indicator.objects.create(
        goal=sw.measure,
        name="Beratene Räte",
        unit="%",
        baseline=Decimal("10"),
        baseline_date=datetime.date(2025, 1, 1),
        target=Decimal("80"),
        target_date=datetime.date(2027, 12, 31),
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        value=Decimal("25"),
        measured_on=datetime.date(2026, 3, 1),
        source="Umfrage",
        entered_by=world.users["state_staff"],
    )
    draft_measure = sw.draft.goals.get(level=Level.MEASURE)
    draft_indicator = Indicator.objects.create(
        goal=draft_measure,
        name="Entwurf",
        unit="Räte",
        baseline=Decimal("1"),
        baseline_date=datetime.date(2025, 1, 1),
        target=Decimal("5"),
        target_date=datetime.date(2026, 12, 31),
    )
    page = portal.page

    portal.log_in("coordinator", "geheim-123")
    portal.goto(reverse("strategy:my_measures"))
    portal.check()
    page.get_by_role("link", name="Maßnahme").first.wait_for()
    portal.goto(_create_url(sw.measure))
    portal.check()
    page.locator("#id_percent").fill("140")
    page.locator("#id_text").fill("Workshops")
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()
    assert page.locator("#error-summary").count() == 1
    portal.check()
    page.locator("#id_percent").fill("40")
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()
    assert portal.path() == _list_url(sw.measure)
    portal.check()
    for name, pk in (
        ("strategy:indicator_detail", indicator.pk),
        ("strategy:indicator_value_add", indicator.pk),
        ("strategy:timeline", sw.adopted.pk),
    ):
        portal.goto(reverse(name, kwargs={"pk": pk}))
        portal.check()
    portal.log_out()

    portal.log_in("state-staff", "geheim-123")
    portal.goto(reverse("strategy:my_measures") + "?overdue=yes")
    portal.check()
    for name, pk in (
        ("strategy:indicator_create", draft_measure.pk),
        ("strategy:indicator_edit", draft_indicator.pk),
        ("strategy:indicator_delete", draft_indicator.pk),
        ("strategy:indicator_detail", draft_indicator.pk),
    ):
        portal.goto(reverse(name, kwargs={"pk": pk}))
        portal.check()
