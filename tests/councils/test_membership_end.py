"""Ending a membership takes effect at once: from its end date the person is a former member.

Every place that shows or uses memberships is checked: roster, counts, positions, access and
the recipients of notifications.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership, Position, Role
from councils.permissions import active_memberships, people_with_role
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _deputy(world: World) -> Membership:
    return MembershipFactory(
        user=UserFactory(first_name="Dora", last_name="Deputy"),
        organisation=world.council,
        role=Role.COUNCIL_MEMBER,
        position=Position.DEPUTY_CHAIR,
    )


def _end_through_the_page(world: World, seat: Membership) -> None:
    url = reverse("councils:membership_end", kwargs={"pk": seat.pk})
    assert world.client("state_admin").post(url).status_code == 302
    seat.refresh_from_db()
    assert seat.end_date == timezone.localdate()


def test_a_membership_ending_today_is_ended_today(world: World) -> None:
    seat = _deputy(world)
    assert seat.is_active
    _end_through_the_page(world, seat)
    assert not seat.is_active
    assert seat.has_ended
    assert not Membership.objects.active().filter(pk=seat.pk).exists()
    assert Membership.objects.ended().filter(pk=seat.pk).exists()


def test_a_seat_started_today_and_ended_today_was_never_active(world: World) -> None:
    seat = MembershipFactory(organisation=world.council, start_date=timezone.localdate())
    _end_through_the_page(world, seat)
    assert not Membership.objects.active().filter(pk=seat.pk).exists()


def test_active_for_counting_holds_the_same_seats_as_active(world: World) -> None:
    """Seats started, not ended and of an unlocked account: by either query, on any day."""
    today = timezone.localdate()
    MembershipFactory(organisation=world.council, end_date=today)  # ends today
    MembershipFactory(organisation=world.council, start_date=today)  # starts today
    MembershipFactory(organisation=world.council, start_date=today + timedelta(days=3))
    MembershipFactory(organisation=world.council, end_date=today + timedelta(days=3))
    MembershipFactory(organisation=world.ngo, user__is_active=False)  # a locked account
    for day in (today - timedelta(days=1), today, today + timedelta(days=5), None):
        active = set(Membership.objects.active(on=day).values_list("pk", flat=True))
        counted = set(Membership.objects.active_for_counting(on=day).values_list("pk", flat=True))
        assert counted == active, day
    locked = Membership.objects.filter(user__is_active=False)
    assert locked.exists()
    assert not Membership.objects.active_for_counting().filter(pk__in=locked).exists()


def test_ended_deputy_leaves_the_council_page_positions_and_count(world: World) -> None:
    seat = _deputy(world)
    url = reverse("councils:organisation_detail", kwargs={"pk": world.council.pk})
    client = world.client("member")
    before = client.get(url)
    assert seat in before.context["leaders"]
    count_before = len(before.context["roster"])
    _end_through_the_page(world, seat)
    after = client.get(url)
    assert seat not in after.context["roster"]
    assert seat not in after.context["leaders"]
    assert len(after.context["roster"]) == count_before - 1
    assert "Dora Deputy" not in after.content.decode()


def test_ended_deputy_leaves_the_council_dashboard(world: World) -> None:
    seat = _deputy(world)
    _end_through_the_page(world, seat)
    response = world.client("coordinator").get(reverse("dashboard"))
    assert seat not in response.context["roster"]
    assert seat not in response.context["leaders"]


def test_ended_seat_leaves_the_counts_of_the_admin_and_dashboards(world: World) -> None:
    seat = _deputy(world)
    org_list = reverse("councils:organisation_list")
    admin = world.client("state_admin")

    def council_count() -> int:
        page = admin.get(org_list).context["page"]
        return next(o.member_count for o in page.object_list if o.pk == world.council.pk)

    def state_seats() -> int:
        return int(
            world.client("state_staff").get(reverse("dashboard")).context["figures"]["n_seats"]
        )

    def platform_people() -> int:
        states = world.client("platform_admin").get(reverse("dashboard")).context["states"]
        return next(s.member_count for s in states if s.pk == world.state.pk)

    before = council_count(), state_seats(), platform_people()
    _end_through_the_page(world, seat)
    assert (council_count(), state_seats(), platform_people()) == (
        before[0] - 1,
        before[1] - 1,
        before[2] - 1,
    )


def test_ended_seat_gives_no_access(world: World) -> None:
    seat = Membership.objects.get(user=world.users["coordinator"])
    _end_through_the_page(world, seat)
    person = world.users["coordinator"]
    person.refresh_from_db()
    assert active_memberships(person) == []
    client = Client()
    client.force_login(person)
    response = client.get(reverse("councils:organisation_detail", kwargs={"pk": world.council.pk}))
    assert response.status_code == 404


def test_ended_staff_receive_no_notifications(world: World) -> None:
    seat = Membership.objects.get(user=world.users["state_staff"])
    assert world.users["state_staff"] in people_with_role(Role.STATE_STAFF, state=world.state)
    _end_through_the_page(world, seat)
    assert world.users["state_staff"] not in people_with_role(Role.STATE_STAFF, state=world.state)


def test_member_list_says_ended_and_until(world: World) -> None:
    ended = _deputy(world)
    _end_through_the_page(world, ended)
    future = Membership.objects.get(user=world.users["member"])
    future.end_date = timezone.localdate() + timedelta(days=40)
    future.save(update_fields=["end_date"])
    client = world.client("state_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    html = client.get(reverse("councils:member_list")).content.decode()
    german = future.end_date.strftime("%d.%m.%Y")
    assert f"bis {german}" in html
    assert "Beendet" in html
    # The "End" link is offered for the running seat, not for the ended one.
    end_ended = reverse("councils:membership_end", kwargs={"pk": ended.pk})
    end_future = reverse("councils:membership_end", kwargs={"pk": future.pk})
    assert end_ended not in html
    assert end_future in html


def test_future_end_date_on_the_council_page_in_both_languages(world: World) -> None:
    future = Membership.objects.get(user=world.users["member"])
    future.end_date = timezone.localdate() + timedelta(days=40)
    future.save(update_fields=["end_date"])
    url = reverse("councils:organisation_detail", kwargs={"pk": world.council.pk})
    client = world.client("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert f"bis {future.end_date:%d.%m.%Y}" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = f"{future.end_date:%m/%d/%Y}"
    assert f"until {english}" in client.get(url).content.decode()
    # On its end date the seat is gone from the page.
    assert future in Membership.objects.active(on=future.end_date - timedelta(days=1))
    assert future not in Membership.objects.active(on=future.end_date)
