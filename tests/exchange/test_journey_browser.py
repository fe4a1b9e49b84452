"""Issue 5's journey in a real browser, with axe on every page.

An NGO representative writes and submits a report with an offered resource and turns the
resource into an offer; a council coordinator finds the offer by region and requests it; the
provider accepts; the state staff see the report in the period's digest and the region covered.
"""

from __future__ import annotations

import datetime

import pytest

from councils.topics import Topic
from exchange.models import ExchangeReport, Offer, OfferKind, OfferRequest
from exchange.models import OfferRequestStatus as RS
from exchange.models import ReportStatus as R
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World

from .factories import ReportingPeriodFactory

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def _click(on: PortalPage, selector: str) -> None:
    """Click and wait for the next page, then check it (axe, one h1, no console errors)."""
    with on.page.expect_navigation():
        on.page.locator(selector).first.click()
    on.check()


def _kind_cell(on: PortalPage, region: str, kind: str) -> str:
    """The class of the coverage cell of a region and a kind of offer."""
    column = list(OfferKind.values).index(kind)
    row = on.page.locator("#coverage-kinds tbody tr").filter(has_text=region)
    return row.locator("td").nth(column).get_attribute("class") or ""


def test_from_a_report_to_an_offer_in_use(world: World, portal: PortalPage) -> None:  # noqa: F811
    page = portal.page
    region = world.council.region
    assert region is not None
    today = datetime.date.today()
    period = ReportingPeriodFactory(
        state=world.state,
        title="1. Halbjahr",
        starts_on=today - datetime.timedelta(days=200),
        ends_on=today - datetime.timedelta(days=20),
        due_on=today + datetime.timedelta(days=10),
    )

    # Before: no offer of speakers anywhere in the state.
    portal.log_in("state-staff", PASSWORD)
    portal.goto("/austausch/abdeckung/")
    portal.check()
    assert "table-warning" in _kind_cell(portal, region.name, OfferKind.SPEAKERS)
    portal.log_out()

    # The NGO writes the report with an offered resource and submits it.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto("/austausch/berichtszeitraeume/")
    portal.check()
    _click(portal, f"main form[action$='/berichtszeitraeume/{period.pk}/bericht/'] button")
    report = ExchangeReport.objects.get(period=period, ngo=world.ngo)
    page.locator("#id_activities").fill("Acht Fortbildungen für Ehrenamtliche in der Opferhilfe.")
    page.locator("#id_findings").fill("Betroffene suchen Hilfe oft erst nach Wochen.")
    page.locator("#id_needs").fill("Ansprechpersonen in den Präventionsräten.")
    page.locator(f"input[name='topics'][value='{Topic.VICTIMS}']").check()
    page.locator(f"input[name='regions'][value='{region.pk}']").check()
    page.locator("#id_resources-0-kind").select_option("speakers")
    page.locator("#id_resources-0-title").fill("Referentin Opferschutz")
    page.locator("#id_resources-0-description").fill("Vorträge für Gremien und Schulen.")
    _click(portal, "main button[name='action'][value='submit']")
    _click(portal, "main form button[type='submit']")  # confirm the submission
    assert ExchangeReport.objects.get(pk=report.pk).status == R.SUBMITTED

    # ... and turns the resource into an offer, which it publishes.
    portal.goto(f"/austausch/berichte/{report.pk}/")
    portal.check()
    _click(portal, "main form[action*='/berichte/ressourcen/'] button[type='submit']")
    offer = Offer.objects.get(source__report=report)
    assert (offer.provider, offer.kind, offer.is_active) == (world.ngo, OfferKind.SPEAKERS, False)
    assert list(offer.regions.all()) == [region]
    _click(portal, f"main form[action$='/angebote/{offer.pk}/veroeffentlichen/'] button")
    offer.refresh_from_db()
    assert offer.is_active
    portal.log_out()

    # The coordinator finds it by region and requests it.
    portal.log_in("coordinator", PASSWORD)
    portal.goto("/austausch/angebote/")
    portal.check()
    page.locator("#id_region").select_option(str(region.pk))
    _click(portal, "main form[method='get'] button[type='submit']")
    _click(portal, f"main a[href$='/angebote/{offer.pk}/']")
    _click(portal, f"main a[href$='/angebote/{offer.pk}/anfragen/']")
    page.locator("#id_group").fill("Mitglieder des Präventionsrats")
    page.locator("#id_note").fill("Für unsere Sitzung im Frühjahr.")
    _click(portal, "main form:not([action]) button[type='submit']")
    offer_request = OfferRequest.objects.get(offer=offer)
    assert (offer_request.council, offer_request.status) == (world.council, RS.REQUESTED)
    portal.log_out()

    # The provider accepts.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto("/austausch/anfragen/")
    portal.check()
    _click(portal, f"main a[href$='/anfragen/{offer_request.pk}/']")
    _click(portal, f"main form[action$='/anfragen/{offer_request.pk}/annehmen/'] button")
    assert OfferRequest.objects.get(pk=offer_request.pk).status == RS.ACCEPTED
    portal.log_out()

    # The staff see the report in the digest and the region covered.
    portal.log_in("state-staff", PASSWORD)
    portal.goto(f"/austausch/berichtszeitraeume/{period.pk}/uebersicht/")
    portal.check()
    digest = page.locator("main").inner_text()
    assert "Referentin Opferschutz" in digest
    assert "Ansprechpersonen in den Präventionsräten." in digest
    portal.goto("/austausch/abdeckung/")
    portal.check()
    assert "table-warning" not in _kind_cell(portal, region.name, OfferKind.SPEAKERS)
