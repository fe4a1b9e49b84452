"""The administration pages in a real browser: one h1, axe WCAG 2.1 A/AA, no console errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from councils.models import Invitation
from tests.browser.conftest import PortalPage, browser, portal  # noqa: F401  (fixtures)
from tests.conftest import World, build_world
from tests.factories import InvitationFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_world() -> World:
    world = build_world()
    MembershipFactory.create_batch(3, organisation=world.council)
    InvitationFactory(organisation=world.council, invited_by=world.users["state_admin"])
    return world


def test_state_admin_pages_are_accessible(
    portal: PortalPage,  # noqa: F811
    admin_world: World,
    tmp_path: Path,
) -> None:
    world = admin_world
    portal.log_in(world.users["state_admin"].username, "geheim-123")
    seat = world.users["member"].memberships.get()
    invitation = Invitation.objects.get()
    for path in (
        reverse("councils:organisation_list") + "?kind=municipal_council&o=-name",
        reverse("councils:organisation_create"),
        reverse("councils:organisation_edit", kwargs={"pk": world.ngo.pk}),
        reverse("councils:organisation_detail", kwargs={"pk": world.council.pk}),
        reverse("councils:region_list"),
        reverse("councils:region_create"),
        reverse("councils:member_list"),
        reverse("councils:membership_edit", kwargs={"pk": seat.pk}),
        reverse("councils:membership_end", kwargs={"pk": seat.pk}),
        reverse("councils:user_deactivate", kwargs={"pk": seat.user_id}),
        reverse("councils:invitation_list"),
        reverse("councils:invitation_create"),
        reverse("councils:invitation_revoke", kwargs={"pk": invitation.pk}),
        reverse("councils:member_import"),
    ):
        portal.goto(path)
        portal.check()
        if path == reverse("councils:member_list"):
            portal.page.screenshot(path=str(tmp_path.parent / "member_list.png"), full_page=True)

    # A failed save shows the error summary and keeps the input, still accessible.
    portal.goto(reverse("councils:organisation_create"))
    portal.page.fill("input[name='name']", "Präventionsrat Celle")
    portal.page.select_option("select[name='kind']", "municipal_council")
    with portal.page.expect_navigation():
        portal.page.locator("main form button[type='submit']").click()
    assert portal.page.locator("#error-summary").is_visible()
    assert portal.page.input_value("input[name='name']") == "Präventionsrat Celle"
    portal.check()

    # The import preview with errors.
    portal.goto(reverse("councils:member_import"))
    csv = tmp_path / "mitglieder.csv"
    csv.write_text(
        "email;first_name;last_name;organisation;role\n"
        f"kaputt;A;B;{world.council.name};council_member\n"
        f"neu@example.org;C;D;{world.council.name};council_member\n",
        encoding="utf-8",
    )
    portal.page.set_input_files("input[name='file']", str(csv))
    with portal.page.expect_navigation():
        portal.page.locator("main form[enctype] button[type='submit']").click()
    assert portal.page.locator("table tbody tr").count() == 2
    portal.check()


def test_invitation_pages_are_accessible(portal: PortalPage, admin_world: World) -> None:  # noqa: F811
    InvitationFactory(organisation=admin_world.council, token="browser-token")
    portal.goto(reverse("councils:invitation_accept", kwargs={"token": "browser-token"}))
    portal.check()
    portal.page.goto(portal.url(reverse("councils:invitation_accept", kwargs={"token": "x"})))
    portal.check()
