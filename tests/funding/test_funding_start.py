"""``/foerderung/`` is the funding start page of every role (issue 10, point 13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import World
from tests.funding.factories import funding_world
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

START = "/foerderung/"


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def test_the_start_page_is_the_funding_root() -> None:
    assert reverse("funding:start") == START


def test_staff_see_their_work_and_budgets(world: World) -> None:
    fw = funding_world(world)
    response = world.client("state_staff").get(START)
    assert response.status_code == 200
    html = response.content.decode()
    assert "What waits for you" in html
    assert fw.programme.title in html  # the budget table
    assert fw.other_programme.title not in html


def test_a_coordinator_sees_the_councils_requests_and_open_programmes(world: World) -> None:
    fw = funding_world(world)
    html = world.client("coordinator").get(START).content.decode()
    assert fw.draft.title in html
    assert "New request" in html
    assert fw.programme.title in html
    assert fw.other_state_request.title not in html


def test_others_see_the_open_programmes_of_their_state(world: World) -> None:
    fw = funding_world(world)
    html = world.client("ngo_representative").get(START).content.decode()
    assert 'id="open-programmes"' in html
    assert fw.programme.title in html
    assert fw.other_programme.title not in html
    assert fw.draft.title not in html


def test_the_start_page_needs_a_login(world: World) -> None:
    assert world.client("anonymous").get(START).status_code == 302


def test_the_start_page_keeps_its_query_count(world: World) -> None:
    from tests.funding.test_lists import bulk_requests

    fw = funding_world(world)
    client = world.client("state_staff")

    assert_constant_queries(
        lambda: client.get(START), lambda: bulk_requests(fw.programme, world.council, 20)
    )
