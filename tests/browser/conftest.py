"""Playwright fixtures: one Debian Chromium per test session, a fresh page per test, axe checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The WCAG 2.1 levels A and AA the portal promises in its accessibility statement.
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # Only violations: collecting the passes' nodes as well doubles axe's run time.
    "resultTypes": ["violations"],
}
#: How long a single page action may take before the test fails (milliseconds).
TIMEOUT_MS = 15_000

#: axe-core, as shipped with axe-playwright-python.
AXE_SCRIPT = Axe().axe_script


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this directory is a browser test, also when its author forgot the mark."""
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


class _SharedBrowser:
    """One Chromium per test process, however many modules declare the `browser` fixture.

    Test modules elsewhere import the fixtures from here, which makes pytest register a second
    session fixture; a second Playwright instance in the same thread would fail.
    """

    def __init__(self) -> None:
        self.users = 0
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None

    def acquire(self) -> Browser:
        if self.browser is None:
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        self.users += 1
        return self.browser

    def release(self) -> None:
        self.users -= 1
        if self.users == 0 and self.playwright is not None:
            assert self.browser is not None
            self.browser.close()
            self.playwright.stop()
            self.browser = self.playwright = None


_shared = _SharedBrowser()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    yield _shared.acquire()
    _shared.release()


class PortalPage:
    """A browser tab on the live server that records what a page must never do."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"page error: {exc}"))
        page.on("response", self._on_response)

    def _on_console(self, message: ConsoleMessage) -> None:
        # CSP violations and broken scripts show up here. Failed loads are reported with their
        # URL by _on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def _on_response(self, response: Response) -> None:
        # A stylesheet, script or image the page asks for must exist; the browser's own
        # favicon request is not made by the page.
        request = response.request
        if (
            response.status >= 400
            and request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
        ):
            self.console_errors.append(
                f"{request.resource_type} {response.url} answered {response.status}"
            )

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def is_internal(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.base_url).netloc

    def goto(self, path: str) -> Response:
        """Open a page of the portal and insist that it answered below 400."""
        response = self.page.goto(self.url(path))
        assert response is not None, f"no response for {path}"
        assert response.status < 400, f"{path} answered {response.status}"
        return response

    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def assert_one_h1(self) -> None:
        headings = self.page.locator("h1").all_inner_texts()
        assert len(headings) == 1, f"{self.path()} has {len(headings)} <h1>: {headings}"

    def assert_accessible(self) -> None:
        """axe WCAG 2.1 A/AA finds nothing, and the page logged no error (CSP, script)."""
        problems = axe_violations(self.page)
        assert not problems, f"axe violations on {self.path()}:\n" + "\n".join(problems)
        errors, self.console_errors[:] = list(self.console_errors), []
        assert not errors, f"browser console errors on {self.path()}:\n" + "\n".join(errors)

    def check(self) -> None:
        """The checks every visited page gets: one h1, accessible, no console errors."""
        self.assert_one_h1()
        self.assert_accessible()

    def html_lang(self) -> str:
        return self.page.locator("html").get_attribute("lang") or ""

    def log_in(self, username: str, password: str) -> None:
        """Sign in through the real login form."""
        self.goto("/accounts/login/")
        form = self.page.locator("main form[action$='/accounts/login/']")
        form.locator("input[name='username']").fill(username)
        form.locator("input[name='password']").fill(password)
        with self.page.expect_navigation():
            form.locator("button[type='submit']").click()

    def log_out(self) -> None:
        """Sign out through the user menu in the header (a POST form inside a dropdown)."""
        self.page.locator("header #user-menu").click()
        with self.page.expect_navigation():
            self.page.locator("header form[action$='/accounts/logout/'] button").click()

    def main_navigation_links(self) -> list[str]:
        """Every distinct portal URL linked from the header's main navigation."""
        hrefs: list[str] = self.page.locator("header nav[aria-label] a[href]").evaluate_all(
            "links => links.map(link => link.href)"
        )
        seen: dict[str, None] = {}
        for href in hrefs:
            url = href.split("#", 1)[0]
            if url and self.is_internal(url):
                seen.setdefault(url)
        return list(seen)


def axe_violations(page: Page) -> list[str]:
    """One line per axe WCAG 2.1 A/AA violation: id, help text and the offending nodes."""
    # Same as axe_playwright_python's Axe.run, but injects axe once per page and returns only
    # the violations across the bridge.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)", AXE_OPTIONS
    )
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"
        )
    return lines


@pytest.fixture
def portal(browser: Browser, live_server: Any) -> Iterator[PortalPage]:
    """A fresh browser context (no cookies) on the live server, German like a first visitor."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield PortalPage(page, live_server.url)
    context.close()


@pytest.fixture(scope="module")
def demo_server(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo, loaded once per module the way `make run` loads it, behind a live server.

    The journeys only read the demo (signing in and out changes nothing they look at), so the
    module's tests share one seed instead of seeding for each test; at the end the database is
    flushed as a transactional test would leave it. Modules using it mark their tests
    ``django_db`` (pytest-django sets up only the databases that marked tests ask for) and keep
    them on one xdist worker (``pytest.mark.xdist_group``), or each worker would seed it once.
    """
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    with django_db_blocker.unblock():
        media.enable()
        try:
            call_command("seed_demo", "--force", verbosity=0)
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            try:
                yield server.url
            finally:
                server.stop()
                server._live_server_modified_settings.disable()
        finally:
            call_command("flush", verbosity=0, interactive=False)
            media.disable()


def new_portal(browser: Browser, base_url: str, viewport: dict[str, int]) -> PortalPage:
    """A fresh German browser context (no cookies) at the given size."""
    context = browser.new_context(locale="de-DE", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    return PortalPage(context.new_page(), base_url)


@pytest.fixture
def demo_portal(browser: Browser, demo_server: str) -> Iterator[PortalPage]:
    """A fresh browser tab on the shared demo server, like `portal`."""
    portal = new_portal(browser, demo_server, {"width": 1280, "height": 900})
    yield portal
    portal.page.context.close()
