"""The query building blocks: several counts in one statement, a list's head with its total."""

from __future__ import annotations

import pytest
from django.db.models import Q

from core.queries import (
    InSubquery,
    Total,
    distinct_combinations,
    distinct_values,
    head_and_count,
    head_and_total,
)
from councils.models import Membership, Organisation, StateNetwork
from tests.conftest import World
from tests.factories import MembershipFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def test_totals_come_back_in_one_query(world: World) -> None:
    seats = Membership.objects.filter(organisation__state=world.state)
    MembershipFactory(user=world.users["member"], organisation=world.other_council)

    def figures() -> dict[str, int]:
        return (
            StateNetwork.objects.filter(pk=world.state.pk)
            .annotate(
                seats=Total(seats),
                people=Total(seats.values("user").distinct()),
                councils=Total(Organisation.objects.filter(state=world.state).councils()),
            )
            .values("seats", "people", "councils")
            .get()
        )

    queries, _ = count_queries(figures)
    assert queries == 1
    assert figures() == {"seats": 7, "people": 6, "councils": 2}  # the member sits twice


def test_the_head_and_the_total_come_in_one_query(world: World) -> None:
    everyone = Organisation.objects.order_by("name")
    rows: list[Organisation] = []
    total = 0

    def head() -> None:
        nonlocal rows, total
        rows, total = head_and_total(everyone, 3)

    queries, _ = count_queries(head)
    assert queries == 1
    assert total == Organisation.objects.count() == 6
    assert rows == list(everyone[:3])


def test_an_empty_list_has_the_total_zero(world: World) -> None:
    assert head_and_total(Organisation.objects.filter(name="nichts"), 10) == ([], 0)


def test_head_and_count_are_two_queries_with_the_same_answer(world: World) -> None:
    everyone = Organisation.objects.order_by("name")
    answers: list[tuple[list[Organisation], int]] = []

    queries, _ = count_queries(lambda: answers.append(head_and_count(everyone, 3)))

    assert queries == 2
    assert answers == [head_and_total(everyone, 3)]
    assert head_and_count(everyone.filter(name="nichts"), 10) == ([], 0)


def test_in_subquery_is_in_alone_and_under_or(world: World) -> None:
    offices = Organisation.objects.filter(pk=world.office.pk).values("pk")
    everyone = Organisation.objects.order_by("pk")
    assert list(everyone.filter(InSubquery("pk", offices))) == [world.office]
    assert set(everyone.filter(Q(InSubquery("pk", offices)) | Q(pk=world.council.pk))) == {
        world.office,
        world.council,
    }
    assert list(everyone.exclude(InSubquery("pk", offices))) == list(
        everyone.exclude(pk=world.office.pk)
    )
    assert not everyone.filter(InSubquery("pk", offices.none())).exists()


def test_distinct_values_of_several_fields_come_in_one_query(world: World) -> None:
    organisations = Organisation.objects.filter(state__in=[world.state, world.other_state])
    found: list[dict[str, set[object]]] = []

    queries, _ = count_queries(
        lambda: found.append(distinct_values(organisations, "state", "kind", "region"))
    )

    assert queries == 1
    assert found[0] == {
        "state": {world.state.pk, world.other_state.pk},
        "kind": set(organisations.values_list("kind", flat=True)),
        "region": set(organisations.exclude(region=None).values_list("region", flat=True)),
    }
    # The way for other databases gives the same answer.
    assert distinct_combinations(organisations, "state", "kind", "region") == found[0]
    assert distinct_values(organisations.none(), "state", "kind") == {"state": set(), "kind": set()}
