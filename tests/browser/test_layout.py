"""Layout at a laptop's 1280 px and a phone's 390 x 844 (issue 10, points 11 and 12).

No page may scroll sideways as a whole: wide tables scroll inside their own box, keep their first
column in view and say that they scroll; filters fold away; long forms have a save button at the
top. Every page is also checked with axe and for browser errors, at both sizes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser

from councils.models import Membership, Organisation, OrganisationKind, Role
from exchange.models import ExchangeReport
from funding.models import FundingRequest, Programme
from spaces.models import CouncilDocument, Event, FocusTopic, WorkingGroup
from strategy.models import Goal, Level, Strategy, StrategyStatus

from .conftest import PortalPage, new_portal

# One demo for the module (demo_server), so its tests stay on one worker.
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.xdist_group("demo-layout")]

VIEWPORTS = {
    "laptop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(params=list(VIEWPORTS))
def sized(
    request: pytest.FixtureRequest, browser: Browser, demo_server: str
) -> Iterator[PortalPage]:
    """A fresh German browser tab of the shared demo at the laptop's or the phone's size."""
    portal = new_portal(browser, demo_server, VIEWPORTS[request.param])
    yield portal
    portal.page.context.close()


def assert_fits(portal: PortalPage) -> None:
    """The page as a whole does not scroll sideways; the usual checks pass."""
    portal.page.wait_for_load_state("load")
    width = portal.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{portal.path()} scrolls sideways: {width[0]} > {width[1]} px"
    portal.check()


def assert_scrolling_tables_say_so(portal: PortalPage) -> None:
    """A table box that scrolls shows the hint above it and keeps its first column in place."""
    boxes = portal.page.evaluate(
        """() => Array.from(document.querySelectorAll('.table-responsive')).map(box => {
            const hint = box.previousElementSibling;
            const first = box.querySelector('tr > :first-child');
            return {
                scrolls: box.scrollWidth > box.clientWidth + 1,
                hint: !!hint && hint.classList.contains('table-scroll-hint')
                    && getComputedStyle(hint).display !== 'none' ? hint.textContent : '',
                sticky: first ? getComputedStyle(first).position : '',
                focusable: box.tabIndex >= 0,
                // Screen-reader-only text (position: absolute) stays inside the box.
                contains: getComputedStyle(box).position === 'relative',
            };
        })"""
    )
    for box in boxes:
        assert box["contains"], f"{portal.path()}: a table box lets hidden text escape"
        if box["scrolls"]:
            assert "Tabelle scrollt seitlich" in box["hint"], f"{portal.path()}: {box}"
            assert box["sticky"] == "sticky", f"{portal.path()}: {box}"
            assert box["focusable"], f"{portal.path()}: {box}"


def assert_whole_tables(portal: PortalPage, selector: str, *, fit_at_1280: bool = False) -> None:
    """The table is not cut off: it fits its box, or its box scrolls and says so.

    ``fit_at_1280``: on the laptop the table fits without scrolling, every column in view.
    """
    table = portal.page.locator(selector).first
    assert table.count() == 1, f"{portal.path()} has no {selector}"
    assert_scrolling_tables_say_so(portal)
    viewport = portal.page.viewport_size
    if fit_at_1280 and viewport is not None and viewport["width"] >= 1280:
        box = table.evaluate(
            "t => [t.closest('.table-responsive').scrollWidth, "
            "t.closest('.table-responsive').clientWidth]"
        )
        assert box[0] <= box[1] + 1, f"{selector} on {portal.path()} is cut off: {box}"


def assert_save_at_the_top(portal: PortalPage) -> None:
    """The form's first tab stops include a save button, before its first field."""
    order = portal.page.evaluate(
        """() => {
            const main = document.querySelector('main form[method="post"] [data-form-actions-top]');
            if (!main) { return null; }
            const form = main.closest('form');
            const controls = Array.from(form.querySelectorAll(
                'input:not([type=hidden]), select, textarea, button'));
            const top = '[data-form-actions-top] button[type=submit]';
            return controls.findIndex(el => el.matches(top));
        }"""
    )
    assert order == 0, f"{portal.path()}: the first control of the form is no save button ({order})"


def test_the_coordinators_pages_fit(sized: PortalPage) -> None:
    sized.log_in("kpr-koordination", settings.DEMO_PASSWORD)

    sized.goto("/dashboard/")
    assert_fits(sized)
    # The next steps come first, before the notifications, and their table is complete.
    first_section = sized.page.locator("main section").first
    assert first_section.get_attribute("aria-labelledby") == "funding-heading"
    assert_whole_tables(sized, "#next-steps table", fit_at_1280=True)
    # Notifications are a compact list: one row per notification, no card each.
    rows = sized.page.locator("#open-tasks-heading ~ ul.notification-list > li")
    assert rows.count() >= 1
    subjects = rows.locator("button").all_inner_texts()
    assert len(subjects) == len(set(subjects)), f"a notification is shown twice: {subjects}"

    sized.goto(reverse("funding:request_list"))
    assert_fits(sized)
    assert_whole_tables(sized, "main table", fit_at_1280=True)
    # The result count comes before the filter, which folds away.
    count = sized.page.locator("#result-count")
    assert count.count() == 1
    panel = sized.page.locator("details.filter-panel")
    assert count.evaluate(
        "(el, panel) => !!(el.compareDocumentPosition(panel) & 4)", panel.element_handle()
    )

    sized.goto(reverse("notifications:list"))
    assert_fits(sized)

    draft = FundingRequest.objects.filter(
        status="draft", applicant__memberships__user__username="kpr-koordination"
    ).first()
    assert draft is not None
    for step in (1, 2, 4):
        sized.goto(reverse("funding:request_step", kwargs={"pk": draft.pk, "step": step}))
        assert_fits(sized)
        assert_save_at_the_top(sized)


def test_the_staff_pages_fit(sized: PortalPage) -> None:
    sized.log_in("lpr-referent", settings.DEMO_PASSWORD)

    sized.goto("/dashboard/")
    assert_fits(sized)
    sized.goto(reverse("network_overview"))
    assert_fits(sized)

    sized.goto(reverse("funding:request_list"))
    assert_fits(sized)
    assert_whole_tables(sized, "main table", fit_at_1280=True)

    sized.goto(reverse("exchange:coverage"))
    assert_fits(sized)
    assert_whole_tables(sized, "#coverage-kinds", fit_at_1280=True)
    assert_whole_tables(sized, "#coverage-topics")
    assert sized.page.locator("#coverage-topic-gaps").count() == 1

    sized.goto(reverse("strategy:strategy_list"))
    assert_fits(sized)
    strategy = Strategy.objects.filter(
        state__name="Niedersachsen", status=StrategyStatus.ADOPTED
    ).first()
    assert strategy is not None
    sized.goto(strategy.get_absolute_url())
    assert_fits(sized)

    programme = Programme.objects.filter(state__name="Niedersachsen").order_by("-year").first()
    assert programme is not None
    sized.goto(reverse("funding:programme_edit", kwargs={"pk": programme.pk}))
    assert_fits(sized)
    assert_save_at_the_top(sized)

    draft = Strategy.objects.filter(state__name="Niedersachsen", status=StrategyStatus.DRAFT)
    goal = Goal.objects.filter(strategy__in=draft, level=Level.MEASURE).first()
    assert goal is not None
    sized.goto(reverse("strategy:goal_edit", kwargs={"pk": goal.pk}))
    assert_fits(sized)
    assert_save_at_the_top(sized)

    sized.goto(reverse("exchange:offer_create"))
    assert_fits(sized)
    # The state office is the only possible provider of state staff: it is chosen already.
    assert sized.page.locator("#id_provider option").count() == 1


def test_the_ngo_pages_fit_and_the_goal_picker_searches(sized: PortalPage) -> None:
    sized.log_in("ngo-vertretung", settings.DEMO_PASSWORD)

    sized.goto("/dashboard/")
    assert_fits(sized)
    sized.goto(reverse("exchange:offer_list"))
    assert_fits(sized)

    report = ExchangeReport.objects.filter(
        status="draft", ngo__memberships__user__username="ngo-vertretung"
    ).first()
    assert report is not None
    sized.goto(reverse("exchange:report_edit", kwargs={"pk": report.pk}))
    assert_fits(sized)
    assert_save_at_the_top(sized)

    picker = sized.page.locator("[data-goal-picker]")
    search = picker.locator("input[type=search]")
    assert search.is_visible()
    total = picker.locator("[data-goal-node]").count()
    assert total > 10
    legends = picker.locator("legend").all_inner_texts()
    assert len(legends) >= 1
    labels = picker.locator("label.form-check-label").all_inner_texts()
    assert not any(label.startswith(tuple(legends)) for label in labels), "the prefix is back"

    search.fill("Referentenpool")
    sized.page.wait_for_timeout(400)
    visible = picker.locator("[data-goal-node]:visible")
    assert 1 <= visible.count() < total
    assert "Referentenpool" in " ".join(visible.all_inner_texts())
    status = picker.locator("[data-goal-search-status]").inner_text()
    assert status, "the number of matches is not announced"
    search.fill("")
    sized.page.wait_for_timeout(400)
    assert picker.locator("[data-goal-node]:visible").count() == total
    sized.check()


def _space_pages_of_coordinator(council: Organisation) -> list[str]:
    """Lists, details and forms of every part of the council's space, as its coordinator."""
    c = council.pk
    group = WorkingGroup.objects.filter(council=council).order_by("-updated_at").first()
    event = Event.objects.filter(council=council).order_by("starts_at").last()
    document = CouncilDocument.objects.filter(council=council).first()
    assert group is not None and event is not None and document is not None
    g = {"council": c, "pk": group.pk}
    return [
        reverse("councils:organisation_detail", args=[c]),
        reverse("spaces:workgroup_list", args=[c]),
        reverse("spaces:workgroup_create", args=[c]),
        reverse("spaces:workgroup_detail", kwargs=g),
        reverse("spaces:workgroup_edit", kwargs=g),
        reverse("spaces:workgroup_meeting_create", kwargs=g),
        reverse("spaces:workgroup_result", kwargs=g),
        reverse("spaces:workgroup_mine"),
        reverse("spaces:council_topics", args=[c]),
        reverse("spaces:council_topics_edit", args=[c]),
        reverse("spaces:analysis_create", args=[c]),
        reverse("spaces:event_list"),
        reverse("spaces:council_events", args=[c]),
        reverse("spaces:council_events", args=[c]) + "?zeit=vergangen",
        reverse("spaces:event_create", args=[c]),
        reverse("spaces:event_detail", args=[event.pk]),
        reverse("spaces:event_edit", args=[event.pk]),
        reverse("spaces:event_participants", args=[event.pk]),
        reverse("spaces:event_files", args=[event.pk]),
        reverse("spaces:calendar_subscription"),
        reverse("spaces:document_list", args=[c]),
        reverse("spaces:document_upload", args=[c]),
        reverse("spaces:document_edit", kwargs={"council": c, "pk": document.pk}),
    ]


def _space_pages_of_staff(council: Organisation) -> list[str]:
    """The state's view of the council spaces: topics, groups, events and documents."""
    topic = FocusTopic.objects.filter(state_id=council.state_id).first()
    event = Event.objects.filter(state_id=council.state_id).order_by("starts_at").last()
    assert topic is not None and event is not None
    return [
        reverse("spaces:topic_overview"),
        reverse("spaces:topic_catalogue"),
        reverse("spaces:topic_create"),
        reverse("spaces:topic_edit", args=[topic.pk]),
        reverse("spaces:workgroup_mine"),
        reverse("spaces:workgroup_list", args=[council.pk]),
        reverse("spaces:council_topics", args=[council.pk]),
        reverse("spaces:event_list"),
        reverse("spaces:event_participants", args=[event.pk]),
        reverse("spaces:document_list", args=[council.pk]),
        reverse("councils:organisation_detail", args=[council.pk]),
        reverse("spaces:public_calendar"),
        reverse("spaces:public_document_list", args=[council.pk]),
    ]


def test_the_council_space_pages_fit(sized: PortalPage) -> None:
    seat = Membership.objects.select_related("organisation").get(
        user__username="kpr-koordination", role=Role.COUNCIL_COORDINATOR
    )
    council = seat.organisation
    assert council.kind == OrganisationKind.MUNICIPAL_COUNCIL
    for username, pages in (
        ("kpr-koordination", _space_pages_of_coordinator(council)),
        ("lpr-referent", _space_pages_of_staff(council)),
    ):
        sized.page.context.clear_cookies()
        sized.log_in(username, settings.DEMO_PASSWORD)
        for url in pages:
            sized.goto(url)
            assert_fits(sized)
            assert_scrolling_tables_say_so(sized)
