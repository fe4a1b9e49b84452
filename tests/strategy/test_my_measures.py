"""My measures: the active organisation's measures; all of the state for state staff."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from councils.models import Organisation
from strategy.models import Goal, Level, MeasureStatus, Strategy
from tests.conftest import World
from tests.querycount import assert_constant_queries
from tests.strategy.factories import strategy_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """Assertions read the English message ids; the German translation follows later."""
    settings.LANGUAGE_CODE = "en"


URL = reverse("strategy:my_measures")


def add_measures(
    strategy: Strategy,
    parent: Goal,
    count: int,
    *,
    responsible: Organisation | None = None,
    **fields: object,
) -> list[Goal]:
    """Many measures below one goal, in a few queries."""
    measures = Goal.objects.bulk_create(
        Goal(
            strategy=strategy,
            parent=parent,
            level=Level.MEASURE,
            position=100 + i,
            title=f"Maßnahme {i}",
            **{
                "status": MeasureStatus.RUNNING,
                "start_date": datetime.date(2026, 1, 1),
                "end_date": datetime.date(2026, 12, 31),
                **fields,
            },
        )
        for i in range(count)
    )
    if responsible is not None:
        through = Goal.responsible.through
        through.objects.bulk_create(
            through(goal_id=m.pk, organisation_id=responsible.pk) for m in measures
        )
    return measures


def test_coordinator_sees_the_council_measures_with_a_report_button(world: World) -> None:
    sw = strategy_world(world)
    response = world.client("coordinator").get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "Maßnahme" in content
    assert sw.adopted.title in content
    assert reverse("strategy:report_create", kwargs={"pk": sw.measure.pk}) in content
    assert [row["measure"] for row in response.context["rows"]] == [sw.measure]


def test_member_sees_them_without_a_report_button(world: World) -> None:
    sw = strategy_world(world)
    response = world.client("member").get(URL)
    assert [row["measure"] for row in response.context["rows"]] == [sw.measure]
    assert reverse("strategy:report_create", kwargs={"pk": sw.measure.pk}) not in (
        response.content.decode()
    )


def test_other_organisations_see_an_empty_state(world: World) -> None:
    strategy_world(world)
    response = world.client("ngo_representative").get(URL)
    assert response.context["rows"] == []
    assert "not responsible for any measure" in response.content.decode()
    other = world.client("other_state_coordinator").get(URL)
    assert [r["measure"] for r in other.context["rows"]] == [
        strategy_world(world).other_state_measure
    ]


def test_drafts_are_not_listed_for_councils(world: World) -> None:
    sw = strategy_world(world)
    draft_measure = sw.draft.goals.get(level=Level.MEASURE)
    draft_measure.responsible.add(world.council)
    response = world.client("coordinator").get(URL)
    assert [row["measure"] for row in response.context["rows"]] == [sw.measure]


def test_state_staff_see_all_measures_of_their_state(world: World) -> None:
    sw = strategy_world(world)
    response = world.client("state_staff").get(URL)
    measures = {row["measure"] for row in response.context["rows"]}
    assert sw.measure in measures
    assert sw.other_state_measure not in measures
    assert response.context["staff_view"]


def test_state_staff_filters(world: World) -> None:
    sw = strategy_world(world)
    overdue = add_measures(
        sw.adopted,
        sw.operational,
        1,
        end_date=datetime.date(2020, 12, 31),
        start_date=datetime.date(2020, 1, 1),
    )[0]
    add_measures(
        sw.adopted,
        sw.operational,
        1,
        status=MeasureStatus.DONE,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 6, 30),
    )
    client = world.client("state_staff")

    def listed(**query: str) -> set[Goal]:
        return {row["measure"] for row in client.get(URL, query).context["rows"]}

    assert listed(overdue="yes") == {overdue}
    assert sw.measure not in listed(unassigned="yes")
    assert overdue in listed(unassigned="yes")
    assert listed(strategy=str(sw.adopted.pk), status=MeasureStatus.DONE) == {
        m for m in Goal.objects.filter(strategy=sw.adopted, status=MeasureStatus.DONE)
    }
    # A strategy of another state is not a valid choice: the filter is ignored, nothing leaks.
    leaked = listed(strategy=str(sw.other_state.pk))
    assert sw.other_state_measure not in leaked


def test_login_and_method(world: World) -> None:
    assert world.client("anonymous").get(URL).status_code == 302
    assert world.client("coordinator").post(URL).status_code == 405


def test_queries_do_not_grow_for_the_council(world: World) -> None:
    sw = strategy_world(world)
    add_measures(sw.adopted, sw.operational, 4, responsible=world.council)
    client = world.client("coordinator")
    assert_constant_queries(
        lambda: client.get(URL),
        lambda: add_measures(sw.adopted, sw.operational, 500, responsible=world.council),
    )


def test_queries_do_not_grow_for_state_staff(world: World) -> None:
    sw = strategy_world(world)
    add_measures(sw.adopted, sw.operational, 4, responsible=world.council)
    client = world.client("state_staff")
    assert_constant_queries(
        lambda: client.get(URL, {"overdue": "", "status": ""}),
        lambda: add_measures(sw.adopted, sw.operational, 500),
    )
