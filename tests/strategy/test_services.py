"""Services of the strategy tree: create, change, move, delete, adopt, new version, links."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from strategy import services
from strategy.models import (
    Goal,
    GoalLink,
    Indicator,
    IndicatorValue,
    Level,
    MeasureStatus,
    Strategy,
    StrategyStatus,
)
from tests.conftest import World

from .factories import StrategyWorld, strategy_world


@pytest.fixture
def sw(world: World) -> StrategyWorld:
    return strategy_world(world)


def _draft_goals(sw: StrategyWorld) -> dict[int, Goal]:
    return {g.level: g for g in sw.draft.goals.select_related("strategy")}


def test_strategy_create_makes_a_draft_with_its_guiding_goal(world: World) -> None:
    strategy = services.strategy_create(
        state=world.state,
        title="Landesstrategie Jugend",
        audience="all",
        guiding_goal_title="Prävention stärken",
    )
    assert strategy.status == StrategyStatus.DRAFT
    assert strategy.version == 1
    guiding = strategy.goals.get()
    assert guiding.level == Level.GUIDING_GOAL
    assert guiding.title == "Prävention stärken"


def test_strategy_create_refuses_a_taken_title(world: World, sw: StrategyWorld) -> None:
    with pytest.raises(ValidationError) as info:
        services.strategy_create(
            state=world.state, title=sw.draft.title, audience="all", guiding_goal_title="X"
        )
    assert "title" in info.value.error_dict
    assert Strategy.objects.filter(title=sw.draft.title).count() == 1


def test_goal_create_puts_the_item_one_level_below_at_the_end(
    world: World, sw: StrategyWorld
) -> None:
    goals = _draft_goals(sw)
    goal = services.goal_create(
        strategy=sw.draft,
        parent=goals[Level.OPERATIONAL_GOAL],
        title="Fortbildung",
        responsible=[world.council],
        weight=Decimal("2"),
    )
    assert goal.level == Level.MEASURE
    assert goal.status == MeasureStatus.PLANNED
    assert goal.position > goals[Level.MEASURE].position
    assert list(goal.responsible.all()) == [world.council]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"weight": Decimal("-1")}, "weight"),
        (
            {"start_date": datetime.date(2026, 5, 1), "end_date": datetime.date(2026, 4, 1)},
            "end_date",
        ),
    ],
)
def test_goal_create_refuses_bad_input(sw: StrategyWorld, fields: dict, field: str) -> None:
    goals = _draft_goals(sw)
    before = Goal.objects.count()
    with pytest.raises(ValidationError) as info:
        services.goal_create(
            strategy=sw.draft, parent=goals[Level.OPERATIONAL_GOAL], title="X", **fields
        )
    assert field in info.value.error_dict
    assert Goal.objects.count() == before


def test_goal_create_refuses_another_states_organisation(world: World, sw: StrategyWorld) -> None:
    goals = _draft_goals(sw)
    with pytest.raises(ValidationError) as info:
        services.goal_create(
            strategy=sw.draft,
            parent=goals[Level.OPERATIONAL_GOAL],
            title="X",
            responsible=[world.other_state_council],
        )
    assert "responsible" in info.value.error_dict


def test_goal_create_refuses_a_parent_of_another_strategy_or_below_a_measure(
    sw: StrategyWorld,
) -> None:
    goals = _draft_goals(sw)
    with pytest.raises(ValidationError):
        services.goal_create(strategy=sw.draft, parent=sw.operational, title="X")
    with pytest.raises(ValidationError):
        services.goal_create(strategy=sw.draft, parent=goals[Level.MEASURE], title="X")


def test_adopted_strategies_are_frozen(sw: StrategyWorld) -> None:
    measure = Goal.objects.select_related("strategy").get(pk=sw.measure.pk)
    with pytest.raises(ValidationError):
        services.goal_update(goal=measure, title="Neu")
    with pytest.raises(ValidationError):
        services.goal_delete(goal=measure)
    with pytest.raises(ValidationError):
        services.goal_move(goal=measure, direction="up")
    with pytest.raises(ValidationError):
        services.goal_create(strategy=sw.adopted, parent=sw.operational, title="X")
    measure.refresh_from_db()
    assert measure.title == "Maßnahme"


def test_goal_delete_removes_the_subtree(sw: StrategyWorld) -> None:
    goals = _draft_goals(sw)
    assert services.goal_delete(goal=goals[Level.STRATEGIC_GOAL]) == 3
    assert list(sw.draft.goals.all()) == [goals[Level.GUIDING_GOAL]]


def test_the_guiding_goal_cannot_be_deleted(sw: StrategyWorld) -> None:
    with pytest.raises(ValidationError):
        services.goal_delete(goal=_draft_goals(sw)[Level.GUIDING_GOAL])


def test_goal_move_up_and_down_swaps_siblings(sw: StrategyWorld) -> None:
    operational = _draft_goals(sw)[Level.OPERATIONAL_GOAL]
    first = operational.children.get()
    second = services.goal_create(strategy=sw.draft, parent=operational, title="Zweite")
    services.goal_move(
        goal=Goal.objects.select_related("strategy").get(pk=second.pk), direction="up"
    )
    assert list(operational.children.order_by("position", "pk")) == [second, first]
    services.goal_move(
        goal=Goal.objects.select_related("strategy").get(pk=second.pk), direction="down"
    )
    assert list(operational.children.order_by("position", "pk")) == [first, second]
    # At the end nothing changes.
    services.goal_move(
        goal=Goal.objects.select_related("strategy").get(pk=second.pk), direction="down"
    )
    assert list(operational.children.order_by("position", "pk")) == [first, second]


def test_goal_move_to_another_parent(sw: StrategyWorld) -> None:
    goals = _draft_goals(sw)
    other = services.goal_create(
        strategy=sw.draft, parent=goals[Level.STRATEGIC_GOAL], title="Weiteres operatives Ziel"
    )
    services.goal_move(goal=goals[Level.MEASURE], parent=other)
    goals[Level.MEASURE].refresh_from_db()
    assert goals[Level.MEASURE].parent_id == other.pk


@pytest.mark.parametrize("target", ["itself", "own_child", "wrong_level", "other_strategy"])
def test_goal_move_refuses_invalid_parents(sw: StrategyWorld, target: str) -> None:
    goals = _draft_goals(sw)
    mover, parent = {
        "itself": (goals[Level.STRATEGIC_GOAL], goals[Level.STRATEGIC_GOAL]),
        "own_child": (goals[Level.STRATEGIC_GOAL], goals[Level.OPERATIONAL_GOAL]),
        "wrong_level": (goals[Level.MEASURE], goals[Level.STRATEGIC_GOAL]),
        "other_strategy": (goals[Level.STRATEGIC_GOAL], sw.guiding),
    }[target]
    before = {g.pk: (g.parent_id, g.position) for g in Goal.objects.all()}
    with pytest.raises(ValidationError) as info:
        services.goal_move(goal=mover, parent=parent)
    assert "parent" in info.value.error_dict
    assert {g.pk: (g.parent_id, g.position) for g in Goal.objects.all()} == before


def test_adopt_archives_the_previous_adopted_version(world: World, sw: StrategyWorld) -> None:
    copy = services.strategy_new_version(strategy=sw.adopted)
    services.strategy_adopt(strategy=copy, user=world.users["state_staff"])
    copy.refresh_from_db()
    sw.adopted.refresh_from_db()
    assert copy.status == StrategyStatus.ADOPTED
    assert copy.adopted_by == world.users["state_staff"]
    assert copy.adopted_on is not None
    assert sw.adopted.status == StrategyStatus.ARCHIVED


def test_only_a_draft_is_adopted(world: World, sw: StrategyWorld) -> None:
    with pytest.raises(ValidationError):
        services.strategy_adopt(strategy=sw.adopted, user=world.users["state_staff"])


def test_new_version_copies_the_tree(world: World, sw: StrategyWorld) -> None:
    sw.measure.weight = Decimal("2.5")
    sw.measure.save()
    indicator = Indicator.objects.create(
        goal=sw.measure,
        name="Beratene Räte",
        unit="Räte",
        baseline=Decimal("0"),
        baseline_date=datetime.date(2026, 1, 1),
        target=Decimal("20"),
        target_date=datetime.date(2027, 1, 1),
    )
    IndicatorValue.objects.create(
        indicator=indicator, value=Decimal("5"), measured_on=datetime.date(2026, 6, 1), source="X"
    )
    copy = services.strategy_new_version(strategy=sw.adopted)
    assert (copy.version, copy.status, copy.predecessor_id) == (
        2,
        StrategyStatus.DRAFT,
        sw.adopted.pk,
    )
    goals = list(copy.goals.order_by("level"))
    assert [g.level for g in goals] == [0, 1, 2, 3]
    assert [g.copied_from_id for g in goals] == [
        sw.guiding.pk,
        sw.strategic.pk,
        sw.operational.pk,
        sw.measure.pk,
    ]
    assert [g.parent_id for g in goals[1:]] == [g.pk for g in goals[:-1]]
    measure = goals[-1]
    assert measure.weight == Decimal("2.5")
    assert list(measure.responsible.all()) == [world.council]
    copied = measure.indicators.get()
    assert copied.name == "Beratene Räte"
    assert not copied.values.exists()
    assert sw.adopted.goals.count() == 4


def test_only_one_draft_successor(sw: StrategyWorld) -> None:
    services.strategy_new_version(strategy=sw.adopted)
    with pytest.raises(ValidationError):
        services.strategy_new_version(strategy=sw.adopted)
    assert Strategy.objects.filter(predecessor=sw.adopted).count() == 1


def test_compare_lists_added_removed_and_changed(world: World, sw: StrategyWorld) -> None:
    copy = services.strategy_new_version(strategy=sw.adopted)
    goals = {g.level: g for g in copy.goals.select_related("strategy")}
    services.goal_update(
        goal=goals[Level.MEASURE], title="Maßnahme neu", weight=Decimal("2"), responsible=[]
    )
    added = services.goal_create(strategy=copy, parent=goals[Level.STRATEGIC_GOAL], title="Neu")
    with translation.override("en"):
        comparison = services.strategy_compare(copy)
    assert comparison.previous == sw.adopted
    assert comparison.added == [added]
    assert comparison.removed == []
    [change] = comparison.changed
    assert change.goal == goals[Level.MEASURE]
    labels = {label for label, _, _ in change.fields}
    assert labels == {"title", "weight", "responsible organisations"}
    services.goal_delete(
        goal=Goal.objects.select_related("strategy").get(pk=goals[Level.MEASURE].pk)
    )
    comparison = services.strategy_compare(copy)
    assert [g.pk for g in comparison.removed] == [sw.measure.pk]


def test_compare_without_predecessor(sw: StrategyWorld) -> None:
    comparison = services.strategy_compare(sw.adopted)
    assert comparison.previous is None
    assert not comparison.has_changes


def test_goal_links(world: World, sw: StrategyWorld) -> None:
    link = services.goal_link_add(goal=sw.measure, obj=world.council)
    assert services.goal_link_add(goal=sw.measure, obj=world.council) == link
    services.goal_link_add(goal=sw.strategic, obj=world.council)
    assert list(services.goals_linked_to(world.council)) == [sw.strategic, sw.measure]
    assert list(services.goals_linked_to(world.ngo)) == []
    assert services.goal_link_remove(goal=sw.measure, obj=world.council) is True
    assert services.goal_link_remove(goal=sw.measure, obj=world.council) is False
    assert GoalLink.objects.count() == 1


def test_goal_queryset_helpers(world: World, sw: StrategyWorld) -> None:
    coordinator = world.users["coordinator"]
    visible = set(Goal.objects.visible_to(coordinator))
    assert sw.measure in visible
    assert not visible & set(sw.draft.goals.all())
    assert sw.other_state_measure not in visible
    assert sw.draft.goals.count() == 4
    assert set(sw.draft.goals.all()) <= set(Goal.objects.visible_to(world.users["state_staff"]))
    services.goal_link_add(goal=sw.measure, obj=world.ngo)
    assert list(Goal.objects.linked_to(world.ngo)) == [sw.measure]
