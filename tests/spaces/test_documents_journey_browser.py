"""The council documents in a real browser at a laptop's and a phone's width, with axe.

The coordinator uploads the annual report as a public document, finds it in the list with the
type filter, opens the replace form and the delete confirmation; an anonymous visitor reads it
on the council's public page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from spaces.models import CouncilDocument
from tests.browser.conftest import TIMEOUT_MS, PortalPage, browser  # noqa: F401 (fixtures)
from tests.conftest import World
from tests.spaces.world_documents import PDF, upload_document

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"


@pytest.fixture(params=[{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def sized(
    request: pytest.FixtureRequest,
    browser: Browser,  # noqa: F811
    live_server: Any,
) -> Iterator[PortalPage]:
    context = browser.new_context(locale="de-DE", viewport=request.param)
    context.set_default_timeout(TIMEOUT_MS)
    yield PortalPage(context.new_page(), live_server.url)
    context.close()


def _fits(portal: PortalPage) -> None:
    """No sideways scrolling of the whole page; one h1, axe and no console errors."""
    width = portal.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{portal.path()} scrolls sideways: {width[0]} > {width[1]} px"
    portal.check()


def test_a_document_from_upload_to_the_public_page(
    world: World, sized: PortalPage, tmp_path: Path
) -> None:
    page = sized.page
    council = world.council
    upload_document(council, world.users["coordinator"], title="Geschäftsordnung")
    report = tmp_path / "Jahresbericht 2025.pdf"
    report.write_bytes(PDF)

    sized.log_in("coordinator", PASSWORD)
    sized.goto(f"/raete/{council.pk}/dokumente/")
    _fits(sized)
    with page.expect_navigation():
        page.get_by_role("link", name="Dokument hochladen").click()
    _fits(sized)
    page.locator("#id_title").fill("Jahresbericht 2025")
    page.locator("#id_description").fill("Was der Rat 2025 angestoßen hat.")
    page.locator("input[name='visibility'][value='public']").check()
    page.locator("#id_file").set_input_files(str(report))
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()
    _fits(sized)
    assert "Das Dokument „Jahresbericht 2025“ wurde hochgeladen." in page.content()
    document = CouncilDocument.objects.get(title="Jahresbericht 2025")

    # A wrong file keeps what was typed and names the problem.
    sized.goto(f"/raete/{council.pk}/dokumente/hochladen/")
    fake = tmp_path / "bericht.pdf"
    fake.write_bytes(b"<!DOCTYPE html><html><body>nein</body></html>")
    page.locator("#id_title").fill("Falsche Datei")
    page.locator("#id_file").set_input_files(str(fake))
    with page.expect_navigation():
        page.locator("main form button[type='submit']").click()
    _fits(sized)
    assert "enthält HTML oder SVG" in page.content()
    assert page.locator("#id_title").input_value() == "Falsche Datei"

    sized.goto(f"/raete/{council.pk}/dokumente/?kind=pdf&visibility=public&o=title")
    _fits(sized)
    assert page.locator("tbody tr").count() == 1
    sized.goto(f"/raete/{council.pk}/dokumente/{document.pk}/bearbeiten/")
    _fits(sized)
    sized.goto(f"/raete/{council.pk}/dokumente/{document.pk}/loeschen/")
    _fits(sized)
    page.context.clear_cookies()  # signed out (the phone hides the user menu in the toggler)

    sized.goto(f"/raete/{council.pk}/oeffentlich/dokumente/")
    _fits(sized)
    assert page.locator("tbody tr").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Jahresbericht 2025").click()
    assert download.value.suggested_filename == "Jahresbericht 2025.pdf"
