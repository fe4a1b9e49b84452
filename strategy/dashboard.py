"""The strategy part of the state dashboard: progress, overdue and unassigned measures.

Usage in a dashboard view: ``context["strategy_summary"] = state_strategy_summary(state)`` and
``{% include "strategy/includes/dashboard_strategy.html" with summary=strategy_summary %}``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from councils.models import StateNetwork

from .models import Goal, Level, MeasureStatus, Strategy, StrategyStatus
from .progress import build_tree

FINISHED = (MeasureStatus.DONE, MeasureStatus.DROPPED)


def state_strategy_summary(
    state: StateNetwork, *, today: datetime.date | None = None
) -> dict[str, Any]:
    """Each adopted strategy's overall progress, overdue measures and unassigned ones (2 queries).

    Returns ``{"strategies": [{"strategy", "progress", "measure_count"}], "overdue": [Goal],
    "unassigned": [Goal]}``; the measures carry their strategy.
    """
    today = today or timezone.localdate()
    strategies = list(
        Strategy.objects.filter(state=state, status=StrategyStatus.ADOPTED).order_by(
            "title", "-version"
        )
    )
    by_pk = {s.pk: s for s in strategies}
    goals = list(
        Goal.objects.filter(strategy__in=[s.pk for s in strategies])
        .annotate(responsible_count=Count("responsible", distinct=True))
        .order_by("strategy_id", "level", "position", "pk")
    )
    for goal in goals:  # share the loaded strategies instead of a join per goal
        goal.strategy = by_pk[goal.strategy_id]
    grouped: dict[int, list[Goal]] = {s.pk: [] for s in strategies}
    for goal in goals:
        grouped[goal.strategy_id].append(goal)
    rows: list[dict[str, Any]] = []
    for strategy in strategies:
        roots = build_tree(grouped[strategy.pk])
        rows.append(
            {
                "strategy": strategy,
                "progress": roots[0].progress if roots else None,
                "measure_count": sum(1 for g in grouped[strategy.pk] if g.is_measure),
            }
        )
    measures = [g for g in goals if g.level == Level.MEASURE]
    overdue = sorted(
        (m for m in measures if m.end_date and m.end_date < today and m.status not in FINISHED),
        key=lambda m: (m.end_date, m.title),
    )
    unassigned = [m for m in measures if not getattr(m, "responsible_count", 0)]
    return {"strategies": rows, "overdue": overdue, "unassigned": unassigned, "today": today}
