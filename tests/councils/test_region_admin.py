"""Regions of the administered state networks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from councils.models import Region
from tests.conftest import World
from tests.factories import RegionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("councils:region_list")
CREATE = reverse("councils:region_create")


def test_list_shows_regions_of_the_administered_state(world: World) -> None:
    response = world.client("state_admin").get(LIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Leine-Weser" in content
    assert "Mittleres Mecklenburg" not in content


def test_list_queries_do_not_grow(world: World) -> None:
    client = world.client("state_admin")
    assert_constant_queries(
        lambda: client.get(LIST), lambda: RegionFactory.create_batch(10, state=world.state)
    )


def test_create(world: World) -> None:
    response = world.client("state_admin").post(
        CREATE, {"state": world.state.pk, "name": "Weser-Ems", "description": "Westen"}
    )
    assert response.status_code == 302
    assert Region.objects.get(name="Weser-Ems").state == world.state


def test_unique_name_per_state_is_a_field_error(world: World) -> None:
    response = world.client("state_admin").post(
        CREATE, {"state": world.state.pk, "name": "leine-weser", "description": "Doppelt"}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "Doppelt" in response.content.decode()
    # The same name in another state is fine.
    other = world.client("other_state_admin").post(
        CREATE, {"state": world.other_state.pk, "name": "Leine-Weser"}
    )
    assert other.status_code == 302


def test_state_must_be_administered(world: World) -> None:
    response = world.client("state_admin").post(
        CREATE, {"state": world.other_state.pk, "name": "Vorpommern"}
    )
    assert response.status_code == 200
    assert "state" in response.context["form"].errors
    assert not Region.objects.filter(name="Vorpommern").exists()


def test_edit(world: World) -> None:
    url = reverse("councils:region_edit", kwargs={"pk": world.council.region_id})
    response = world.client("state_admin").post(
        url, {"state": world.other_state.pk, "name": "Leine-Weser-Hameln", "description": ""}
    )
    assert response.status_code == 302
    region = Region.objects.get(pk=world.council.region_id)
    assert region.name == "Leine-Weser-Hameln"
    assert region.state == world.state


def test_edit_to_an_existing_name_is_refused(world: World) -> None:
    url = reverse("councils:region_edit", kwargs={"pk": world.council.region_id})
    response = world.client("state_admin").post(url, {"name": "Lüneburg"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_edit_other_state_is_404_and_staff_403(world: World) -> None:
    other = reverse("councils:region_edit", kwargs={"pk": world.other_state_council.region_id})
    own = reverse("councils:region_edit", kwargs={"pk": world.council.region_id})
    assert world.client("state_admin").get(other).status_code == 404
    assert world.client("state_staff").get(own).status_code == 403
    assert world.client("anonymous").get(own).status_code == 302
    assert world.client("state_admin").put(own).status_code == 405
