"""Every page works on a phone (issue 16, point 2): no page of any role is wider than 390 px.

The pages are those the permission matrix opens with 200 for each role (the list of the English
walk), with every step of the request form. Chromium at 390 x 844 opens each of them and measures
the document; wide tables scroll inside their own box, so only the page as a whole counts. Its
form fields must also keep a usable width. Names and addresses are as long as real ones.

The browser's requests are answered in the test's own thread: pages by Django through the test
client (the whole middleware stack, CSP included), files from the static finders. A live server
would see only committed rows; this way one world serves every role, and each page runs in a
savepoint, so what one rule makes for its page (a request moved on, a report submitted) is gone
before the next page.
"""

from __future__ import annotations

import copy
import functools
import mimetypes
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http.response import HttpResponseBase
from django.test import Client, override_settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, Route, ViewportSize

from councils.models import Role
from councils.permissions import ACTIVE_MEMBERSHIP_SESSION_KEY
from funding.views.request_common import STEPS
from tests.access import Rule
from tests.conftest import World, build_world
from tests.exchange.world_offers import offers_world
from tests.exchange.world_reports import exchange_world
from tests.factories import MembershipFactory, NotificationFactory
from tests.funding.factories import funding_world
from tests.portal.test_english import WALKED_ROLES, _rules
from tests.spaces.world_documents import documents_world
from tests.spaces.world_events import events_world
from tests.spaces.world_workgroups import groups_world
from tests.strategy.factories import strategy_world

from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
#: A field narrower than this is hard to use (the exchange report's resources were 40 px).
MIN_FIELD_WIDTH = 120
#: The host the test client answers for.
ORIGIN = "http://testserver"

#: The widths that count, and for a page that is too wide the elements that stick out: those
#: whose parent does not stick out as well, outside any box that clips or scrolls.
MEASURE = """(MIN_FIELD_WIDTH) => {
    // Folded parts (the filters) count as well.
    document.querySelectorAll('details').forEach(details => { details.open = true; });
    const viewport = document.documentElement.clientWidth;
    const widths = {
        document: document.documentElement.scrollWidth,
        body: document.body ? document.body.scrollWidth : 0,
        viewport: viewport,
        signedIn: !!document.getElementById('user-menu'),
        culprits: [],
        // Fields of the page's own forms squeezed below a usable width.
        narrowFields: Array.from(document.querySelectorAll(
            'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), '
            + 'main select, main textarea'))
            .filter(el => el.getClientRects().length
                && el.getBoundingClientRect().width < MIN_FIELD_WIDTH)
            .map(el => `${el.name || el.id} (${Math.round(el.getBoundingClientRect().width)} px)`),
    };
    if (Math.max(widths.document, widths.body) <= viewport) { return widths; }
    const clipped = el => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== 'visible') { return true; }
        }
        return false;
    };
    const right = box => Math.round(box.getBoundingClientRect().right);
    const out = box => box.getBoundingClientRect().right > viewport + 0.5;
    const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    // Boxes wider than the screen, and text that runs out of its box (a long word or URL).
    const boxes = Array.from(document.body.querySelectorAll('*'))
        .filter(el => out(el) && !(el.parentElement && out(el.parentElement)) && !clipped(el))
        .map(el => `${name(el)} (to ${right(el)} px)`);
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        if (node.textContent.trim() && out(range) && !out(node.parentElement)
                && !clipped(node)) {
            texts.push(`text "${node.textContent.trim().slice(0, 40)}" in ${
                name(node.parentElement)} (to ${right(range)} px)`);
        }
    }
    widths.culprits = boxes.concat(texts).slice(0, 4);
    return widths;
}"""


@functools.cache
def _static(path: str) -> dict[str, Any]:
    """A file of the static finders as Playwright fulfils it, read once per test run."""
    found = finders.find(path)
    if not isinstance(found, str):
        return {"status": 404}
    kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
    return {"status": 200, "content_type": kind, "body": Path(found).read_bytes()}


def _is_page(response: HttpResponseBase) -> bool:
    """An HTML page, not a file (PDF, CSV, calendar, image, JSON)."""
    kind = response.get("Content-Type", "")
    return not response.streaming and kind.startswith("text/html")


class Portal:
    """Answers the browser's requests to ORIGIN as the role's person, in the test's transaction."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.document_is_page = False
        self.error: BaseException | None = None

    def __call__(self, route: Route) -> None:
        request = route.request
        parts = urlsplit(request.url)
        if parts.path.startswith(settings.STATIC_URL):
            route.fulfill(**_static(parts.path.removeprefix(settings.STATIC_URL)))
            return
        headers = {
            key: value
            for key, value in request.headers.items()
            if key.lower() not in {"cookie", "host"}
        }
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        # Playwright calls this from its event loop, where Django keeps connections per
        # context: the page must see the test's transaction, so it gets the test's connection
        # (as Django's live server does for in-memory SQLite). The test waits meanwhile.
        connections[DEFAULT_DB_ALIAS] = self.connection
        try:
            response = self.client.generic(request.method, path, headers=headers)
        except Exception as exc:  # a view that breaks fails the test, after the navigation
            self.error = exc
            route.fulfill(status=500)
            return
        if request.resource_type == "document":
            self.document_is_page = _is_page(response)
            if not self.document_is_page:
                # A file (PDF, CSV, calendar, image, JSON) is no page to measure, nor a download.
                route.fulfill(status=response.status_code, content_type="text/plain", body="")
                return
        # The client closed the response already (a file's when its content has been read).
        body = response.getvalue()
        route.fulfill(status=response.status_code, headers=dict(response.items()), body=body)


def _measure(page: Page, portal: Portal, url: str) -> dict[str, Any] | None:
    """The page's widths, or None for a file (PDF, CSV, calendar, image, JSON)."""
    try:
        response = page.goto(f"{ORIGIN}{url}", wait_until="load")  # "load": stylesheets are in
    finally:
        if portal.error is not None:
            raise AssertionError(f"{url} failed") from portal.error
    assert response is not None, url
    assert response.status < 400, f"{url} answered {response.status}"
    if not portal.document_is_page:
        return None
    widths: dict[str, Any] = page.evaluate(MEASURE, MIN_FIELD_WIDTH)
    return widths


def _with_a_second_seat(world: World) -> None:
    """The coordinator also sits in a second council, as in the demo: the switcher is shown.

    The councils get names as long as the real ones; the coordinator keeps acting for the first.
    """
    world.council.name = "Kommunaler Präventionsrat Landkreis Hameln-Pyrmont"
    world.council.save(update_fields=["name"])
    world.other_council.name = "Kommunaler Präventionsrat Landkreis Lüneburg"
    world.other_council.save(update_fields=["name"])
    MembershipFactory(
        user=world.users["coordinator"], organisation=world.other_council, role=Role.COUNCIL_MEMBER
    )


def _with_real_lengths(world: World) -> None:
    """Names and addresses as long as the real ones (the factories' are short)."""
    world.ngo.name = "Landesarbeitsgemeinschaft Kinder- und Jugendschutz Niedersachsen e. V."
    world.ngo.save(update_fields=["name"])
    world.council.email = "geschaeftsstelle.praeventionsrat@landkreis-hameln-pyrmont.example.org"
    world.council.website = (
        "https://www.landkreis-hameln-pyrmont.example.org/buergerservice/praeventionsrat"
    )
    world.council.save(update_fields=["email", "website"])


def _world_with_everything() -> World:
    """The matrix's world with every part the rules build on demand, built once.

    Each page gets a deep copy, so what its rule changes on these objects (a request moved on,
    a report submitted) is forgotten with the savepoint, instead of being built again per page.
    """
    world = build_world()
    _with_real_lengths(world)
    for part in (
        strategy_world,
        funding_world,
        exchange_world,
        offers_world,
        groups_world,
        events_world,
        documents_world,
    ):
        part(world)
    return world


def _client(world: World, role: str) -> Client:
    """The role's person, signed in; the coordinator acts for the first council."""
    client = world.client(role)
    if role == "coordinator":
        session = client.session
        seat = world.users[role].memberships.get(organisation=world.council)
        session[ACTIVE_MEMBERSHIP_SESSION_KEY] = seat.pk
        session.save()
    return client


def _pages(role: str) -> list[tuple[str, Rule, dict[str, Any]]]:
    """The role's pages of the permission matrix; of the request form every step, not only one."""
    pages = []
    for name, rule in _rules(role):
        if name == "funding:request_step":
            pages += [(name, rule, {"step": step.number}) for step in STEPS]
        else:
            pages.append((name, rule, {}))
    return pages


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings: Any, media_root: Path) -> None:
    """The uploads of the shared world stay where it stored them, for every role's test."""
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def shared_world(django_db_setup: Any, django_db_blocker: Any, media_root: Path) -> Iterator[World]:
    """One world for every role, in an outer transaction that is rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        yield _world_with_everything()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("role", WALKED_ROLES)
def test_no_page_of_the_role_is_too_wide_for_a_phone(
    role: str, shared_world: World, browser: Browser
) -> None:
    shared = copy.deepcopy(shared_world)  # the role's changes go with the test's transaction
    if role == "coordinator":
        _with_a_second_seat(shared)
    if role != "anonymous":
        NotificationFactory(recipient=shared.users[role], subject="Test", body="")
    portal = Portal(_client(shared, role))
    context = browser.new_context(locale="de-DE", viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    context.route(f"{ORIGIN}/**", portal)
    page = context.new_page()

    problems: list[str] = []
    measured = 0
    for name, rule, extra in _pages(role):
        world = copy.deepcopy(shared)  # what the rule changes is undone with the savepoint
        with transaction.atomic():
            kwargs = {**rule.kwargs(world), **extra} if rule.kwargs else None
            url = reverse(name, kwargs=kwargs) + rule.query
            widths = _measure(page, portal, url)
            transaction.set_rollback(True)
        if widths is None:
            continue
        measured += 1
        assert widths["signedIn"] == (role != "anonymous"), f"{url}: signed in? {widths}"
        if max(widths["document"], widths["body"]) > PHONE["width"]:
            problems.append(
                f"{url}: document {widths['document']} px, body {widths['body']} px; "
                f"sticking out: {', '.join(widths['culprits']) or '?'}"
            )
        if widths["narrowFields"]:
            problems.append(f"{url}: squeezed fields {', '.join(widths['narrowFields'])}")
    context.close()

    assert measured >= len(_rules(role)) // 2, f"only {measured} pages of {role} were measured"
    assert not problems, (
        f"{len(problems)} problems on {measured} pages of {role} at {PHONE['width']} px:\n"
        + "\n".join(problems)
    )
