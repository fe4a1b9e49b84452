"""The funding parts of the dashboards and the statistics page in a real browser, with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World
from tests.funding.test_statistics import Funded, funded  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def test_dashboards_and_statistics_with_funding_data(
    world: World,
    funded: Funded,  # noqa: F811
    portal: PortalPage,  # noqa: F811
) -> None:
    page = portal.page

    portal.log_in("state-admin", PASSWORD)
    portal.check()  # the dashboard: waiting work, pipeline, overdue proofs, budgets
    assert page.locator("#funding-heading").is_visible()
    with page.expect_navigation():
        page.locator(f"main a[href^='{reverse('funding:statistics')}']").first.click()
    portal.check()
    assert page.locator("main table").count() == 4
    page.locator("#id_year").select_option("all")
    with page.expect_navigation():
        page.locator("main form[method='get'] button[type='submit']").click()
    portal.check()
    assert "year=all" in portal.path()
    portal.log_out()

    for username in ("coordinator", "member", "ngo-representative"):
        portal.log_in(username, PASSWORD)
        portal.check()
        portal.log_out()
