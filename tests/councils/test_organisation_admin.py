"""Organisation list, create and edit for state admins."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership, Organisation, OrganisationKind
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, RegionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("councils:organisation_list")
CREATE = reverse("councils:organisation_create")


def _data(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "state": world.state.pk,
        "kind": OrganisationKind.MUNICIPAL_COUNCIL,
        "name": "Präventionsrat Celle",
        "region": world.council.region_id,
        "area": "city",
        "email": "praevention@celle.example",
        "city": "Celle",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_list_shows_own_state_only(world: World) -> None:
    response = world.client("state_admin").get(LIST)
    assert response.status_code == 200
    names = [o.name for o in response.context["page"].object_list]
    assert "Präventionsrat Hameln" in names
    assert "Präventionsrat Rostock" not in names
    # A state admin gets no state filter; a platform admin does.
    assert "state" not in response.context["filter"].form.fields
    platform = world.client("platform_admin").get(LIST)
    assert "state" in platform.context["filter"].form.fields
    assert "Präventionsrat Rostock" in platform.content.decode()


def test_list_searches_filters_and_sorts(world: World) -> None:
    OrganisationFactory(state=world.state, name="Präventionsrat Celle", city="Celle")
    client = world.client("state_admin")
    response = client.get(LIST, {"q": "celle"})
    assert [o.name for o in response.context["page"].object_list] == ["Präventionsrat Celle"]
    response = client.get(LIST, {"kind": OrganisationKind.NGO})
    assert [o.name for o in response.context["page"].object_list] == ["Landesverband Opferhilfe"]
    response = client.get(LIST, {"region": world.council.region_id})
    assert [o.name for o in response.context["page"].object_list] == ["Präventionsrat Hameln"]
    response = client.get(LIST, {"o": "-name"})
    names = [o.name for o in response.context["page"].object_list]
    assert names == sorted(names, reverse=True)
    world.ngo.is_active = False
    world.ngo.save()
    response = client.get(LIST, {"is_active": "false"})
    assert [o.name for o in response.context["page"].object_list] == ["Landesverband Opferhilfe"]


def test_list_filter_ignores_a_region_of_another_state(world: World) -> None:
    response = world.client("state_admin").get(
        LIST, {"region": world.other_state_council.region_id}
    )
    assert response.status_code == 200
    assert response.context["filter"].form.errors
    assert "Präventionsrat Rostock" not in response.content.decode()


def test_list_counts_active_members(world: World) -> None:
    response = world.client("state_admin").get(LIST, {"q": "Hameln"})
    assert response.context["page"].object_list[0].member_count == 2


def test_list_counts_the_same_members_sorted_by_them_or_not(world: World) -> None:
    """Counted for the page, or for every organisation when sorted by members: same numbers."""
    today = timezone.localdate()
    busy = OrganisationFactory(state=world.state, name="Verein Drei", kind=OrganisationKind.NGO)
    for _ in range(3):
        MembershipFactory(organisation=busy)
    MembershipFactory(organisation=busy, end_date=today)  # ended today: a former member
    MembershipFactory(organisation=busy, user__is_active=False)  # a locked account
    OrganisationFactory(state=world.state, name="Verein Leer", kind=OrganisationKind.NGO)
    expected = {
        o.name: Membership.objects.active().filter(organisation=o).count()
        for o in Organisation.objects.filter(state=world.state)
    }
    assert (expected["Verein Drei"], expected["Verein Leer"]) == (3, 0)
    client = world.client("state_admin")
    for sort in ("", "members", "-members", "-name"):
        page = client.get(LIST, {"o": sort} if sort else {}).context["page"]
        assert {o.name: o.member_count for o in page.object_list} == expected, sort
    by_members = client.get(LIST, {"o": "-members"}).context["page"].object_list
    counts = [o.member_count for o in by_members]
    assert counts == sorted(counts, reverse=True)


def test_list_queries_do_not_grow(world: World) -> None:
    client = world.client("state_admin")

    def grow() -> None:
        for _ in range(15):
            organisation = OrganisationFactory(state=world.state, region=world.council.region)
            MembershipFactory(organisation=organisation)

    assert_constant_queries(lambda: client.get(LIST), grow)


def test_create_council(world: World) -> None:
    response = world.client("state_admin").post(CREATE, _data(world))
    organisation = Organisation.objects.get(name="Präventionsrat Celle")
    assert response.status_code == 302
    assert response.url == organisation.get_absolute_url()
    assert organisation.state == world.state
    assert organisation.history.count() == 1


def test_create_ngo_with_served_regions(world: World) -> None:
    regions = list(world.state.regions.all())
    response = world.client("state_admin").post(
        CREATE,
        _data(
            world,
            kind=OrganisationKind.NGO,
            name="Landesverband Jugend",
            region="",
            served_regions=[r.pk for r in regions],
        ),
    )
    assert response.status_code == 302
    ngo = Organisation.objects.get(name="Landesverband Jugend")
    assert set(ngo.served_regions.all()) == set(regions)


def test_council_needs_a_region_and_keeps_input(world: World) -> None:
    response = world.client("state_admin").post(CREATE, _data(world, region=""))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert 'value="Präventionsrat Celle"' in response.content.decode()
    assert not Organisation.objects.filter(name="Präventionsrat Celle").exists()


def test_state_must_be_administered(world: World) -> None:
    response = world.client("state_admin").post(CREATE, _data(world, state=world.other_state.pk))
    assert response.status_code == 200
    assert "state" in response.context["form"].errors


def test_region_of_another_state_is_refused(world: World) -> None:
    response = world.client("platform_admin").post(
        CREATE, _data(world, region=world.other_state_council.region_id)
    )
    assert response.status_code == 200
    assert "region" in response.context["form"].errors


def test_served_regions_must_belong_to_the_state(world: World) -> None:
    response = world.client("platform_admin").post(
        CREATE,
        _data(
            world,
            kind=OrganisationKind.NGO,
            region="",
            served_regions=[world.other_state_council.region_id],
        ),
    )
    assert response.status_code == 200
    assert "served_regions" in response.context["form"].errors


def test_name_must_be_unique_in_the_state(world: World) -> None:
    response = world.client("state_admin").post(CREATE, _data(world, name="präventionsrat hameln"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_edit_changes_profile_but_never_the_state(world: World) -> None:
    url = reverse("councils:organisation_edit", kwargs={"pk": world.council.pk})
    client = world.client("platform_admin")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _data(world, name="Präventionsrat Hameln-Pyrmont", state=world.other_state.pk),
    )
    assert response.status_code == 302
    world.council.refresh_from_db()
    assert world.council.name == "Präventionsrat Hameln-Pyrmont"
    assert world.council.state == world.state
    assert world.council.history.count() == 2


def test_edit_another_state_is_404(world: World) -> None:
    url = reverse("councils:organisation_edit", kwargs={"pk": world.other_state_council.pk})
    assert world.client("state_admin").get(url).status_code == 404


@pytest.mark.parametrize("role", ["state_staff", "coordinator", "member", "ngo_representative"])
def test_edit_needs_the_admin_role(world: World, role: str) -> None:
    url = reverse("councils:organisation_edit", kwargs={"pk": world.council.pk})
    assert world.client(role).post(url, _data(world)).status_code == 403


def test_login_required(world: World) -> None:
    response = world.client("anonymous").get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_list_rejects_post(world: World) -> None:
    assert world.client("state_admin").post(LIST).status_code == 405


def test_detail_shows_profile_leaders_and_roster(world: World) -> None:
    region = RegionFactory(state=world.state, name="Weser-Ems")
    world.ngo.served_regions.add(region)
    response = world.client("member").get(
        reverse("councils:organisation_detail", kwargs={"pk": world.council.pk})
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Leine-Weser" in content
    assert str(world.users["coordinator"]) in content
    assert str(world.users["member"]) in content
    assert world.council.email in content
    assert reverse("councils:organisation_edit", kwargs={"pk": world.council.pk}) not in content
    assert response.context["can_manage"] is False
    ngo = world.client("state_admin").get(
        reverse("councils:organisation_detail", kwargs={"pk": world.ngo.pk})
    )
    assert "Weser-Ems" in ngo.content.decode()
    assert ngo.context["can_manage"] is True
