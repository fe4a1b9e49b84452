"""The timeline: a Gantt-like table of a strategy's measures by month or quarter."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from strategy.models import Goal, Level, MeasureStatus
from strategy.views.progress import timeline_columns
from tests.conftest import World
from tests.querycount import assert_constant_queries
from tests.strategy.factories import GoalFactory, strategy_world
from tests.strategy.test_my_measures import add_measures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def _url(strategy_pk: int) -> str:
    return reverse("strategy:timeline", kwargs={"pk": strategy_pk})


def test_months_for_up_to_two_years() -> None:
    columns = timeline_columns(datetime.date(2026, 1, 15), datetime.date(2027, 6, 30))
    assert len(columns) == 18
    assert columns[0].start == datetime.date(2026, 1, 1)
    assert columns[0].end == datetime.date(2026, 1, 31)
    assert columns[-1].long_label == "06/2027"


def test_quarters_for_longer_periods() -> None:
    columns = timeline_columns(datetime.date(2026, 2, 1), datetime.date(2029, 11, 30))
    assert columns[0].label == "Q1/26"
    assert columns[-1].label == "Q4/29"
    assert len(columns) == 16


def test_member_reads_the_timeline_as_a_table(world: World) -> None:
    sw = strategy_world(world)
    GoalFactory(
        strategy=sw.adopted,
        parent=sw.operational,
        level=Level.MEASURE,
        title="Regionalkonferenz",
        status=MeasureStatus.PLANNED,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 4, 30),
    )
    response = world.client("member").get(_url(sw.adopted.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert "<caption>" in content
    assert 'scope="rowgroup"' in content
    assert "Operativ" in content  # the operational goal heads its group
    assert "Regionalkonferenz" in content
    assert 'style="' not in content
    assert "strategy/timeline.css" in content
    # 01/2026 … 06/2027: the measure of the world runs all 18 months, the conference two.
    assert len(response.context["columns"]) == 18
    rows = {row.measure.title: row.cells for row in response.context["groups"][0].rows}
    assert sum(rows["Maßnahme"]) == 18
    assert rows["Regionalkonferenz"][:5] == [False, False, True, True, False]
    assert content.count('<abbr title="runs">■</abbr>') == 20


def test_strategy_without_measures_has_an_empty_state(world: World) -> None:
    sw = strategy_world(world)
    Goal.objects.filter(strategy=sw.adopted, level=Level.MEASURE).delete()
    response = world.client("state_staff").get(_url(sw.adopted.pk))
    assert "no measures with a period yet" in response.content.decode()


def test_access(world: World) -> None:
    sw = strategy_world(world)
    assert world.client("anonymous").get(_url(sw.adopted.pk)).status_code == 302
    assert world.client("other_state_admin").get(_url(sw.adopted.pk)).status_code == 404
    assert world.client("coordinator").get(_url(sw.draft.pk)).status_code == 404
    assert world.client("state_staff").get(_url(sw.draft.pk)).status_code == 200
    assert world.client("state_staff").post(_url(sw.adopted.pk)).status_code == 405


def test_queries_do_not_grow(world: World) -> None:
    sw = strategy_world(world)
    client = world.client("state_staff")

    def grow() -> None:
        for i in range(5):
            operational = GoalFactory(
                strategy=sw.adopted,
                parent=sw.strategic,
                level=Level.OPERATIONAL_GOAL,
                title=f"Operatives Ziel {i}",
            )
            add_measures(sw.adopted, operational, 100, responsible=world.council)

    assert_constant_queries(lambda: client.get(_url(sw.adopted.pk)), grow)
