"""The council chooser of the request list in a real browser: typing asks for the matches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World
from tests.factories import OrganisationFactory
from tests.funding.factories import funding_world
from tests.funding.test_lists import bulk_requests

pytestmark = pytest.mark.browser


def test_typing_offers_the_matching_councils(world: World, portal: PortalPage) -> None:  # noqa: F811
    fw = funding_world(world)
    for n in range(25):  # more councils than the select may hold
        council = OrganisationFactory(
            state=world.state, region=world.council.region, name=f"Rat {n:03d}"
        )
        bulk_requests(fw.programme, council, 1)
    portal.log_in(world.users["state_staff"].username, "geheim-123")
    portal.goto(reverse("funding:request_list"))
    portal.page.locator("details.filter-panel").evaluate("panel => { panel.open = true; }")
    choice = portal.page.locator("#id_applicant")
    status = portal.page.locator("#id_applicant_status")
    assert choice.locator("option[value]:not([value=''])").count() == 20
    assert "20 von 27 angezeigt" in status.inner_text()
    portal.check()

    portal.page.locator("#id_applicant_name").fill("lüne")
    portal.page.wait_for_function(
        "() => document.querySelectorAll('#id_applicant option').length === 2"
    )
    assert choice.locator("option").all_inner_texts()[1] == "Präventionsrat Lüneburg"
    assert status.inner_text() == "1 zur Auswahl."
    choice.select_option(label="Präventionsrat Lüneburg")
    with portal.page.expect_navigation():
        portal.page.locator("details.filter-panel button[type='submit']").click()
    rows = portal.page.locator("main table tbody tr")
    assert rows.count() == 1
    assert "Präventionsrat Lüneburg" in rows.first.inner_text()
    portal.check()
