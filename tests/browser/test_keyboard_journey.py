"""Issue 12 point 8: the portal works with the keyboard alone (BITV 2.0, WCAG 2.1.1 and 2.4.7).

A visitor reads the start page and the easy-language page, a coordinator signs in and writes and
submits a funding request through every step of the request form, and an NGO representative
writes and submits an exchange report: only with Tab, Shift+Tab, Enter, Space, the arrow keys and
typing, never with the mouse or by filling fields from the outside. The focused element must be
visibly marked, every page starts with a working skip link, and axe checks every page visited.
Reading the page (where the focus is, what a field holds) is allowed; acting on it is not.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, Page

from accounts.accessibility import rate_key
from accounts.models import AccessibilityFeedback
from councils.topics import Topic
from exchange.models import ExchangeReport
from exchange.models import ReportStatus as R
from funding.models import FundingRequest
from funding.models import RequestStatus as S
from tests.browser.conftest import TIMEOUT_MS, PortalPage
from tests.conftest import World
from tests.exchange.factories import ReportingPeriodFactory
from tests.funding.factories import make_programme

pytestmark = pytest.mark.browser

PASSWORD = "geheim-123"

#: What the focused element is, for the failure messages.
_DESCRIBE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "nothing (body)";
  const text = (e.innerText || e.value || "").trim().slice(0, 50);
  return `<${e.tagName.toLowerCase()}${e.id ? " id=" + e.id : ""}`
    + `${e.name ? " name=" + e.name : ""}> ${text}`;
}"""

#: Whether the focused element is marked: an outline or a focus ring (box shadow) is drawn.
_FOCUS_MARK = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1;
  const ring = style.boxShadow && style.boxShadow !== "none";
  const box = e.getBoundingClientRect();
  return {outline, ring, visible: box.width > 1 && box.height > 1};
}"""


class Keyboard:
    """Drives a portal page with the keyboard only, and checks what keyboard users rely on."""

    def __init__(self, portal: PortalPage) -> None:
        self.portal = portal
        self.page: Page = portal.page
        self._date_order: str | None = None

    def focused(self) -> str:
        return str(self.page.evaluate(_DESCRIBE))

    def is_focused(self, selector: str) -> bool:
        return bool(
            self.page.evaluate(
                "s => !!document.activeElement && document.activeElement.matches(s)", selector
            )
        )

    def tab_to(self, selector: str, *, max_tabs: int = 40, backwards: bool = False) -> int:
        """Press Tab (or Shift+Tab) until the element matching the selector has the focus."""
        key = "Shift+Tab" if backwards else "Tab"
        for presses in range(1, max_tabs + 1):
            self.page.keyboard.press(key)
            if self.is_focused(selector):
                return presses
        raise AssertionError(
            f"{selector} not reached with {max_tabs} × {key} on {self.portal.path()}; "
            f"the focus is on {self.focused()}"
        )

    def assert_visible_focus(self) -> None:
        mark = self.page.evaluate(_FOCUS_MARK)
        assert mark["visible"], f"the focused {self.focused()} is not visible"
        assert mark["outline"] or mark["ring"], f"the focus on {self.focused()} is not marked"

    def skip_to_main(self) -> bool:
        """A fresh page: the first Tab reaches the visible skip link, Enter moves to the content.

        A page reached through a link to ``#main`` (the next step of a form) has put the focus
        on the content already; False then.
        """
        if self.is_focused("main#main"):
            return False
        assert self.focused() == "nothing (body)", f"focus already on {self.focused()}"
        self.page.keyboard.press("Tab")
        assert self.is_focused("a.skip-link[href='#main']"), self.focused()
        self.assert_visible_focus()
        self.page.keyboard.press("Enter")
        assert self.is_focused("main#main"), f"the skip link left the focus on {self.focused()}"
        return True

    def type_into(self, selector: str, text: str, *, replace: bool = False) -> None:
        """Tab to a field and type; with replace, what it holds is selected and typed over."""
        self.tab_to(selector)
        if replace:
            self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        value = self.page.evaluate("() => document.activeElement.value")
        assert value == text, f"{selector} holds {value!r} after typing {text!r}"

    def choose(self, selector: str, value: str) -> None:
        """Tab to a closed select and move to the option with the arrow keys."""
        self.tab_to(selector)
        for _ in range(60):
            state = self.page.evaluate(
                """v => {
                  const s = document.activeElement;
                  const target = [...s.options].findIndex(o => o.value === v);
                  return {now: s.selectedIndex, target};
                }""",
                value,
            )
            assert state["target"] >= 0, f"{selector} has no option {value!r}"
            if state["now"] == state["target"]:
                return
            self.page.keyboard.press("ArrowDown" if state["now"] < state["target"] else "ArrowUp")
        raise AssertionError(f"{selector} did not reach {value!r} with the arrow keys")

    def toggle(self, selector: str) -> None:
        """Tab to a checkbox and tick it with Space."""
        self.tab_to(selector, max_tabs=60)
        self.assert_visible_focus()
        self.page.keyboard.press("Space")
        assert self.page.evaluate("() => document.activeElement.checked"), selector

    def type_date(self, selector: str, day: datetime.date) -> None:
        """Tab to a date field and type day, month and year in the order the browser shows."""
        self.tab_to(selector)
        parts = {"d": f"{day.day:02d}", "m": f"{day.month:02d}", "y": f"{day.year:04d}"}
        self.page.keyboard.type("".join(parts[p] for p in self.date_order()))
        value = self.page.evaluate("() => document.activeElement.value")
        assert value == day.isoformat(), f"{selector} holds {value!r}, not {day}"

    def date_order(self) -> str:
        """The order of a date field's parts in this browser (its language, not the page's)."""
        if self._date_order is None:
            context: BrowserContext = self.page.context
            probe = context.new_page()
            probe.set_content('<input type="date" id="d">')
            probe.keyboard.press("Tab")
            probe.keyboard.type("01022003")
            typed = probe.evaluate("() => document.getElementById('d').value")
            probe.close()
            orders = {"2003-01-02": "mdy", "2003-02-01": "dmy"}
            assert typed in orders, f"unknown order of the date field's parts: {typed!r}"
            self._date_order = orders[typed]
        return self._date_order

    def press(self, key: str = "Enter") -> None:
        """Press a key that opens the next page, wait for it and check it (axe, one h1)."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.portal.check()

    def follow(self, selector: str, *, max_tabs: int = 40) -> None:
        """Tab to a link or button, check its focus mark and activate it with Enter."""
        self.tab_to(selector, max_tabs=max_tabs)
        self.assert_visible_focus()
        self.press("Enter")

    def sign_in(self, username: str) -> None:
        """From any page of a visitor: the header's login link, the form, Enter."""
        self.follow("header a[href$='/accounts/login/']", max_tabs=12)
        assert self.portal.path() == "/accounts/login/"
        # The login form puts the focus into the user name field itself (autofocus).
        assert self.is_focused("#id_username"), self.focused()
        self.assert_visible_focus()
        self.page.keyboard.type(username)
        self.page.keyboard.press("Tab")
        assert self.is_focused("#id_password"), self.focused()
        self.page.keyboard.type(PASSWORD)
        self.press("Enter")  # Enter in a field submits its form
        assert self.portal.path() == "/dashboard/", self.portal.path()

    def sign_out(self) -> None:
        """The user menu in the header: open it with Enter, Tab to "Log out", Enter."""
        self.tab_to("header #user-menu", max_tabs=30)
        self.assert_visible_focus()
        self.page.keyboard.press("Enter")
        assert self.page.locator("header #user-menu").get_attribute("aria-expanded") == "true"
        self.follow("header form[action$='/accounts/logout/'] button", max_tabs=8)
        assert self.portal.path() == "/"


def test_sign_in_a_funding_request_and_an_exchange_report_with_the_keyboard_only(
    world: World, portal: PortalPage
) -> None:
    programme = make_programme(
        world.state, title="Landesprogramm Prävention", allows_early_start=True
    )
    tier = programme.tiers.get(name="Kleinprojekt")
    period = ReportingPeriodFactory(state=world.state, title="Halbjahr per Tastatur")
    region = world.council.region
    assert region is not None
    start = max(
        datetime.date.today() + datetime.timedelta(days=7), datetime.date(programme.year, 1, 1)
    )
    end = min(start + datetime.timedelta(days=30), datetime.date(programme.year, 12, 31))
    keys = Keyboard(portal)

    # A visitor: the start page leads to the easy-language page, which is set large and airy.
    portal.goto("/")
    portal.check()
    keys.skip_to_main()
    keys.follow("main a[href='/leichte-sprache/']")
    spacing = portal.page.evaluate(
        """() => {
          const style = getComputedStyle(document.querySelector(".easy-language p"));
          return parseFloat(style.lineHeight) / parseFloat(style.fontSize);
        }"""
    )
    assert spacing >= 1.7, f"line height only {spacing:.2f} times the font size"

    # The coordinator signs in and starts a request from the dashboard.
    keys.sign_in("coordinator")
    keys.skip_to_main()
    keys.follow("main a[href$='/foerderung/antraege/neu/']")
    keys.skip_to_main()
    keys.choose("#id_programme", str(programme.pk))
    keys.type_into("#id_title", "Nachtsport per Tastatur")
    keys.follow("main form button[type='submit']")
    request = FundingRequest.objects.get(title="Nachtsport per Tastatur")
    assert request.applicant == world.council  # the acting council was preselected

    # Step 2 opens first; the step navigation leads back to step 1.
    assert portal.path().endswith("/schritt/2/"), portal.path()
    keys.skip_to_main()
    keys.follow(f"main nav a[href$='/antraege/{request.pk}/schritt/1/']")
    keys.skip_to_main()
    keys.type_into("#id_description", "Fußball am Freitagabend, ganz ohne Maus geplant.")
    keys.follow("main button[name='action'][value='continue']")

    # Step 2: aims, target group, topic and region.
    keys.skip_to_main()
    keys.type_into("#id_aims", "Gewaltprävention durch Sport.")
    keys.type_into("#id_target_group", "Jugendliche von 14 bis 21 Jahren")
    keys.choose("#id_topic", "youth")
    keys.choose("#id_region", str(region.pk))
    keys.follow("main button[name='action'][value='continue']")

    # Step 3: the period, typed into the date fields.
    keys.skip_to_main()
    keys.type_date("#id_start_date", start)
    keys.type_date("#id_end_date", end)
    keys.follow("main button[name='action'][value='continue']")

    # Step 4: two cost lines in the table.
    keys.skip_to_main()
    for row, (category, text, amount) in enumerate(
        [("fees", "Honorare Trainer", "900,00"), ("material", "Bälle", "300,00")]
    ):
        keys.choose(f"#id_form-{row}-category", category)
        keys.type_into(f"#id_form-{row}-description", text)
        keys.type_into(f"#id_form-{row}-amount", amount)
    keys.follow("main button[name='action'][value='continue']")

    # Step 5: tier and financing; the amount requested is computed.
    keys.skip_to_main()
    keys.choose("#id_tier", str(tier.pk))
    keys.type_into("#id_own_contribution", "200,00", replace=True)
    keys.type_into("#id_third_party_funds", "0", replace=True)
    keys.follow("main button[name='action'][value='continue']")
    request.refresh_from_db()
    assert request.requested_amount == Decimal("1000.00")

    # Step 6 (attachments: none needed), then the check page, where the request is submitted.
    keys.skip_to_main()
    keys.follow("main button[name='action'][value='continue']", max_tabs=60)
    keys.skip_to_main()
    keys.follow(f"main form[action$='/antraege/{request.pk}/einreichen/'] button", max_tabs=80)
    request.refresh_from_db()
    assert request.status == S.SUBMITTED
    keys.sign_out()

    # The NGO representative reaches the reporting periods through the Exchange menu.
    keys.sign_in("ngo-representative")
    exchange_menu = "header li.dropdown:has(a[href$='/austausch/berichtszeitraeume/']) > button"
    keys.tab_to(exchange_menu, max_tabs=20)
    keys.assert_visible_focus()
    portal.page.keyboard.press("Enter")
    for _ in range(6):  # the menu's items are reached with the arrow keys
        portal.page.keyboard.press("ArrowDown")
        if keys.is_focused("header a[href$='/austausch/berichtszeitraeume/']"):
            break
    keys.assert_visible_focus()
    keys.press("Enter")

    # ... starts the report of the period, writes it and submits it.
    keys.skip_to_main()
    keys.follow(f"main form[action$='/berichtszeitraeume/{period.pk}/bericht/'] button")
    report = ExchangeReport.objects.get(period=period, ngo=world.ngo)
    keys.skip_to_main()
    keys.type_into("#id_activities", "Zwölf Abende zur Opferhilfe, alle per Tastatur geplant.")
    keys.type_into("#id_findings", "Abends kommen mehr Ehrenamtliche.")
    keys.type_into("#id_needs", "Räume in Lüneburg.")
    keys.toggle(f"input[name='topics'][value='{Topic.VICTIMS}']")
    keys.toggle(f"input[name='regions'][value='{region.pk}']")
    keys.choose("#id_resources-0-kind", "speakers")
    keys.type_into("#id_resources-0-title", "Referentin Opferschutz")
    keys.follow("main button[name='action'][value='submit']")
    keys.skip_to_main()
    keys.follow("main form button[type='submit']")
    report = ExchangeReport.objects.get(pk=report.pk)  # the status is protected: no refresh
    assert report.status == R.SUBMITTED
    assert list(report.resources.values_list("title", flat=True)) == ["Referentin Opferschutz"]
    assert list(report.topics.values_list("topic", flat=True)) == [Topic.VICTIMS]


def _fits(portal: PortalPage) -> None:
    """The page does not scroll sideways as a whole; the usual checks pass."""
    widths = portal.page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert widths[0] <= widths[1], f"{portal.path()} scrolls sideways: {widths}"
    portal.check()


def test_the_accessibility_pages_fit_a_phone_and_take_feedback_by_keyboard(
    world: World, browser: Browser, live_server: Any
) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    portal = PortalPage(context.new_page(), live_server.url)
    keys = Keyboard(portal)
    cache.delete(rate_key("127.0.0.1"))  # the live server's visitor starts with no messages sent
    try:
        portal.goto("/leichte-sprache/")
        _fits(portal)

        # The footer's "report a barrier" link names the page the visitor came from.
        portal.goto("/verzeichnis/")
        keys.follow("footer a[href*='seite=']", max_tabs=40)
        assert portal.path().startswith("/barrierefreiheit/?seite=/verzeichnis/")
        _fits(portal)
        page_field = portal.page.evaluate("() => document.getElementById('id_page').value")
        assert page_field == "/verzeichnis/"

        # Sent without a state and a message: the errors are listed, the page still fits.
        keys.follow("main form.feedback-form button[type='submit']", max_tabs=60)
        assert portal.page.locator("#error-summary").is_visible()
        _fits(portal)

        keys.skip_to_main()
        keys.choose("#id_state", str(world.state.pk))
        keys.type_into("#id_message", "Die Tabelle ist auf dem Telefon schwer zu lesen.")
        keys.follow("main form.feedback-form button[type='submit']", max_tabs=20)
        assert portal.path() == "/barrierefreiheit/"
        assert "Vielen Dank" in portal.page.locator("main [role='status']").inner_text()
        feedback = AccessibilityFeedback.objects.get()
        assert feedback.page == "/verzeichnis/" and feedback.state == world.state

        # The state admin reads it on the phone and marks it answered.
        portal.log_in("state-admin", PASSWORD)
        portal.goto("/konto/barrieren/")
        _fits(portal)
        keys.skip_to_main()
        keys.follow(f"main form[action$='/barrieren/{feedback.pk}/beantwortet/'] button")
        _fits(portal)
        feedback.refresh_from_db()
        assert feedback.answered_by == world.users["state_admin"]
    finally:
        context.close()
