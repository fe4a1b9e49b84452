"""Issue 5's offer journey in a real browser, with axe on every page.

The NGO publishes an offer; a council coordinator finds it in the catalogue by region and
asks for it; the NGO proposes another date, the council agrees, the NGO marks it done and
the council rates it; the state staff read the coverage.
"""

from __future__ import annotations

import datetime

import pytest

from councils.topics import Topic
from exchange.models import Offer, OfferRequest
from exchange.models import OfferRequestStatus as RS
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World
from tests.exchange.world_offers import offers_world

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def _click(on: PortalPage, selector: str) -> None:
    """Click and wait for the next page, then check it (axe, one h1, no console errors)."""
    with on.page.expect_navigation():
        on.page.locator(selector).first.click()
    on.check()


def _submit_page_form(on: PortalPage) -> None:
    """Submit the page's own form (no action attribute: it posts to the page itself)."""
    _click(on, "main form:not([action]) button[type='submit']")


def test_an_offer_from_publication_to_rating(world: World, portal: PortalPage) -> None:  # noqa: F811
    page = portal.page
    region = world.council.region
    assert region is not None
    later = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()

    # The NGO publishes a training in the council's region.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto("/austausch/angebote/neu/")
    portal.check()
    page.locator("#id_kind").select_option("training")
    page.locator("#id_title").fill("Schulung Erstkontakt mit Betroffenen")
    page.locator("#id_description").fill("Ein halber Tag Gesprächsführung für Ehrenamtliche.")
    page.locator(f"input[name='topics'][value='{Topic.VICTIMS}']").check()
    page.locator("#id_audience").fill("Ehrenamtliche")
    page.locator(f"input[name='regions'][value='{region.pk}']").check()
    page.locator("#id_contact_email").fill("kontakt@opferhilfe.example.org")
    _submit_page_form(portal)
    offer = Offer.objects.get(title="Schulung Erstkontakt mit Betroffenen")
    assert offer.is_active and offer.provider == world.ngo
    portal.goto("/austausch/angebote/eigene/")
    portal.check()
    portal.log_out()

    # The coordinator finds it by region and asks for it.
    portal.log_in("coordinator", PASSWORD)
    portal.goto("/austausch/angebote/")
    portal.check()
    page.locator("#id_region").select_option(str(region.pk))
    _click(portal, "main form[method='get'] button[type='submit']")
    _click(portal, f"main a[href$='/angebote/{offer.pk}/']")
    _click(portal, f"main a[href$='/angebote/{offer.pk}/anfragen/']")
    page.locator("#id_group").fill("Ehrenamtliche der Nachbarschaftshilfe")
    page.locator("#id_note").fill("Gern an einem Samstag.")
    _submit_page_form(portal)
    offer_request = OfferRequest.objects.get(offer=offer)
    assert offer_request.status == RS.REQUESTED
    portal.log_out()

    # The NGO proposes another date.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto("/austausch/anfragen/")
    portal.check()
    _click(portal, f"main a[href$='/anfragen/{offer_request.pk}/']")
    _click(portal, f"main a[href$='/anfragen/{offer_request.pk}/termin-vorschlagen/']")
    page.locator("#id_proposed_date").fill(later)
    page.locator("#id_note").fill("Samstags sind wir schon ausgebucht.")
    _submit_page_form(portal)
    assert OfferRequest.objects.get(pk=offer_request.pk).status == RS.DATE_PROPOSED
    portal.log_out()

    # The council agrees to the date.
    portal.log_in("coordinator", PASSWORD)
    portal.goto(f"/austausch/anfragen/{offer_request.pk}/")
    portal.check()
    _click(portal, f"main form[action$='/anfragen/{offer_request.pk}/termin-annehmen/'] button")
    assert OfferRequest.objects.get(pk=offer_request.pk).status == RS.ACCEPTED
    portal.log_out()

    # The NGO marks it done after it took place.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto(f"/austausch/anfragen/{offer_request.pk}/")
    _click(portal, f"main form[action$='/anfragen/{offer_request.pk}/abschliessen/'] button")
    assert OfferRequest.objects.get(pk=offer_request.pk).status == RS.DONE
    portal.log_out()

    # The council rates it.
    portal.log_in("coordinator", PASSWORD)
    portal.goto(f"/austausch/anfragen/{offer_request.pk}/")
    _click(portal, f"main a[href$='/anfragen/{offer_request.pk}/bewerten/']")
    page.locator("input[name='rating'][value='5']").check()
    page.locator("#id_comment").fill("Sehr praxisnah.")
    _submit_page_form(portal)
    rated = OfferRequest.objects.get(pk=offer_request.pk)
    assert (rated.rating, rated.events.count()) == (5, 5)
    assert "Sehr praxisnah." in page.locator("main").inner_text()
    portal.log_out()

    # The state staff read the coverage: the Lüneburg region has no offer at all.
    portal.log_in("state-staff", PASSWORD)
    portal.goto("/austausch/abdeckung/")
    portal.check()
    gaps = page.locator("#coverage-gaps").inner_text()
    assert "Lüneburg" in gaps


def test_the_other_offer_pages_are_accessible(world: World, portal: PortalPage) -> None:  # noqa: F811
    ow = offers_world(world)
    requested, done = ow.requested, ow.done
    offer = ow.offer
    pages = {
        "ngo-representative": [
            f"/austausch/angebote/{offer.pk}/",
            f"/austausch/angebote/{offer.pk}/bearbeiten/",
            f"/austausch/angebote/{offer.pk}/verbergen/",
            f"/austausch/angebote/{ow.draft_offer.pk}/",
            f"/austausch/anfragen/{requested.pk}/",
            f"/austausch/anfragen/{requested.pk}/ablehnen/",
            "/austausch/anfragen/?status=requested&status=done",
        ],
        "coordinator": [
            "/austausch/angebote/?kind=material",  # nothing matches
            f"/austausch/anfragen/{requested.pk}/zurueckziehen/",
            f"/austausch/anfragen/{done.pk}/",
        ],
        "state-staff": ["/austausch/abdeckung/?kind=training&topic=victims"],
    }
    for username, paths in pages.items():
        portal.log_in(username, PASSWORD)
        for path in paths:
            portal.goto(path)
            portal.check()
        portal.log_out()

    # A form with errors keeps its input and stays accessible.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto("/austausch/angebote/neu/")
    portal.page.locator("#id_title").fill("Ohne Regionen")
    _submit_page_form(portal)
    assert portal.page.locator("#error-summary").is_visible()
    assert portal.page.locator("#id_title").input_value() == "Ohne Regionen"
