"""Edits of strategies and goals are versioned with the person who made them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from strategy.models import Goal, Level, MeasureStatus, Strategy
from tests.conftest import World

from .factories import StrategyWorld, strategy_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def sw(world: World) -> StrategyWorld:
    return strategy_world(world)


def _draft_measure(sw: StrategyWorld) -> Goal:
    return sw.draft.goals.get(level=Level.MEASURE)


def test_a_goal_edit_is_a_version_with_its_author(world: World, sw: StrategyWorld) -> None:
    measure = _draft_measure(sw)
    before = measure.history.count()

    response = world.client("state_staff").post(
        reverse("strategy:goal_edit", args=[measure.pk]),
        {"title": "Geänderte Maßnahme", "status": MeasureStatus.DONE, "weight": "1.5"},
    )

    assert response.status_code == 302
    assert measure.history.count() == before + 1
    newest = measure.history.first()
    assert newest is not None and newest.history_user == world.users["state_staff"]
    previous = newest.prev_record
    assert previous is not None
    changed = {c.field: (c.old, c.new) for c in newest.diff_against(previous).changes}
    assert changed["title"] == ("Maßnahme", "Geänderte Maßnahme")
    assert changed["weight"] == (None, Decimal("1.5"))


def test_a_strategy_edit_is_a_version_with_its_author(world: World, sw: StrategyWorld) -> None:
    response = world.client("state_staff").post(
        reverse("strategy:strategy_edit", args=[sw.draft.pk]),
        {"title": "Neue NGO-Strategie", "audience": "ngos"},
    )

    assert response.status_code == 302
    newest = Strategy.objects.get(pk=sw.draft.pk).history.first()
    assert newest is not None
    assert (newest.title, newest.history_user) == ("Neue NGO-Strategie", world.users["state_staff"])


def test_staff_see_who_changed_what_on_the_goal_page(world: World, sw: StrategyWorld) -> None:
    measure = _draft_measure(sw)
    world.client("state_staff").post(
        reverse("strategy:goal_edit", args=[measure.pk]),
        {"title": "Geänderte Maßnahme", "status": MeasureStatus.DONE},
    )
    staff = world.users["state_staff"]

    html = world.client("state_staff").get(measure.get_absolute_url()).content.decode()

    assert 'id="goal-history"' in html
    assert str(staff) in html
    assert "Geänderte Maßnahme" in html


def test_the_network_does_not_see_the_edit_history(world: World, sw: StrategyWorld) -> None:
    html = world.client("coordinator").get(sw.measure.get_absolute_url()).content.decode()

    assert 'id="goal-history"' not in html


def test_a_goal_without_history_records_shows_its_page(world: World, sw: StrategyWorld) -> None:
    # Goals written by bulk_create or COPY (the scale seed, an import) have no history record.
    measure = _draft_measure(sw)
    measure.history.all().delete()

    response = world.client("state_staff").get(measure.get_absolute_url())

    assert response.status_code == 200
    assert 'id="goal-history"' in response.content.decode()
