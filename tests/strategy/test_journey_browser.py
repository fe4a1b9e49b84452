"""Issue 3's journey in a real browser, with axe on every page.

State staff add an operational goal and a measure to a draft, assign a council and adopt
it; the council's coordinator reports 40 %; every parent shows the rolled-up value.
"""

from __future__ import annotations

import datetime

import pytest

from strategy.models import Goal, Level, ProgressReport, StrategyStatus
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World

from .factories import GoalFactory, StrategyFactory

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def _submit(on: PortalPage, selector: str = "main form button[type='submit']") -> None:
    """Submit the page's form (the last submit button of main) and wait for the next page."""
    with on.page.expect_navigation():
        on.page.locator(selector).last.click()


def test_staff_plan_a_measure_and_the_coordinator_reports_progress(
    world: World,
    portal: PortalPage,  # noqa: F811
) -> None:
    draft = StrategyFactory(state=world.state, title="Landesstrategie Kommunale Prävention")
    guiding = GoalFactory(strategy=draft, level=Level.GUIDING_GOAL, title="Koordinierung")
    strategic = GoalFactory(
        strategy=draft, parent=guiding, level=Level.STRATEGIC_GOAL, title="Angebote bündeln"
    )
    page = portal.page

    # State staff: an operational goal below the strategic goal ...
    portal.log_in("state-staff", PASSWORD)
    portal.goto(f"/strategie/{draft.pk}/ziele/neu/?parent={strategic.pk}")
    portal.check()
    page.locator("#id_title").fill("Beratung in allen Regionen")
    _submit(portal)
    operational = Goal.objects.get(title="Beratung in allen Regionen")
    assert operational.parent == strategic
    assert operational.level == Level.OPERATIONAL_GOAL

    # ... and a measure below it, for the coordinator's council.
    portal.goto(f"/strategie/{draft.pk}/ziele/neu/?parent={operational.pk}")
    portal.check()
    page.locator("#id_title").fill("Regionale Beratungstage")
    page.locator("#id_responsible").select_option(str(world.council.pk))
    page.locator("#id_start_date").fill(datetime.date(2026, 1, 1).isoformat())
    page.locator("#id_end_date").fill(datetime.date(2027, 12, 31).isoformat())
    _submit(portal)
    measure = Goal.objects.get(title="Regionale Beratungstage")
    assert measure.level == Level.MEASURE
    assert list(measure.responsible.all()) == [world.council]

    # Adopt the draft: a confirmation page, then the frozen version.
    portal.goto(f"/strategie/{draft.pk}/beschliessen/")
    portal.check()
    _submit(portal)
    draft.refresh_from_db()
    assert draft.status == StrategyStatus.ADOPTED
    portal.check()
    portal.log_out()

    # The coordinator finds the measure under "My measures" and reports 40 %.
    portal.log_in("coordinator", PASSWORD)
    portal.goto("/strategie/meine-massnahmen/")
    portal.check()
    with page.expect_navigation():
        page.locator(f"a[href$='/strategie/massnahmen/{measure.pk}/berichte/neu/']").click()
    portal.check()
    page.locator("#id_percent").fill("40")
    page.locator("#id_status").select_option("running")
    page.locator("#id_text").fill("Zwei von fünf Beratungstagen haben stattgefunden.")
    _submit(portal)
    report = ProgressReport.objects.get(measure=measure)
    assert report.percent == 40
    assert report.organisation == world.council

    # Every parent shows the rolled-up 40 %.
    portal.goto(draft.get_absolute_url())
    portal.check()
    for goal in (guiding, strategic, operational, measure):
        shown = page.locator(f"#goal-{goal.pk} .tree-progress span").first.inner_text()
        assert shown.replace("\u00a0", " ") == "40 %", (goal.title, shown)
