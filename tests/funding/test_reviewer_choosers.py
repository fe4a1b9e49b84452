"""Reviewers are chosen by a name search: a state network has thousands of people.

The send-to-review page showed a checkbox for every person of the state (1 MB at federal
scale), the add-a-reviewer page a select of all of them (300 KB).
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from councils.choosers import MAX_SUGGESTIONS
from councils.models import User
from funding.models import FundingRequest
from funding.models import RequestStatus as S
from funding.permissions import is_assigned_reviewer
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.funding.factories import FundingWorld, funding_world
from tests.funding.test_review_views import in_check

pytestmark = pytest.mark.django_db

_INPUT = re.compile(r"<input[^>]*>")
_OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]*)</option>')


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def checkboxes(html: str) -> list[tuple[str, str]]:
    """(value, the whole tag) of each reviewer checkbox, in page order."""
    found = []
    for tag in _INPUT.findall(html):
        value = re.search(r'value="(\d+)"', tag)
        if 'type="checkbox"' in tag and 'name="reviewers"' in tag and value:
            found.append((value.group(1), tag))
    return found


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name: str, request: FundingRequest) -> str:
    return reverse(f"funding:{name}", kwargs={"pk": request.pk})


def experts(world: World, count: int) -> list[User]:
    """People of an NGO of the state (not the applicant): all of them may review."""
    people = [
        UserFactory(username=f"expertin{n:02d}", first_name="Expertin", last_name=f"Zeta {n:02d}")
        for n in range(count)
    ]
    for person in people:
        MembershipFactory(user=person, organisation=world.ngo)
    return people


def test_send_to_review_shows_at_most_twenty_people_with_a_search(
    world: World, fw: FundingWorld
) -> None:
    request = in_check(world, fw)
    experts(world, 30)
    page = english(world.client("state_staff")).get(url("request_start_review", request))
    html = page.content.decode()

    assert len(checkboxes(html)) == MAX_SUGGESTIONS
    assert "shown: type more of the name to narrow the choice." in html
    assert re.search(r'<label[^>]*for="id_reviewers_search"', html)
    # The search button comes first: Enter in the search field searches and saves nothing.
    assert html.index('value="search"') < html.index("Send to review</button>")


def test_the_search_shows_matches_keeps_the_ticks_and_saves_nothing(
    world: World, fw: FundingWorld
) -> None:
    request = in_check(world, fw)
    people = experts(world, 30)
    ngo = world.users["ngo_representative"]
    client = world.client("state_staff")

    page = client.post(
        url("request_start_review", request),
        {"action": "search", "reviewers_search": "zeta 2", "reviewers": [ngo.pk]},
    )

    assert page.status_code == 200
    assert FundingRequest.objects.get(pk=request.pk).status == S.FORMAL_CHECK
    shown = checkboxes(page.content.decode())
    ticked = [pk for pk, attrs in shown if "checked" in attrs]
    assert ticked == [str(ngo.pk)]
    values = [pk for pk, _attrs in shown]
    # The ticked person first, then the matches: every word in a name, username or address.
    assert values[0] == str(ngo.pk)
    assert {str(p.pk) for p in people[20:30]} <= set(values)
    assert str(people[0].pk) not in values and str(people[11].pk) not in values

    chosen = [ngo.pk, people[25].pk]
    response = client.post(url("request_start_review", request), {"reviewers": chosen})
    assert response.status_code == 302
    assert FundingRequest.objects.get(pk=request.pk).status == S.REVIEW
    assert is_assigned_reviewer(ngo, request) and is_assigned_reviewer(people[25], request)


def test_send_to_review_refuses_a_person_of_another_state(world: World, fw: FundingWorld) -> None:
    request = in_check(world, fw)
    outsider = world.users["other_state_coordinator"]
    response = world.client("state_staff").post(
        url("request_start_review", request), {"reviewers": [outsider.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reviewers"]
    assert FundingRequest.objects.get(pk=request.pk).status == S.FORMAL_CHECK


def test_add_a_reviewer_by_search_and_suggestions(world: World, fw: FundingWorld) -> None:
    people = experts(world, 30)
    client = english(world.client("state_staff"))
    page = client.get(url("reviewer_assign", fw.in_review)).content.decode()
    select = re.search(r'<select name="reviewer".*?</select>', page, re.S)
    assert select is not None and len(_OPTION.findall(select.group(0))) == MAX_SUGGESTIONS
    assert re.search(r'<input type="search" name="reviewer_search"[^>]*data-hx-get=', page)

    answer = client.get(
        url("reviewer_assign", fw.in_review),
        {"suggest": "reviewer", "reviewer_search": "Zeta 07"},
    )
    assert [pk for pk, _label in _OPTION.findall(answer.content.decode())] == [str(people[7].pk)]

    # Without script: a search but no choice keeps the input and asks to choose.
    kept = client.post(url("reviewer_assign", fw.in_review), {"reviewer_search": "Zeta 1"})
    assert kept.status_code == 200
    assert "Choose the person among the matches of your search." in kept.content.decode()

    response = client.post(url("reviewer_assign", fw.in_review), {"reviewer": people[7].pk})
    assert response.status_code == 302
    assert is_assigned_reviewer(people[7], fw.in_review)


@pytest.mark.parametrize("role", ["ngo_representative", "other_state_admin", "coordinator"])
def test_suggestions_of_people_are_for_the_request_s_staff_only(
    world: World, fw: FundingWorld, role: str
) -> None:
    experts(world, 3)
    answer = world.client(role).get(
        url("reviewer_assign", fw.in_review), {"suggest": "reviewer", "reviewer_search": "Zeta"}
    )
    assert answer.status_code in (403, 404)
    assert b"expertin00@example.org" not in answer.content


def test_suggestions_of_people_ask_anonymous_visitors_to_sign_in(fw: FundingWorld) -> None:
    answer = Client().get(
        url("reviewer_assign", fw.in_review), {"suggest": "reviewer", "reviewer_search": "a"}
    )
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_a_search_with_nul_bytes_is_no_server_error(world: World, fw: FundingWorld) -> None:
    # PostgreSQL refuses NUL in a text; the search is matched without it.
    request = in_check(world, fw)
    experts(world, 3)
    client = world.client("state_staff")
    searched = client.post(
        url("request_start_review", request),
        {"action": "search", "reviewers_search": "\x00Zeta\x00", "reviewers": "\x00a"},
    )
    assert searched.status_code == 200
    assert FundingRequest.objects.get(pk=request.pk).status == S.FORMAL_CHECK
    assigned = client.post(
        url("reviewer_assign", fw.in_review), {"reviewer_search": "\x00Zeta", "reviewer": "\x00"}
    )
    assert assigned.status_code == 200
