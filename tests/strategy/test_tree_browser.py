"""The tree pages in a real browser: keyboard-operable edits, axe finds nothing, no CSP errors."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from strategy import services
from strategy.models import Goal, Indicator, Level, Strategy
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World

from .factories import strategy_world

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def test_state_staff_edit_the_draft_tree_by_keyboard(world: World, portal: PortalPage) -> None:  # noqa: F811
    sw = strategy_world(world)
    operational = sw.draft.goals.get(level=Level.OPERATIONAL_GOAL)
    portal.log_in("state-staff", PASSWORD)

    portal.goto("/strategie/")
    portal.check()
    portal.goto(sw.draft.get_absolute_url())
    portal.check()

    # Add a measure below the operational goal, all by keyboard.
    portal.goto(f"/strategie/{sw.draft.pk}/ziele/neu/?parent={operational.pk}")
    portal.check()
    page = portal.page
    page.locator("#id_title").fill("Fortbildung für Geschäftsstellen")
    page.locator("#id_responsible").select_option(str(world.council.pk))
    page.locator("#id_weight").fill("-2")
    with page.expect_navigation():
        page.locator("#id_weight").press("Enter")
    assert page.locator("#error-summary").count() == 1
    portal.check()
    page.locator("#id_weight").fill("2")
    with page.expect_navigation():
        page.locator("#id_weight").press("Enter")
    new = Goal.objects.get(title="Fortbildung für Geschäftsstellen")
    assert list(new.responsible.all()) == [world.council]

    # Move it up with the keyboard: focus the button and press Enter.
    up = page.locator(f"#goal-{new.pk} form button").first
    up.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    new.refresh_from_db()
    first = operational.children.order_by("position", "pk").first()
    assert first == new
    portal.check()

    for path in (
        new.get_absolute_url(),
        f"/strategie/ziele/{new.pk}/bearbeiten/",
        f"/strategie/ziele/{new.pk}/verschieben/",
        f"/strategie/ziele/{new.pk}/loeschen/",
        f"/strategie/{sw.draft.pk}/beschliessen/",
        f"/strategie/{sw.draft.pk}/bearbeiten/",
        "/strategie/neu/",
    ):
        portal.goto(path)
        portal.check()


def test_the_network_reads_the_adopted_tree_and_compare(world: World, portal: PortalPage) -> None:  # noqa: F811
    sw = strategy_world(world)
    portal.log_in("state-staff", PASSWORD)
    portal.goto(sw.adopted.get_absolute_url())
    with portal.page.expect_navigation():
        portal.page.get_by_role("button", name="Neue Version beginnen").or_(
            portal.page.get_by_role("button", name="Start a new version")
        ).click()
    portal.check()
    copy = Strategy.objects.get(predecessor=sw.adopted)
    measure = copy.goals.select_related("strategy").get(level=Level.MEASURE)
    services.goal_update(goal=measure, title="Überarbeitete Maßnahme", weight=Decimal("2"))
    services.goal_create(strategy=copy, parent=measure.parent, title="Neue Maßnahme")
    portal.goto(f"/strategie/{copy.pk}/vergleich/")
    assert portal.page.locator("table").count() == 1
    portal.check()

    # A goal with indicators and links, read by a council member.
    Indicator.objects.create(
        goal=sw.operational,
        name="Beratene Räte",
        unit="Räte",
        baseline=Decimal("0"),
        baseline_date=datetime.date(2026, 1, 1),
        target=Decimal("20"),
        target_date=datetime.date(2027, 1, 1),
    )
    services.goal_link_add(goal=sw.operational, obj=world.council)
    portal.goto("/strategie/")
    portal.log_out()
    portal.log_in("member", PASSWORD)
    portal.goto(sw.operational.get_absolute_url())
    assert portal.page.get_by_text("Beratene Räte").count() == 1
    portal.check()
    portal.goto(sw.adopted.get_absolute_url())
    portal.check()
