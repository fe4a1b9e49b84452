"""Resetting a lost second factor in a real browser, on a phone's 390 px and a laptop's 1280 px."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser

from tests.browser.conftest import TIMEOUT_MS, PortalPage, browser  # noqa: F401  (fixtures)
from tests.conftest import World, build_world

from .helpers import PASSWORD, give_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[390, 1280], ids=["phone", "laptop"])
def sized(
    request: pytest.FixtureRequest,
    browser: Browser,  # noqa: F811
    live_server: Any,
) -> Iterator[PortalPage]:
    context = browser.new_context(locale="de-DE", viewport={"width": request.param, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    yield PortalPage(context.new_page(), live_server.url)
    context.close()


def _fits(portal: PortalPage, *, main_too: bool = True) -> None:
    """On the phone the page does not scroll sideways; nothing in its main part reaches past the
    window (``main_too``; the member list's table scrolls in its own box instead).

    The header is the base template's: at 1280 px a long name in the user menu can push it out.
    """
    widths = portal.page.evaluate(
        """() => [
            document.documentElement.scrollWidth,
            Math.max(...Array.from(document.querySelectorAll('main, main *'))
                .map(e => e.getBoundingClientRect().right)),
            window.innerWidth,
        ]"""
    )
    page, main, window = widths
    if main_too:
        assert main <= window, f"{portal.path()}: main reaches {main} px in a {window} px window"
    if window <= 390:
        assert page <= window, f"{portal.path()} scrolls sideways: {page} > {window} px"
    portal.check()


def test_state_admin_resets_from_the_member_list(sized: PortalPage) -> None:
    world: World = build_world()
    person = world.users["member"]
    give_second_factor(person)
    sized.log_in(world.users["state_admin"].username, PASSWORD)
    sized.goto(reverse("councils:member_list") + f"?q={person.username}")
    link = sized.page.get_by_role("link", name=f"Zweiten Faktor zurücksetzen {person}")
    with sized.page.expect_navigation():
        link.click()
    assert sized.path() == reverse("accounts:second_factor_reset", kwargs={"pk": person.pk})
    _fits(sized)
    button = sized.page.get_by_role("button", name="Zwei-Faktor-Authentifizierung zurücksetzen")
    with sized.page.expect_navigation():
        button.click()
    assert "wurde zurückgesetzt" in sized.page.locator("main").inner_text()
    _fits(sized, main_too=False)
    assert not TOTPDevice.objects.filter(user=person).exists()
