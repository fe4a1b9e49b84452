"""The strategy part of the state dashboard: progress, overdue and unassigned measures."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from strategy.dashboard import state_strategy_summary
from strategy.models import Goal, Level, MeasureStatus
from tests.conftest import World
from tests.querycount import assert_constant_queries, count_queries
from tests.strategy.factories import GoalFactory, strategy_world
from tests.strategy.test_my_measures import add_measures

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


def _summary(world: World) -> dict[str, Any]:
    return state_strategy_summary(world.state, today=TODAY)


def test_progress_of_each_adopted_strategy(world: World) -> None:
    sw = strategy_world(world)
    Goal.objects.filter(pk=sw.measure.pk).update(progress=40)
    add_measures(sw.adopted, sw.operational, 1, responsible=world.council, progress=80)
    summary = _summary(world)
    assert [row["strategy"] for row in summary["strategies"]] == [sw.adopted]
    assert summary["strategies"][0]["progress"] == Decimal("60.0")
    assert summary["strategies"][0]["measure_count"] == 2


def test_overdue_and_unassigned_measures(world: World) -> None:
    sw = strategy_world(world)
    overdue = add_measures(
        sw.adopted,
        sw.operational,
        1,
        responsible=world.council,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )[0]
    add_measures(  # finished in time: not overdue
        sw.adopted,
        sw.operational,
        1,
        responsible=world.council,
        status=MeasureStatus.DONE,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    unassigned = GoalFactory(
        strategy=sw.adopted, parent=sw.operational, level=Level.MEASURE, title="Offen"
    )
    draft_measure = sw.draft.goals.get(level=Level.MEASURE)
    summary = _summary(world)
    assert summary["overdue"] == [overdue]
    assert summary["unassigned"] == [unassigned]
    assert draft_measure not in summary["unassigned"]
    assert sw.other_state_measure not in summary["overdue"] + summary["unassigned"]
    assert summary["overdue"][0].strategy == sw.adopted


def test_two_queries_however_big_the_trees(world: World) -> None:
    sw = strategy_world(world)
    queries, _ = count_queries(lambda: _summary(world))
    assert queries == 2

    def grow() -> None:
        add_measures(sw.adopted, sw.operational, 250, responsible=world.council)
        add_measures(sw.adopted, sw.operational, 250, end_date=datetime.date(2026, 1, 31))

    assert_constant_queries(lambda: _summary(world), grow, max_queries=2)


def test_include_renders_headings_captions_and_rows(world: World) -> None:
    sw = strategy_world(world)
    Goal.objects.filter(pk=sw.measure.pk).update(progress=40, end_date=datetime.date(2026, 6, 30))
    GoalFactory(strategy=sw.adopted, parent=sw.operational, level=Level.MEASURE, title="Offen")
    with translation.override("en"):
        html = render_to_string(
            "strategy/includes/dashboard_strategy.html", {"summary": _summary(world)}
        )
    assert "<h2" in html and "Strategy progress" in html
    assert html.count("<caption>") == 3
    assert sw.adopted.title in html
    assert "Offen" in html
    assert "Maßnahme" in html
    assert 'value="20.0"' in html  # the mean of 40 and the unreported 0
    assert 'style="' not in html


def test_include_empty_state(world: World) -> None:
    with translation.override("en"):
        html = render_to_string(
            "strategy/includes/dashboard_strategy.html", {"summary": _summary(world)}
        )
    assert "No strategy has been adopted yet." in html
    assert "No measure is overdue." in html
