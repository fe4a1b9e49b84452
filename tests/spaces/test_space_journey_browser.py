"""Issue 11's journey through a council's space in one go, with axe on every page.

The coordinator finds the space from the council page, forms a working group and invites an
expert of an NGO of the same state, plans an event; a member finds it on the dashboard and
registers; the coordinator downloads the participant list from the dashboard's event. The
single steps are covered in detail by the working-group and event journeys; this one walks the
links that join them (the council page's space card and the dashboard's blocks).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from spaces.models import Event, Registration, RegistrationStatus, WorkingGroup
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def _click(on: PortalPage, selector: str) -> None:
    """Click and wait for the next page, then check it (axe, one h1, no console errors)."""
    with on.page.expect_navigation():
        on.page.locator(selector).first.click()
    on.check()


def test_group_expert_event_registration_and_participant_list(
    world: World,
    portal: PortalPage,  # noqa: F811
) -> None:
    page = portal.page
    council = world.council.pk
    expert = world.users["ngo_representative"]  # an NGO of the same state
    today = datetime.date.today()
    day = (today + datetime.timedelta(days=21)).isoformat()

    portal.log_in("coordinator", PASSWORD)
    portal.check()
    portal.goto(reverse("councils:organisation_detail", args=[council]))
    portal.check()

    # The working group, from the council page's space card.
    _click(portal, f"#council-space-heading ~ ul a[href$='/raete/{council}/arbeitsgruppen/']")
    _click(portal, f"main a[href$='/raete/{council}/arbeitsgruppen/neu/']")
    page.locator("#id_topic").fill("Suchtprävention an Schulen")
    page.locator("#id_mandate").fill("Ein Handlungskonzept für die Schulen des Kreises.")
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_planned_end").fill((today + datetime.timedelta(days=120)).isoformat())
    page.locator("#id_lead").select_option(str(world.users["member"].pk))
    _click(portal, "main form:not([action]) button[type='submit']")
    group = WorkingGroup.objects.get(topic="Suchtprävention an Schulen")
    page.locator("#id_invite_email").fill(expert.email)
    _click(portal, "main form[action$='/experten/einladen/'] button[type='submit']")
    assert expert.has_perm("spaces.take_part_workinggroup", group)
    _click(portal, "main form[action$='/status/start/'] button[type='submit']")

    # The event, from the council page's space card.
    portal.goto(reverse("councils:organisation_detail", args=[council]))
    _click(portal, f"#council-space-heading ~ ul a[href$='/raete/{council}/veranstaltungen/']")
    _click(portal, f"main a[href$='/raete/{council}/veranstaltungen/neu/']")
    page.locator("#id_kind").select_option("meeting")
    page.locator("#id_title").fill("Sitzung des Präventionsrats")
    page.locator("#id_starts_at").fill(f"{day}T18:00")
    page.locator("#id_ends_at").fill(f"{day}T20:00")
    page.locator("#id_location").fill("Rathaus Hameln")
    page.locator("#id_audience").select_option("members")
    _click(portal, "main form[method='post'] button[type='submit']")
    event = Event.objects.get(title="Sitzung des Präventionsrats")
    portal.log_out()

    # A member finds the event among the council's next events on the dashboard.
    portal.log_in("member", PASSWORD)
    portal.goto("/dashboard/")
    portal.check()
    _click(portal, f"#space-events-heading ~ ul a[href$='/veranstaltungen/{event.pk}/']")
    _click(portal, f"main form[action$='/veranstaltungen/{event.pk}/anmelden/'] button")
    assert Registration.objects.get(event=event).status == RegistrationStatus.REGISTERED
    portal.log_out()

    # The coordinator opens it from the dashboard and downloads the participant list.
    portal.log_in("coordinator", PASSWORD)
    portal.goto("/dashboard/")
    # The active group is on the dashboard, with its planned end.
    groups = page.locator("#space-groups-heading").locator("xpath=..").inner_text()
    assert "Suchtprävention an Schulen" in groups
    assert group.planned_end.strftime("%d.%m.%Y") in groups
    _click(portal, f"#space-events-heading ~ ul a[href$='/veranstaltungen/{event.pk}/']")
    _click(portal, f"main a[href$='/veranstaltungen/{event.pk}/teilnehmende/']")
    with page.expect_download() as download_info:
        page.locator(f"main a[href$='/veranstaltungen/{event.pk}/teilnehmende.csv']").click()
    path = download_info.value.path()
    assert path is not None
    with open(path, encoding="utf-8-sig") as handle:
        assert world.users["member"].last_name in handle.read()
