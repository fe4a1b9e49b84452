"""Browser journeys through the demo: every account, the public pages, forms with errors, languages.

Each page visited is checked with axe (WCAG 2.1 A and AA), must answer below 400, must have exactly
one h1 and must not log an error in the browser console (for example a CSP violation).
"""

from __future__ import annotations

import pytest
from django.conf import settings

from councils.models import StateNetwork

from .conftest import PortalPage

# One demo for the module (demo_server), so its tests stay on one worker.
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.xdist_group("demo-journeys")]


@pytest.fixture
def portal(demo_portal: PortalPage) -> PortalPage:
    """A fresh tab on the module's shared demo (not on an empty live server)."""
    return demo_portal


#: The demo accounts of DESIGN.md section 6.
DEMO_USERNAMES = (
    "plattform",
    "lpr-admin",
    "lpr-referent",
    "lpr-referentin2",
    "kpr-koordination",
    "kpr-mitglied",
    "ngo-vertretung",
    "mv-referent",
    "rostock-koordination",
)


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_each_demo_account_walks_its_main_navigation(portal: PortalPage, username: str) -> None:
    portal.log_in(username, settings.DEMO_PASSWORD)
    assert portal.path() == "/dashboard/", f"{username} landed on {portal.path()}"
    portal.check()

    checked = {portal.page.url}
    links = portal.main_navigation_links()
    assert len(links) > 1, f"the main navigation has no links but {links}"
    for url in links:
        if url not in checked:
            portal.goto(url)
            portal.check()
            checked.add(url)

    portal.goto("/dashboard/")
    portal.log_out()
    assert portal.path() == "/", f"after logging out {username} is on {portal.path()}"
    assert portal.page.locator("header a[href$='/accounts/login/']").count() == 1
    response = portal.page.goto(portal.url("/dashboard/"))
    assert response is not None
    assert portal.path().startswith("/accounts/login/"), "the dashboard is open after logging out"


def test_public_pages_as_anonymous(portal: PortalPage) -> None:
    state = StateNetwork.objects.filter(is_active=True).order_by("name").first()
    assert state is not None, "the demo has no active state network"
    for path in (
        "/",
        "/verzeichnis/",
        f"/verzeichnis/{state.slug}/",
        "/impressum/",
        "/barrierefreiheit/",
        "/accounts/login/",
        "/accounts/password_reset/",
    ):
        portal.goto(path)
        portal.check()


def test_login_with_a_wrong_password_shows_an_accessible_error(portal: PortalPage) -> None:
    portal.log_in("lpr-referent", "not-the-password")

    assert portal.path().startswith("/accounts/login/")
    summary = portal.page.locator(".error-summary")
    assert summary.count() == 1, "the login page shows no error summary"
    assert portal.page.locator("input[name='username']").input_value() == "lpr-referent"
    portal.check()


def test_password_change_with_mismatched_passwords_shows_accessible_errors(
    portal: PortalPage,
) -> None:
    portal.log_in("kpr-mitglied", settings.DEMO_PASSWORD)
    portal.goto("/accounts/password_change/")
    portal.check()

    form = portal.page.locator("main form[method='post']")
    form.locator("input[name='old_password']").fill(settings.DEMO_PASSWORD)
    form.locator("input[name='new_password1']").fill("Ein-langes-Passwort-2026")
    form.locator("input[name='new_password2']").fill("Ein-anderes-Passwort-2026")
    with portal.page.expect_navigation():
        form.locator("button[type='submit']").click()

    assert portal.path() == "/accounts/password_change/"
    assert portal.page.locator(".error-summary").count() == 1
    new_password2 = portal.page.locator("input[name='new_password2']")
    assert new_password2.get_attribute("aria-invalid") == "true"
    portal.check()


def test_language_switcher_changes_the_page_language(portal: PortalPage) -> None:
    portal.goto("/impressum/")
    assert portal.html_lang() == "de"

    switcher = portal.page.locator("footer form[action$='/i18n/setlang/']")
    switcher.locator("select[name='language']").select_option("en")
    with portal.page.expect_navigation():
        switcher.locator("button[type='submit']").click()

    assert portal.path() == "/impressum/", "the switcher did not return to the same page"
    assert portal.html_lang() == "en"
    portal.check()

    portal.goto("/")
    assert portal.html_lang() == "en", "the chosen language did not stick"
