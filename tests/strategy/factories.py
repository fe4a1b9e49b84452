"""Factories and a small strategy world on top of tests.conftest.World."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory

from strategy.models import Goal, Level, MeasureStatus, Strategy, StrategyStatus
from tests.conftest import World
from tests.factories import StateNetworkFactory


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    state = factory.SubFactory(StateNetworkFactory)
    title = factory.Sequence(lambda n: f"Landesstrategie {n}")
    status = StrategyStatus.DRAFT


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    strategy = factory.SubFactory(StrategyFactory)
    level = Level.GUIDING_GOAL
    title = factory.Sequence(lambda n: f"Ziel {n}")
    position = factory.Sequence(lambda n: n)


@dataclass
class StrategyWorld:
    """An adopted and a draft strategy of the first state, an adopted one of the second."""

    adopted: Strategy
    draft: Strategy
    other_state: Strategy
    guiding: Goal
    strategic: Goal
    operational: Goal
    measure: Goal
    other_state_measure: Goal


def make_tree(strategy: Strategy, *, responsible: list | None = None) -> list[Goal]:
    """Guiding goal → strategic goal → operational goal → measure; returns the four items."""
    guiding = GoalFactory(strategy=strategy, level=Level.GUIDING_GOAL, title="Leitziel")
    strategic = GoalFactory(
        strategy=strategy, parent=guiding, level=Level.STRATEGIC_GOAL, title="Handlungsziel"
    )
    operational = GoalFactory(
        strategy=strategy, parent=strategic, level=Level.OPERATIONAL_GOAL, title="Operativ"
    )
    measure = GoalFactory(
        strategy=strategy,
        parent=operational,
        level=Level.MEASURE,
        title="Maßnahme",
        status=MeasureStatus.RUNNING,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    if responsible:
        measure.responsible.set(responsible)
    return [guiding, strategic, operational, measure]


def strategy_world(world: World) -> StrategyWorld:
    """Build once per World (cached on it), so matrix rules can call it from their lambdas."""
    cached = getattr(world, "_strategy_world", None)
    if cached is not None:
        return cached
    adopted = StrategyFactory(
        state=world.state,
        title="Landesstrategie Kommunale Prävention",
        status=StrategyStatus.ADOPTED,
        adopted_on=datetime.date(2026, 3, 1),
    )
    draft = StrategyFactory(state=world.state, title="Entwurf NGO-Strategie")
    other = StrategyFactory(
        state=world.other_state,
        title="Landesstrategie MV",
        status=StrategyStatus.ADOPTED,
        adopted_on=datetime.date(2026, 2, 1),
    )
    guiding, strategic, operational, measure = make_tree(adopted, responsible=[world.council])
    make_tree(draft)
    other_measure = make_tree(other, responsible=[world.other_state_council])[-1]
    cached = StrategyWorld(
        adopted, draft, other, guiding, strategic, operational, measure, other_measure
    )
    world._strategy_world = cached  # type: ignore[attr-defined]
    return cached
