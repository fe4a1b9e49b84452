"""Member list, changing and ending memberships, deactivating accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership, Position, Role
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("councils:member_list")


def _seat(world: World, role: str = "coordinator") -> Membership:
    return world.users[role].memberships.get()


def test_list_shows_members_of_the_state_with_links(world: World) -> None:
    response = world.client("state_admin").get(LIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert world.users["coordinator"].username in content
    assert world.users["other_state_coordinator"].username not in content
    seat = _seat(world)
    assert reverse("councils:membership_edit", kwargs={"pk": seat.pk}) in content
    assert reverse("councils:membership_end", kwargs={"pk": seat.pk}) in content


def test_list_search_and_filters(world: World) -> None:
    client = world.client("state_admin")
    coordinator = world.users["coordinator"]
    coordinator.email = "hameln.koordination@example.org"
    coordinator.save()

    def usernames(**params: object) -> set[str]:
        page = client.get(LIST, params).context["page"]
        return {m.user.username for m in page.object_list}

    assert usernames(q=coordinator.email) == {coordinator.username}
    assert usernames(q=coordinator.last_name) >= {coordinator.username}
    assert usernames(organisation=world.council.pk) == {"coordinator", "member"}
    assert usernames(role=Role.NGO_REPRESENTATIVE) == {"ngo-representative"}
    assert usernames(kind="state_office") == {"state-admin", "state-staff"}
    assert usernames(region=world.other_council.region_id) == {"other-council-coordinator"}
    seat = _seat(world, "member")
    seat.end_date = timezone.localdate() - timedelta(days=1)
    seat.save()
    assert usernames(status="ended") == {"member"}
    assert "member" not in usernames(status="active")
    names = [m.user.last_name for m in client.get(LIST, {"o": "name"}).context["page"]]
    assert names == sorted(names)


def test_list_paginates(world: World) -> None:
    MembershipFactory.create_batch(30, organisation=world.council)
    client = world.client("state_admin")
    assert len(client.get(LIST).context["page"].object_list) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 6 + 30 - 25


def test_list_queries_do_not_grow(world: World) -> None:
    client = world.client("state_admin")

    def grow() -> None:
        for _ in range(5):
            organisation = OrganisationFactory(state=world.state, region=world.council.region)
            MembershipFactory.create_batch(3, organisation=organisation)

    assert_constant_queries(lambda: client.get(LIST), grow)


def test_edit_membership(world: World) -> None:
    seat = _seat(world, "member")
    url = reverse("councils:membership_edit", kwargs={"pk": seat.pk})
    client = world.client("state_admin")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "role": Role.COUNCIL_COORDINATOR,
            "position": Position.DEPUTY_CHAIR,
            "affiliation": "police",
            "start_date": seat.start_date.isoformat(),
            "end_date": "",
        },
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.role, seat.position, seat.affiliation) == (
        Role.COUNCIL_COORDINATOR,
        Position.DEPUTY_CHAIR,
        "police",
    )
    assert seat.history.first().history_user == world.users["state_admin"]


def test_edit_refuses_a_role_the_kind_cannot_give(world: World) -> None:
    seat = _seat(world, "member")
    url = reverse("councils:membership_edit", kwargs={"pk": seat.pk})
    response = world.client("state_admin").post(
        url,
        {
            "role": Role.STATE_ADMIN,
            "position": Position.CHAIR,
            "affiliation": "school",
            "start_date": seat.start_date.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert 'value="chair" selected' in response.content.decode()
    seat.refresh_from_db()
    assert seat.role == Role.COUNCIL_MEMBER


def test_edit_refuses_end_before_start(world: World) -> None:
    seat = _seat(world, "member")
    url = reverse("councils:membership_edit", kwargs={"pk": seat.pk})
    response = world.client("state_admin").post(
        url,
        {
            "role": Role.COUNCIL_MEMBER,
            "position": Position.MEMBER,
            "affiliation": "other",
            "start_date": seat.start_date.isoformat(),
            "end_date": (seat.start_date - timedelta(days=1)).isoformat(),
        },
    )
    assert "end_date" in response.context["form"].errors


def test_end_membership_confirms_then_ends_today(world: World) -> None:
    seat = _seat(world, "member")
    url = reverse("councils:membership_end", kwargs={"pk": seat.pk})
    client = world.client("state_admin")
    response = client.get(url)
    assert response.status_code == 200
    seat.refresh_from_db()
    assert seat.end_date is None
    assert client.post(url).status_code == 302
    seat.refresh_from_db()
    assert seat.end_date == timezone.localdate()


def test_membership_views_scope(world: World) -> None:
    own = _seat(world)
    other = _seat(world, "other_state_coordinator")
    for name in ("councils:membership_edit", "councils:membership_end"):
        assert (
            world.client("state_admin").get(reverse(name, kwargs={"pk": other.pk})).status_code
            == 404
        )
        for role in ("state_staff", "coordinator", "member", "ngo_representative"):
            assert world.client(role).get(reverse(name, kwargs={"pk": own.pk})).status_code == 403
        assert (
            world.client("anonymous").get(reverse(name, kwargs={"pk": own.pk})).status_code == 302
        )
    assert (
        world.client("state_admin")
        .put(reverse("councils:membership_end", kwargs={"pk": own.pk}))
        .status_code
        == 405
    )


def _deactivate_url(user_pk: int) -> str:
    return reverse("councils:user_deactivate", kwargs={"pk": user_pk})


def test_deactivation_signs_the_person_out_at_once(world: World) -> None:
    coordinator = world.users["coordinator"]
    victim = Client()
    victim.force_login(coordinator)
    bystander = world.client("member")
    dashboard = reverse("dashboard")
    assert victim.get(dashboard).status_code == 200

    admin = world.client("state_admin")
    page = admin.get(_deactivate_url(coordinator.pk))
    assert page.status_code == 200
    assert world.council.name in page.content.decode()
    assert admin.post(_deactivate_url(coordinator.pk)).status_code == 302

    coordinator.refresh_from_db()
    assert coordinator.is_active is False
    response = victim.get(dashboard)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert bystander.get(dashboard).status_code == 200
    assert not Membership.objects.active().filter(user=coordinator).exists()


def test_state_admin_may_not_deactivate_a_platform_admin(world: World) -> None:
    platform = world.users["platform_admin"]
    MembershipFactory(user=platform, organisation=world.office, role=Role.STATE_STAFF)
    response = world.client("state_admin").post(_deactivate_url(platform.pk))
    assert response.status_code == 403
    assert "platform" in response.content.decode().lower() or response.context["refusal"]
    platform.refresh_from_db()
    assert platform.is_active


def test_state_admin_may_not_deactivate_a_person_of_another_network(world: World) -> None:
    person = UserFactory()
    MembershipFactory(user=person, organisation=world.council, role=Role.COUNCIL_MEMBER)
    MembershipFactory(user=person, organisation=world.other_state_council, role=Role.COUNCIL_MEMBER)
    response = world.client("state_admin").get(_deactivate_url(person.pk))
    assert response.status_code == 403
    assert world.other_state.name in response.content.decode()
    assert world.client("state_admin").post(_deactivate_url(person.pk)).status_code == 403
    person.refresh_from_db()
    assert person.is_active
    # A platform admin keeps every network and may.
    assert world.client("platform_admin").post(_deactivate_url(person.pk)).status_code == 302
    person.refresh_from_db()
    assert not person.is_active


def test_nobody_deactivates_themselves(world: World) -> None:
    admin = world.users["state_admin"]
    assert world.client("state_admin").post(_deactivate_url(admin.pk)).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active


def test_deactivate_scope(world: World) -> None:
    other = world.users["other_state_coordinator"]
    assert world.client("state_admin").get(_deactivate_url(other.pk)).status_code == 404
    own = world.users["member"]
    assert world.client("state_staff").post(_deactivate_url(own.pk)).status_code == 403
    assert world.client("state_admin").put(_deactivate_url(own.pk)).status_code == 405
