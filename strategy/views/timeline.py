"""The timeline of a strategy: a Gantt-like table of its measures by operational goal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..models import Goal, Level
from ..permissions import get_strategy_for_user


@dataclass
class Column:
    start: datetime.date
    end: datetime.date
    label: str
    long_label: str


@dataclass
class TimelineRow:
    measure: Goal
    cells: list[bool]


@dataclass
class TimelineGroup:
    goal: Goal | None
    rows: list[TimelineRow]


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def timeline_columns(start: datetime.date, end: datetime.date) -> list[Column]:
    """Months across the period; quarters when it spans more than two years."""
    first, last = _month_start(start), _month_start(end)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if months <= 24 else 3
    if step == 3:
        first = datetime.date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    columns = []
    current = first
    while current <= last:
        following = _add_months(current, step)
        if step == 1:
            label, long_label = current.strftime("%m/%y"), current.strftime("%m/%Y")
        else:
            quarter = (current.month - 1) // 3 + 1
            label = f"Q{quarter}/{current:%y}"
            long_label = f"Q{quarter} {current:%Y}"
        columns.append(Column(current, following - datetime.timedelta(days=1), label, long_label))
        current = following
    return columns


@require_GET
@login_required
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """A Gantt-like table of the strategy's measures, grouped by operational goal."""
    strategy = get_strategy_for_user(request.user, pk)
    goals = list(
        strategy.goals.filter(level__in=[Level.OPERATIONAL_GOAL, Level.MEASURE]).order_by(
            "level", "position", "pk"
        )
    )
    operational = {g.pk: g for g in goals if g.level == Level.OPERATIONAL_GOAL}
    measures = [g for g in goals if g.level == Level.MEASURE]
    starts = [m.start_date for m in measures if m.start_date]
    ends = [m.end_date for m in measures if m.end_date]
    columns = timeline_columns(min(starts + ends), max(starts + ends)) if starts or ends else []
    groups: dict[int | None, TimelineGroup] = {
        pk_: TimelineGroup(goal, []) for pk_, goal in operational.items()
    }
    for measure in measures:
        start = measure.start_date or measure.end_date
        end = measure.end_date or measure.start_date
        cells = [
            bool(start and end and start <= column.end and end >= column.start)
            for column in columns
        ]
        key = measure.parent_id if measure.parent_id in operational else None
        groups.setdefault(key, TimelineGroup(None, [])).rows.append(TimelineRow(measure, cells))
    return render(
        request,
        "strategy/timeline.html",
        {
            "strategy": strategy,
            "columns": columns,
            "groups": [g for g in groups.values() if g.rows],
            "measure_count": len(measures),
            "today": timezone.localdate(),
        },
    )
