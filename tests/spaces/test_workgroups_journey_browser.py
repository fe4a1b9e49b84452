"""Issue 11's working-group journey in a real browser, with axe on every page.

The coordinator forms a working group, invites an expert of an NGO of the same state, starts
the group and records a meeting; the group's lead uploads the action concept; the expert finds
the group among their working groups; the state staff read the focus topics per region.
"""

from __future__ import annotations

from typing import Any

import pytest

from spaces.models import WorkingGroup
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.browser.test_layout import assert_fits
from tests.conftest import World
from tests.spaces.world_workgroups import PDF, groups_world

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def _click(on: PortalPage, selector: str) -> None:
    """Click and wait for the next page, then check it (axe, one h1, no console errors)."""
    with on.page.expect_navigation():
        on.page.locator(selector).first.click()
    on.check()


def test_a_working_group_from_forming_to_the_action_concept(
    world: World,
    portal: PortalPage,  # noqa: F811
    tmp_path: object,
) -> None:
    page = portal.page
    _ = groups_world(world).analysis  # the council's analysis and topics
    expert = world.users["ngo_representative"]

    portal.log_in("coordinator", PASSWORD)
    portal.goto(f"/raete/{world.council.pk}/arbeitsgruppen/")
    portal.check()
    _click(portal, f"main a[href$='/raete/{world.council.pk}/arbeitsgruppen/neu/']")
    page.locator("#id_topic").fill("Verkehrssicherheit")
    page.locator("#id_mandate").fill("Ein Handlungskonzept für sichere Schulwege erarbeiten.")
    page.locator("#id_starts_on").fill("2026-01-15")
    page.locator("#id_planned_end").fill("2027-06-30")
    page.locator("#id_lead").select_option(str(world.users["member"].pk))
    page.locator(f"input[name='members'][value='{world.users['member'].pk}']").check()
    _click(portal, "main form:not([action]) button[type='submit']")
    group = WorkingGroup.objects.get(topic="Verkehrssicherheit")

    page.locator("#id_invite_email").fill(expert.email)
    _click(portal, "main form[action$='/experten/einladen/'] button[type='submit']")
    assert expert.has_perm("spaces.take_part_workinggroup", group)
    _click(portal, "main form[action$='/status/start/'] button[type='submit']")
    _click(portal, "main a[href$='/sitzungen/neu/']")
    page.locator("#id_starts_at").fill("2026-02-03T18:00")
    page.locator("#id_place").fill("Rathaus Hameln")
    _click(portal, "main form:not([action]) button[type='submit']")
    portal.log_out()

    # The lead uploads the action concept.
    concept = tmp_path / "handlungskonzept.pdf"  # type: ignore[operator]
    concept.write_bytes(PDF)
    portal.log_in("member", PASSWORD)
    portal.goto(group.get_absolute_url())
    portal.check()
    _click(portal, "main a[href$='/ergebnis/']")
    page.locator("#id_title").fill("Handlungskonzept Schulwege")
    page.locator("#id_file").set_input_files(str(concept))
    _click(portal, "main form:not([action]) button[type='submit']")
    group.refresh_from_db()
    assert group.status == "active" and group.result_title == "Handlungskonzept Schulwege"
    portal.log_out()

    # The expert finds the group, and only it.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto("/arbeitsgruppen/")
    portal.check()
    _click(portal, f"main a[href$='{group.get_absolute_url()}']")
    assert "Handlungskonzept Schulwege" in page.content()
    portal.log_out()

    # The state staff see the topics per region.
    portal.log_in("state-staff", PASSWORD)
    portal.goto("/schwerpunkte/")
    portal.check()
    assert "Präventionsrat Hameln" in page.content()
    _click(portal, "main a[href*='/schwerpunkte/katalog/']")


def _phone(shared: Any, live_server: Any) -> tuple[Any, PortalPage]:
    context = shared.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    return context, PortalPage(context.new_page(), live_server.url)


def test_the_pages_fit_a_phone(world: World, browser: Any, live_server: Any) -> None:  # noqa: F811
    gw = groups_world(world)
    group = gw.group
    _ = gw.meeting, gw.analysis
    council = world.council.pk
    pages = {
        "coordinator": (
            f"/raete/{council}/arbeitsgruppen/",
            group.get_absolute_url(),
            f"/raete/{council}/arbeitsgruppen/{group.pk}/bearbeiten/",
            f"/raete/{council}/schwerpunkte/",
            "/arbeitsgruppen/",
        ),
        "state-staff": ("/schwerpunkte/", "/schwerpunkte/katalog/"),
    }
    for username, urls in pages.items():
        context, phone = _phone(browser, live_server)
        try:
            phone.log_in(username, PASSWORD)
            for url in urls:
                phone.goto(url)
                assert_fits(phone)
        finally:
            context.close()
