"""Choosers: a name search and a select of at most 20 matches instead of a drop-down of all.

Checked on the funding request list (the council chooser) and the public list of funded
projects; the other lists use the same filters (councils.choosers).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from councils.choosers import MAX_SUGGESTIONS
from councils.models import Organisation
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.factories import OrganisationFactory
from tests.funding.factories import FundingWorld, funding_world
from tests.funding.test_lists import bulk_requests
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST_URL = reverse("funding:request_list")
_OPTION = re.compile(r'<option value="(\d*)"[^>]*>([^<]*)</option>')


@pytest.fixture
def fw(world: World) -> FundingWorld:
    return funding_world(world)


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def councils_applying(world: World, fw: FundingWorld, count: int) -> list[Organisation]:
    """More councils of the first state, each with a submitted request."""
    councils = [
        OrganisationFactory(state=world.state, region=world.council.region, name=f"Rat {n:03d}")
        for n in range(count)
    ]
    for council in councils:
        bulk_requests(fw.programme, council, 1, status=S.SUBMITTED)
    return councils


def select_of(page: str, name: str) -> str:
    match = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert match is not None, f"no select {name}"
    return match.group(0)


def options(html: str) -> list[tuple[str, str]]:
    return [(value, label) for value, label in _OPTION.findall(html) if value]


def test_the_council_select_holds_at_most_twenty(world: World, fw: FundingWorld) -> None:
    councils_applying(world, fw, 30)
    page = english(world.client("state_staff")).get(LIST_URL).content.decode()

    offered = options(select_of(page, "applicant"))
    assert len(offered) == MAX_SUGGESTIONS
    assert "20 of 32 shown: type more of the name to narrow the choice." in page
    # The search field is labelled and controls the select; the select names its status line.
    assert re.search(r'<label[^>]*for="id_applicant_name"[^>]*>\s*Search councils by name', page)
    search = r'<input type="search" name="applicant_name"[^>]*aria-controls="id_applicant"'
    assert re.search(search, page)
    assert 'aria-describedby="id_applicant_status"' in page
    assert 'id="id_applicant_status" role="status"' in page


def test_without_script_the_search_narrows_the_list_and_the_choice(
    world: World, fw: FundingWorld
) -> None:
    councils_applying(world, fw, 30)
    response = english(world.client("state_staff")).get(LIST_URL, {"applicant_name": "lüneburg"})
    page = response.content.decode()

    assert options(select_of(page, "applicant")) == [
        (str(world.other_council.pk), "Präventionsrat Lüneburg")
    ]
    assert {r.applicant_id for r, _badge in response.context["rows"]} == {world.other_council.pk}
    # Then the council is chosen from the matches: the list holds its requests only.
    response = world.client("state_staff").get(LIST_URL, {"applicant": world.other_council.pk})
    assert {r.applicant_id for r, _badge in response.context["rows"]} == {world.other_council.pk}


def test_the_chosen_council_stays_offered_whatever_is_searched(
    world: World, fw: FundingWorld
) -> None:
    councils_applying(world, fw, 30)
    page = (
        world.client("state_staff")
        .get(LIST_URL, {"applicant": world.council.pk, "applicant_name": "Rat 00"})
        .content.decode()
    )
    select = select_of(page, "applicant")
    offered = options(select)
    assert offered[0] == (str(world.council.pk), "Präventionsrat Hameln")
    assert f'<option value="{world.council.pk}" selected>' in select
    assert [label for _value, label in offered[1:]] == [f"Rat {n:03d}" for n in range(10)]


def suggest(client: Client, url: str, field: str, text: str, **extra: Any) -> str:
    response = english(client).get(
        url, {"suggest": field, f"{field}_name": text, **extra}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return response.content.decode()


def test_htmx_gets_the_matching_options_of_the_users_scope(world: World, fw: FundingWorld) -> None:
    staff = suggest(world.client("state_staff"), LIST_URL, "applicant", "Präventionsrat")
    assert "<select" not in staff and "<html" not in staff
    assert {label for _value, label in options(staff)} == {
        "Präventionsrat Hameln",
        "Präventionsrat Lüneburg",
    }
    assert 'id="id_applicant_status"' in staff and 'hx-swap-oob="true"' in staff
    assert "2 to choose from." in staff
    # No other state's council, even when its name is typed in full.
    assert options(suggest(world.client("state_staff"), LIST_URL, "applicant", "Rostock")) == []
    # A council's people see only the councils of the requests they may read: their own.
    coordinator = suggest(world.client("coordinator"), LIST_URL, "applicant", "Präventionsrat")
    assert options(coordinator) == [(str(world.council.pk), "Präventionsrat Hameln")]
    # The platform admin sees every state.
    admin = suggest(world.client("platform_admin"), LIST_URL, "applicant", "Rostock")
    assert options(admin) == [(str(world.other_state_council.pk), "Präventionsrat Rostock")]


def test_an_unknown_chooser_is_the_list_itself(world: World, fw: FundingWorld) -> None:
    response = world.client("state_staff").get(LIST_URL, {"suggest": "status"})
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_the_suggestions_keep_their_query_count(world: World, fw: FundingWorld) -> None:
    client = world.client("state_staff")
    assert_constant_queries(
        lambda: suggest(client, LIST_URL, "applicant", "Rat"),
        lambda: councils_applying(world, fw, 40),
        # session, user, memberships; the councils of the visible requests, read once for all
        # the list's choices (core.queries.distinct_values); the matches, and their number
        max_queries=6,
    )


def test_the_public_list_offers_the_funded_councils_of_its_state(
    world: World, fw: FundingWorld
) -> None:
    url = reverse("funding:public_list", kwargs={"slug": world.state.slug})
    page = suggest(Client(), url, "council", "Präventionsrat")
    # Only the approved request's council: the others have nothing funded yet.
    assert options(page) == [(str(world.council.pk), "Präventionsrat Hameln")]
    assert options(suggest(Client(), url, "council", "Rostock")) == []
    listing = english(Client()).get(url, {"council_name": "hameln"})
    assert [p["title"] for p in listing.context["page"].object_list] == [fw.approved.title]


@pytest.mark.postgres
def test_the_name_search_can_use_the_trigram_index(world: World) -> None:
    """The index's expression is the one Django's icontains writes (councils migration 0008)."""
    from django.db import connection

    queryset = Organisation.objects.filter(name__icontains="hameln")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test world is far too small
        # Nor through the name order's B-tree (organisation_name), filtering every row.
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "organisation_name_trgm" in plan, plan


@pytest.mark.postgres
def test_the_member_search_can_use_the_trigram_indexes_of_the_names(world: World) -> None:
    """The people's names, user names and e-mail addresses as icontains writes them
    (councils migration 0010), for the member list's search."""
    from django.db import connection
    from django.db.models import Q

    from councils.models import User

    people = User.objects.filter(
        Q(first_name__icontains="schmidt")
        | Q(last_name__icontains="schmidt")
        | Q(username__icontains="schmidt")
        | Q(email__icontains="schmidt")
    ).order_by()
    sql, params = people.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("user_first_name_trgm", "user_last_name_trgm", "user_username_trgm"):
        assert index in plan, plan
    assert "user_email_trgm" in plan, plan
