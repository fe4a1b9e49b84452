"""The progress roll-up: weighted, else the mean; dropped and zero-weight items do not count."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategy import services
from strategy.models import Goal, Level, MeasureStatus, Strategy
from strategy.progress import Node, build_tree
from tests.conftest import World

from .factories import GoalFactory, StrategyFactory, make_tree


def _measure(parent: Goal, *, progress: int, weight: str | None = None, **kw: Any) -> Goal:
    return GoalFactory(
        strategy=parent.strategy,
        parent=parent,
        level=Level.MEASURE,
        progress=progress,
        weight=None if weight is None else Decimal(weight),
        status=kw.pop("status", MeasureStatus.RUNNING),
        **kw,
    )


def _progress(strategy: Strategy) -> dict[int, Decimal | None]:
    roots = build_tree(strategy.goals.all())
    return {node.goal.pk: node.progress for root in roots for node in root.walk()}


@pytest.fixture
def tree(world: World) -> list[Goal]:
    strategy = StrategyFactory(state=world.state)
    guiding, strategic, operational, measure = make_tree(strategy)
    measure.progress = 40
    measure.save()
    return [guiding, strategic, operational, measure]


def test_a_single_measure_rolls_up_to_every_parent(tree: list[Goal]) -> None:
    values = _progress(tree[0].strategy)
    assert [values[goal.pk] for goal in tree] == [Decimal("40")] * 4


def test_without_weights_a_parent_gets_the_mean(tree: list[Goal]) -> None:
    _measure(tree[2], progress=100)
    _measure(tree[2], progress=10)
    assert _progress(tree[0].strategy)[tree[2].pk] == Decimal("50.0")


def test_weights_count(tree: list[Goal]) -> None:
    tree[3].weight = Decimal("3")
    tree[3].save()
    _measure(tree[2], progress=100, weight="1")
    # (3 × 40 + 1 × 100) / 4 = 55
    assert _progress(tree[0].strategy)[tree[0].pk] == Decimal("55.0")


def test_an_item_without_weight_counts_as_one(tree: list[Goal]) -> None:
    _measure(tree[2], progress=100, weight="3")
    # (1 × 40 + 3 × 100) / 4 = 85
    assert _progress(tree[0].strategy)[tree[2].pk] == Decimal("85.0")


def test_dropped_measures_do_not_count(tree: list[Goal]) -> None:
    _measure(tree[2], progress=0, status=MeasureStatus.DROPPED)
    values = _progress(tree[0].strategy)
    assert values[tree[2].pk] == Decimal("40")


def test_zero_weight_does_not_count(tree: list[Goal]) -> None:
    _measure(tree[2], progress=100, weight="0")
    assert _progress(tree[0].strategy)[tree[2].pk] == Decimal("40")


def test_a_goal_with_nothing_below_has_no_progress(tree: list[Goal]) -> None:
    empty = GoalFactory(strategy=tree[0].strategy, parent=tree[1], level=Level.OPERATIONAL_GOAL)
    values = _progress(tree[0].strategy)
    assert values[empty.pk] is None
    assert values[tree[1].pk] == Decimal("40")


def test_an_empty_tree_gives_no_nodes() -> None:
    assert build_tree([]) == []


def test_recomputed_after_a_move(tree: list[Goal]) -> None:
    strategy = tree[0].strategy
    other_op = GoalFactory(strategy=strategy, parent=tree[1], level=Level.OPERATIONAL_GOAL)
    done = _measure(other_op, progress=100)
    assert _progress(strategy)[tree[2].pk] == Decimal("40")
    services.goal_move(goal=done, parent=tree[2])
    values = _progress(strategy)
    assert values[tree[2].pk] == Decimal("70.0")
    assert values[other_op.pk] is None


def test_recomputed_after_a_delete(tree: list[Goal]) -> None:
    strategy = tree[0].strategy
    extra = _measure(tree[2], progress=100)
    assert _progress(strategy)[tree[0].pk] == Decimal("70.0")
    services.goal_delete(goal=Goal.objects.select_related("strategy").get(pk=extra.pk))
    assert _progress(strategy)[tree[0].pk] == Decimal("40")


def test_recomputed_after_a_reweight(tree: list[Goal]) -> None:
    strategy = tree[0].strategy
    extra = _measure(tree[2], progress=100)
    services.goal_update(
        goal=Goal.objects.select_related("strategy").get(pk=extra.pk), weight=Decimal("0")
    )
    assert _progress(strategy)[tree[0].pk] == Decimal("40")
    services.goal_update(
        goal=Goal.objects.select_related("strategy").get(pk=extra.pk), weight=Decimal("4")
    )
    # (1 × 40 + 4 × 100) / 5 = 88
    assert _progress(strategy)[tree[0].pk] == Decimal("88.0")


# A property: any tree with random weights and percents stays within [0, 100] and equals a
# straightforward reference computation. Built in memory: build_tree needs no database.


def _reference(goal: Goal, children: dict[int, list[Goal]]) -> Decimal | None:
    if goal.level == Level.MEASURE:
        return None if goal.status == MeasureStatus.DROPPED else Decimal(goal.progress)
    total = Decimal(0)
    weights = Decimal(0)
    for child in children.get(goal.pk, []):
        value = _reference(child, children)
        weight = Decimal(1) if child.weight is None else child.weight
        if value is None or weight <= 0:
            continue
        total += weight * value
        weights += weight
    if weights == 0:
        return None
    return (total / weights).quantize(Decimal("0.1"), ROUND_HALF_UP)


_weights = st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False))
_measure_data = st.tuples(st.integers(min_value=0, max_value=100), _weights, st.booleans())


@st.composite
def random_trees(draw: st.DrawFn) -> list[Goal]:
    pk = iter(range(1, 10_000))
    guiding = Goal(pk=next(pk), level=Level.GUIDING_GOAL, title="L")
    goals = [guiding]
    frontier = [guiding]
    for level in (Level.STRATEGIC_GOAL, Level.OPERATIONAL_GOAL, Level.MEASURE):
        next_frontier = []
        for parent in frontier:
            for position in range(draw(st.integers(min_value=0, max_value=3))):
                progress, weight, dropped = draw(_measure_data)
                goal = Goal(
                    pk=next(pk),
                    parent_id=parent.pk,
                    level=level,
                    position=position,
                    title="x",
                    weight=weight,
                    progress=progress,
                    status=MeasureStatus.DROPPED if dropped and level == Level.MEASURE else "",
                )
                goals.append(goal)
                next_frontier.append(goal)
        frontier = next_frontier
    return draw(st.permutations(goals))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(random_trees())
def test_any_tree_rolls_up_within_bounds_and_like_the_reference(goals: list[Goal]) -> None:
    roots = build_tree(goals)
    assert len(roots) == 1
    children: dict[int, list[Goal]] = {}
    for goal in goals:
        if goal.parent_id:
            children.setdefault(goal.parent_id, []).append(goal)
    nodes: list[Node] = list(roots[0].walk())
    assert len(nodes) == len(goals)
    for node in nodes:
        assert node.progress == _reference(node.goal, children)
        if node.progress is not None:
            assert Decimal(0) <= node.progress <= Decimal(100)
