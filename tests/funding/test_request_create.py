"""Starting a funding request: only council coordinators, only open programmes of their state."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from funding.models import FundingRequest, Programme
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.funding.factories import funding_world, make_programme, today

URL = reverse("funding:request_create")


def _data(programme: Programme, council_pk: int, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "programme": programme.pk,
        "applicant": council_pk,
        "title": "Nachtwanderung",
        "carrier_name": "",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """The assertions read the English msgids; the portal's default language is German."""
    settings.LANGUAGE_CODE = "en"


@pytest.mark.django_db
def test_it_shows_the_open_programmes_and_preselects_the_council(world: World) -> None:
    fw = funding_world(world)
    closed = make_programme(
        world.state,
        title="Abgelaufen",
        application_start=today() - datetime.timedelta(days=90),
        deadline=today() - datetime.timedelta(days=1),
    )
    response = world.client("coordinator").get(URL + f"?programme={fw.programme.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert fw.programme.title in html
    assert closed.title not in html
    assert fw.other_programme.title not in html
    assert f'<option value="{fw.programme.pk}" selected>' in html
    assert f'<option value="{world.council.pk}" selected>' in html
    assert world.other_council.name not in html


@pytest.mark.django_db
def test_it_creates_a_draft_and_goes_to_step_two(world: World) -> None:
    fw = funding_world(world)
    response = world.client("coordinator").post(
        URL, _data(fw.programme, world.council.pk, carrier_name="Sportverein Hameln")
    )
    created = FundingRequest.objects.get(title="Nachtwanderung")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "funding:request_step", kwargs={"pk": created.pk, "step": 2}
    )
    assert created.status == S.DRAFT
    assert created.applicant == world.council
    assert created.programme == fw.programme
    assert created.carrier_name == "Sportverein Hameln"
    assert created.created_by == world.users["coordinator"]
    assert created.region == world.council.region


@pytest.mark.django_db
def test_it_refuses_a_programme_of_another_state_and_keeps_the_input(world: World) -> None:
    fw = funding_world(world)
    count = FundingRequest.objects.count()
    response = world.client("coordinator").post(URL, _data(fw.other_programme, world.council.pk))
    assert response.status_code == 200
    assert "Nachtwanderung" in response.content.decode()
    assert "programme" in response.context["form"].errors
    assert FundingRequest.objects.count() == count


@pytest.mark.django_db
def test_it_refuses_a_council_the_user_does_not_coordinate(world: World) -> None:
    fw = funding_world(world)
    count = FundingRequest.objects.count()
    response = world.client("coordinator").post(URL, _data(fw.programme, world.other_council.pk))
    assert response.status_code == 200
    assert "applicant" in response.context["form"].errors
    assert FundingRequest.objects.count() == count


@pytest.mark.django_db
def test_a_missing_title_keeps_the_choices(world: World) -> None:
    fw = funding_world(world)
    response = world.client("coordinator").post(
        URL, _data(fw.programme, world.council.pk, title="")
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert f'<option value="{fw.programme.pk}" selected>' in response.content.decode()


@pytest.mark.django_db
def test_without_an_open_programme_it_explains(world: World) -> None:
    response = world.client("coordinator").get(URL)
    assert response.status_code == 200
    assert "No programme accepts requests at the moment" in response.content.decode()
    assert response.context["has_programmes"] is False


@pytest.mark.django_db
def test_it_requires_login(world: World) -> None:
    response = world.client("anonymous").get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "state_staff", "ngo_representative"])
def test_it_is_for_council_coordinators_only(world: World, role: str) -> None:
    funding_world(world)
    assert world.client(role).get(URL).status_code == 403


@pytest.mark.django_db
def test_it_rejects_other_methods(world: World) -> None:
    assert world.client("coordinator").put(URL).status_code == 405
