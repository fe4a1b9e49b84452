"""The event journey in a real browser, with axe on every page.

The coordinator plans an event, a member registers, the coordinator reads and downloads the
participant list; every other page of the events is opened by the role that uses it.
"""

from __future__ import annotations

import datetime

import pytest

from spaces.models import Event, Registration, RegistrationStatus
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World
from tests.spaces.world_events import events_world

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def _click(on: PortalPage, selector: str) -> None:
    with on.page.expect_navigation():
        on.page.locator(selector).first.click()
    on.check()


def test_plan_register_and_download_the_participants(world: World, portal: PortalPage) -> None:  # noqa: F811
    page = portal.page
    day = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

    portal.log_in("coordinator", PASSWORD)
    portal.goto("/veranstaltungen/")
    portal.check()
    _click(portal, f"main a[href$='/raete/{world.council.pk}/veranstaltungen/neu/']")
    page.locator("#id_kind").select_option("forum")
    page.locator("#id_title").fill("Präventionsforum Hameln 2027")
    page.locator("#id_starts_at").fill(f"{day}T09:30")
    page.locator("#id_ends_at").fill(f"{day}T16:00")
    page.locator("#id_location").fill("Kreishaus Hameln")
    page.locator("#id_audience").select_option("network")
    page.locator("#id_capacity").fill("50")
    _click(portal, "main form[method='post'] button[type='submit']")
    event = Event.objects.get(title="Präventionsforum Hameln 2027")
    assert portal.path() == f"/veranstaltungen/{event.pk}/"
    portal.log_out()

    portal.log_in("member", PASSWORD)
    portal.goto(f"/veranstaltungen/{event.pk}/")
    portal.check()
    _click(portal, f"main form[action$='/veranstaltungen/{event.pk}/anmelden/'] button")
    assert Registration.objects.get(event=event).status == RegistrationStatus.REGISTERED
    assert "Sie sind angemeldet." in page.locator("main").inner_text()
    portal.log_out()

    portal.log_in("coordinator", PASSWORD)
    portal.goto(f"/veranstaltungen/{event.pk}/")
    _click(portal, f"main a[href$='/veranstaltungen/{event.pk}/teilnehmende/']")
    assert world.users["member"].get_full_name() in page.locator("main").inner_text()
    with page.expect_download() as download_info:
        page.locator(f"main a[href$='/veranstaltungen/{event.pk}/teilnehmende.csv']").click()
    path = download_info.value.path()
    assert path is not None
    with open(path, encoding="utf-8-sig") as handle:
        assert world.users["member"].last_name in handle.read()


def test_the_other_event_pages_are_accessible(world: World, portal: PortalPage) -> None:  # noqa: F811
    ew = events_world(world)
    meeting, forum = ew.meeting, ew.forum
    ew.seminar  # noqa: B018
    portal.page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/", "/kalender/", f"/veranstaltungen/{forum.pk}/"):
        portal.goto(path)
        portal.check()
        # Nothing sticks out sideways at a phone's width.
        assert portal.page.evaluate("document.documentElement.scrollWidth <= 390")
    portal.page.set_viewport_size({"width": 1280, "height": 900})
    pages = {
        "coordinator": [
            f"/raete/{world.council.pk}/veranstaltungen/",
            f"/raete/{world.council.pk}/veranstaltungen/?zeit=vergangen",
            f"/veranstaltungen/{meeting.pk}/",
            f"/veranstaltungen/{meeting.pk}/bearbeiten/",
            f"/veranstaltungen/{meeting.pk}/dateien/",
            f"/veranstaltungen/{meeting.pk}/dateien/tagesordnung/entfernen/",
            f"/veranstaltungen/{meeting.pk}/absagen/",
            f"/veranstaltungen/{meeting.pk}/teilnehmende/",
        ],
        "member": [
            "/veranstaltungen/",
            f"/veranstaltungen/{meeting.pk}/",
            f"/veranstaltungen/{meeting.pk}/abmelden/",
            "/kalender/abo/",
            "/kalender/abo/erneuern/",
            "/kalender/abo/widerrufen/",
        ],
    }
    for username, paths in pages.items():
        portal.log_in(username, PASSWORD)
        for path in paths:
            portal.goto(path)
            portal.check()
        if username == "member":
            with portal.page.expect_navigation():
                portal.page.locator("main form button[type='submit']").first.click()
            portal.goto("/kalender/abo/")
            portal.check()
        portal.log_out()
