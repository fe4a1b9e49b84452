"""The invitation's organisation is a chooser: a name search and at most 20 matches.

A platform admin administers every organisation of all states; the select would otherwise hold
thousands of options (4,239 and 347 KB at federal scale).
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from councils.choosers import MAX_SUGGESTIONS
from councils.models import Invitation, Organisation, Role
from tests.conftest import World
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("councils:invitation_create")
_OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]*)</option>')


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def organisation_options(page: str) -> list[tuple[str, str]]:
    match = re.search(r'<select name="organisation".*?</select>', page, re.S)
    assert match is not None, "no organisation select"
    return _OPTION.findall(match.group(0))


def more_councils(world: World, count: int) -> list[Organisation]:
    return [
        OrganisationFactory(state=world.state, region=world.council.region, name=f"Rat {n:03d}")
        for n in range(count)
    ]


def test_the_select_holds_at_most_twenty_with_a_labelled_search(world: World) -> None:
    more_councils(world, 30)
    page = english(world.client("state_admin")).get(CREATE).content.decode()

    assert len(organisation_options(page)) == MAX_SUGGESTIONS
    assert "shown: type more of the name to narrow the choice." in page
    assert re.search(r'<label[^>]*for="id_organisation_search"[^>]*>\s*Search organisations', page)
    assert re.search(r'<input type="search" name="organisation_search"[^>]*data-hx-get=', page)


def test_suggestions_are_the_matches_in_the_own_scope_only(world: World) -> None:
    more_councils(world, 30)
    OrganisationFactory(state=world.other_state, name="Rat 007 im anderen Land")
    client = world.client("state_admin")

    answer = client.get(CREATE, {"suggest": "organisation", "organisation_search": "Rat 007"})

    assert answer.status_code == 200
    offered = _OPTION.findall(answer.content.decode())
    assert [label for _pk, label in offered] == ["Rat 007"]
    # The suggestion request with a chosen organisation does not fix the form to it.
    chosen = Organisation.objects.get(name="Rat 007")
    answer = client.get(
        CREATE,
        {"suggest": "organisation", "organisation_search": "Rat 01", "organisation": chosen.pk},
    )
    labels = [label for _pk, label in _OPTION.findall(answer.content.decode())]
    assert labels[0] == "Rat 007" and "Rat 010" in labels


def test_the_chosen_organisation_is_invited_into(world: World) -> None:
    target = more_councils(world, 30)[25]
    response = world.client("state_admin").post(
        CREATE,
        {
            "email": "neu@example.org",
            "organisation_search": "Rat 025",
            "organisation": target.pk,
            "role": Role.COUNCIL_MEMBER,
            "position": "member",
            "affiliation": "other",
        },
    )

    assert response.status_code == 302
    assert Invitation.objects.get(email="neu@example.org").organisation == target


def test_a_search_without_a_choice_keeps_the_input_and_offers_the_matches(world: World) -> None:
    more_councils(world, 30)
    response = english(world.client("state_admin")).post(
        CREATE,
        {
            "email": "neu@example.org",
            "organisation_search": "Rat 02",
            "role": Role.COUNCIL_MEMBER,
            "position": "member",
            "affiliation": "other",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the organisation among the matches of your search." in page
    assert 'value="neu@example.org"' in page and 'value="Rat 02"' in page
    # Every word of the search in the name: "Rat" and "02".
    assert [label for _pk, label in organisation_options(page)] == [
        "Rat 002",
        *(f"Rat {n:03d}" for n in range(20, 30)),
    ]
    assert not Invitation.objects.exists()


def test_an_organisation_of_another_state_is_refused(world: World) -> None:
    response = world.client("state_admin").post(
        CREATE,
        {
            "email": "neu@example.org",
            "organisation": world.other_state_council.pk,
            "role": Role.COUNCIL_MEMBER,
            "position": "member",
            "affiliation": "other",
        },
    )

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Invitation.objects.exists()
