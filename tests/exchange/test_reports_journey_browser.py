"""Issue 5's report journey in a real browser, with axe on every page.

The state staff set a reporting period; the NGO writes its report (texts, topics, regions,
resources) and submits it; the network reads it, also in the digest; the staff see who has
reported, return the report with a question; the NGO answers and submits again; the staff
accept it.
"""

from __future__ import annotations

import datetime

import pytest

from councils.topics import Topic
from exchange import reports
from exchange.models import ExchangeReport, ReportingPeriod
from exchange.models import ReportStatus as R
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401 (fixtures)
from tests.conftest import World
from tests.exchange.world_reports import attach, exchange_world, representative

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


def _click(on: PortalPage, selector: str) -> None:
    """Click and wait for the next page, then check it (axe, one h1, no console errors)."""
    with on.page.expect_navigation():
        on.page.locator(selector).first.click()
    on.check()


def test_a_report_from_the_period_to_its_acceptance(world: World, portal: PortalPage) -> None:  # noqa: F811
    page = portal.page
    today = datetime.date.today()
    region = world.council.region
    assert region is not None

    # The state staff set the period.
    portal.log_in("state-staff", PASSWORD)
    portal.goto("/austausch/berichtszeitraeume/")
    portal.check()
    _click(portal, "main a[href$='/berichtszeitraeume/neu/']")
    page.locator("#id_title").fill("Halbjahr der Reise")
    page.locator("#id_starts_on").fill((today - datetime.timedelta(days=180)).isoformat())
    page.locator("#id_ends_on").fill((today - datetime.timedelta(days=1)).isoformat())
    page.locator("#id_due_on").fill((today + datetime.timedelta(days=30)).isoformat())
    _click(portal, "main form button[type='submit']")
    period = ReportingPeriod.objects.get(title="Halbjahr der Reise")
    assert period.state == world.state
    portal.log_out()

    # The NGO writes the report, saves the draft and submits it.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto("/austausch/berichtszeitraeume/")
    portal.check()
    _click(portal, f"main form[action$='/berichtszeitraeume/{period.pk}/bericht/'] button")
    report = ExchangeReport.objects.get(period=period, ngo=world.ngo)
    page.locator("#id_activities").fill("Zwölf Informationsabende in Hameln und Lüneburg.")
    page.locator("#id_findings").fill("Abends kommen mehr Ehrenamtliche.")
    page.locator("#id_needs").fill("Räume in Lüneburg.")
    page.locator(f"input[name='topics'][value='{Topic.VICTIMS}']").check()
    page.locator(f"input[name='regions'][value='{region.pk}']").check()
    page.locator("#id_resources-0-kind").select_option("speakers")
    page.locator("#id_resources-0-title").fill("Referentin Opferschutz")
    _click(portal, "main button[name='add_resource']")
    assert page.locator("#id_activities").input_value().startswith("Zwölf")
    page.locator("#id_resources-2-kind").select_option("rooms")
    page.locator("#id_resources-2-title").fill("Beratungsraum Hannover")
    _click(portal, "main button[name='action'][value='save']")
    assert ExchangeReport.objects.get(pk=report.pk).resources.count() == 2
    _click(portal, "main button[name='action'][value='submit']")
    _click(portal, "main form button[type='submit']")
    assert ExchangeReport.objects.get(pk=report.pk).status == R.SUBMITTED
    portal.log_out()

    # The network of the state reads it: the period, the list, the report, the digest.
    portal.log_in("coordinator", PASSWORD)
    portal.goto(f"/austausch/berichtszeitraeume/{period.pk}/")
    portal.check()
    _click(portal, f"main a[href$='/berichte/{report.pk}/']")
    assert "Referentin Opferschutz" in page.locator("main").inner_text()
    portal.goto("/austausch/berichte/")
    portal.check()
    page.locator("#id_topic").select_option(Topic.VICTIMS)
    _click(portal, "main form[method='get'] button[type='submit']")
    assert page.locator(f"main a[href$='/berichte/{report.pk}/']").count() == 1
    portal.goto(f"/austausch/berichtszeitraeume/{period.pk}/uebersicht/")
    portal.check()
    assert "Räume in Lüneburg." in page.locator("main").inner_text()
    portal.log_out()

    # The staff see who has reported and return the report with a question.
    portal.log_in("state-staff", PASSWORD)
    portal.goto(f"/austausch/berichtszeitraeume/{period.pk}/")
    portal.check()
    assert page.locator("#compliance-table").is_visible()
    _click(portal, "#compliance-table a[href*='o=-']")  # sort by a column heading
    portal.goto(f"/austausch/berichte/{report.pk}/")
    portal.check()
    _click(portal, f"main a[href$='/berichte/{report.pk}/rueckfrage/']")
    page.locator("#id_question").fill("Wie viele Ehrenamtliche kamen?")
    _click(portal, "main form button[type='submit']")
    assert ExchangeReport.objects.get(pk=report.pk).status == R.RETURNED
    portal.log_out()

    # The NGO answers and submits again.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto(f"/austausch/berichte/{report.pk}/")
    portal.check()
    assert "Wie viele Ehrenamtliche kamen?" in page.locator("#report-question").inner_text()
    _click(portal, f"main a[href$='/berichte/{report.pk}/einreichen/']")
    page.locator("#id_answer").fill("Insgesamt 140.")
    _click(portal, "main form button[type='submit']")
    assert ExchangeReport.objects.get(pk=report.pk).status == R.SUBMITTED
    portal.log_out()

    # The staff accept it.
    portal.log_in("state-staff", PASSWORD)
    portal.goto(f"/austausch/berichte/{report.pk}/")
    _click(portal, f"main a[href$='/berichte/{report.pk}/annehmen/']")
    _click(portal, "main form button[type='submit']")
    assert ExchangeReport.objects.get(pk=report.pk).status == R.ACCEPTED
    assert "Insgesamt 140." in page.locator("main").inner_text()


def test_the_other_report_pages_are_accessible(world: World, portal: PortalPage) -> None:  # noqa: F811
    xw = exchange_world(world)
    draft = xw.draft
    attachment = attach(draft)
    pages = {
        "ngo-representative": [
            f"/austausch/berichte/{draft.pk}/",
            f"/austausch/berichte/{draft.pk}/anlagen/",
            f"/austausch/berichte/{draft.pk}/anlagen/{attachment.pk}/loeschen/",
            f"/austausch/berichtszeitraeume/{xw.period.pk}/",
        ],
        "state-staff": [
            f"/austausch/berichtszeitraeume/{xw.period.pk}/bearbeiten/",
            f"/austausch/berichtszeitraeume/{xw.period.pk}/?status=missing",  # nothing matches
            f"/austausch/berichte/{xw.submitted.pk}/annehmen/",
        ],
        "member": ["/austausch/berichte/?region=999999"],  # an invalid filter
    }
    for username, paths in pages.items():
        portal.log_in(username, PASSWORD)
        for path in paths:
            portal.goto(path)
            portal.check()
        portal.log_out()

    # An incomplete report lists what is missing, with links to the fields.
    portal.log_in("ngo-representative", PASSWORD)
    portal.goto(f"/austausch/berichte/{draft.pk}/bearbeiten/")
    portal.page.locator("#id_findings").fill("")
    _click(portal, "main button[name='action'][value='submit']")
    assert portal.page.locator("#error-summary").is_visible()

    # A co-editor saved meanwhile: the text typed here is kept, both versions are shown.
    portal.goto(f"/austausch/berichte/{draft.pk}/bearbeiten/")
    colleague = representative(world.ngo, "kollegin")
    stored = ExchangeReport.objects.get(pk=draft.pk)
    reports.report_update(
        report=stored, by=colleague, version=stored.version, activities="Text der Kollegin"
    )
    portal.page.locator("#id_activities").fill("Mein Text")
    _click(portal, "main button[name='action'][value='save']")
    assert portal.page.locator("#saved-version").is_visible()
    assert portal.page.locator("#id_activities").input_value() == "Mein Text"
