"""The demo strategies: both papers of Niedersachsen with trees, measures, indicators, reports."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from councils.models import Organisation, User
from strategy import demo
from strategy.models import (
    Goal,
    Indicator,
    IndicatorValue,
    Level,
    ProgressReport,
    Strategy,
    StrategyStatus,
)
from strategy.progress import build_tree

# One seed for the module (below), so its tests stay on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("strategy-demo")]


@pytest.fixture(scope="module")
def _seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo, seeded once for the module in a transaction that is rolled back at its end.

    Each test runs in a savepoint inside it, so every test sees the same demo. Tests that need an
    empty database are in test_demo_empty.py.
    """
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--force", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded: str, db: None) -> str:
    return _seeded


def counts() -> dict[str, int]:
    return {
        "strategies": Strategy.objects.count(),
        "goals": Goal.objects.count(),
        "indicators": Indicator.objects.count(),
        "values": IndicatorValue.objects.count(),
        "reports": ProgressReport.objects.count(),
    }


def test_seed_demo_creates_both_strategies_and_is_idempotent(seeded: str) -> None:
    assert "Demo strategy created" in seeded
    first = counts()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert counts() == first

    strategies = {
        s.title: s for s in Strategy.objects.filter(state__slug="niedersachsen", version=1)
    }
    assert set(strategies) >= {
        "Landesstrategie Kommunale Prävention",
        "Landesstrategie landesweit tätige nichtstaatliche Organisationen",
    }
    for title in demo.STRATEGIES:
        strategy = strategies[title.title]
        assert strategy.status == StrategyStatus.ADOPTED
        assert strategy.version == 1
        assert strategy.adopted_on is not None and strategy.adopted_on.year == 2025
        log = [(c.from_status, c.to_status) for c in strategy.status_changes.all()]
        assert log == [("", StrategyStatus.DRAFT), (StrategyStatus.DRAFT, StrategyStatus.ADOPTED)]
        goals = list(strategy.goals.all())
        by_level = {level: [g for g in goals if g.level == level] for level in Level.values}
        assert len(by_level[Level.GUIDING_GOAL]) == 1
        assert len(by_level[Level.STRATEGIC_GOAL]) == 2
        for strategic in by_level[Level.STRATEGIC_GOAL]:
            operational = [g for g in goals if g.parent_id == strategic.pk]
            assert 2 <= len(operational) <= 3
            for goal in operational:
                assert 2 <= len([g for g in goals if g.parent_id == goal.pk]) <= 3
        (root,) = build_tree(goals)
        assert root.progress is not None and 0 < root.progress < 100


def test_draft_version_2_is_a_changed_copy(seeded: str) -> None:
    adopted = Strategy.objects.get(title=demo.MUNICIPAL.title, version=1)
    draft = Strategy.objects.get(title=demo.MUNICIPAL.title, version=2)
    assert (draft.status, draft.predecessor) == (StrategyStatus.DRAFT, adopted)
    old = {g.pk: g for g in adopted.goals.all()}
    new = list(draft.goals.all())
    copied = [g for g in new if g.copied_from_id]
    assert len(copied) == len(old) - 1
    assert all(old[g.copied_from_id].title == g.title for g in copied)
    assert [g.title for g in new if not g.copied_from_id] == [
        "Digitale Netzwerktreffen für Gremien im ländlichen Raum"
    ]
    assert draft.goals.filter(level=Level.MEASURE, responsible__isnull=False).exists()
    assert Indicator.objects.filter(goal__strategy=draft).count() == (
        Indicator.objects.filter(goal__strategy=adopted).count()
    )
    assert not Strategy.objects.filter(predecessor=draft).exists()


def test_demo_users_have_measures_and_the_data_is_plausible(seeded: str) -> None:
    measures = Goal.objects.filter(
        level=Level.MEASURE, strategy__state__slug="niedersachsen", strategy__version=1
    )
    hameln = Organisation.objects.get(name="Kommunaler Präventionsrat Hameln-Pyrmont")
    ngo = Organisation.objects.get(name="Landesverband Opferhilfe Niedersachsen e. V.")
    assert measures.filter(responsible=hameln).exists()
    assert measures.filter(responsible=ngo).exists()
    assert measures.filter(responsible__isnull=True).count() == 1
    assert measures.filter(weight__isnull=False).exists()
    assert measures.filter(end_date__year=2025, status__in=["planned", "running"]).exists()
    for indicator in Indicator.objects.filter(goal__strategy__version=1):
        assert 2 <= indicator.values.count() <= 4
        assert indicator.target_date > indicator.baseline_date
    for measure in measures.filter(reports__isnull=False).distinct():
        latest = measure.reports.order_by("-created_at", "-pk").first()
        assert latest is not None
        assert (latest.percent, latest.status) == (measure.progress, measure.status)
    coordinator = User.objects.get(username="kpr-koordination")
    assert ProgressReport.objects.filter(reported_by=coordinator).exists()


def test_the_history_was_written_by_the_services_at_its_moments(seeded: str) -> None:
    for data in demo.STRATEGIES:
        strategy = Strategy.objects.get(title=data.title, version=1)
        created, adopted = strategy.status_changes.order_by("pk")
        assert adopted.at.date() == strategy.adopted_on == data.adopted_on
        assert strategy.adopted_by is not None and adopted.by == strategy.adopted_by
        # Drafted before the decision: the tree and its history date from then.
        assert strategy.created_at == created.at < adopted.at
        assert all(
            record.history_date == created.at
            for record in Goal.history.filter(strategy_id=strategy.pk, history_type="+")
        )
        reports = ProgressReport.objects.filter(measure__strategy=strategy)
        assert reports.exists()
        assert all(adopted.at < report.created_at for report in reports)
        for value in IndicatorValue.objects.filter(indicator__goal__strategy=strategy):
            assert value.measured_on < value.entered_at.date()
    draft = Strategy.objects.get(title=demo.MUNICIPAL.title, version=2)
    newest = ProgressReport.objects.order_by("-created_at").first()
    assert newest is not None and newest.created_at < draft.created_at
