"""Builders of the demo strategies: drafted, adopted and reported on through the services.

Each step runs under a clock set back to its moment (``core.clock.frozen_at``): the strategy is
drafted two months before its adoption, adopted on the day of the decision, its indicators
measured on their dates and its measures reported on while they run; version 2 was begun a few
days ago. The status log, the versions' history and every time are what the portal writes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from core.clock import frozen_at
from councils.demo.data import NI_OFFICE
from councils.models import Membership, Organisation, StateNetwork, User

from ..models import Goal, Indicator, Level, MeasureStatus, Strategy, StrategyStatus
from ..services import (
    goal_create,
    goal_delete,
    goal_update,
    strategy_adopt,
    strategy_create,
    strategy_new_version,
)
from ..services_progress import indicator_create, indicator_value_add, progress_report_create
from .items import DROP, D, GoalData, IndicatorData, MeasureData, StrategyData
from .papers import MUNICIPAL, STRATEGIES

DAYS = datetime.timedelta
#: A demo strategy was drafted this many days before it was adopted.
DRAFTED_BEFORE = DAYS(days=60)
#: Version 2 of the municipal strategy was begun this many days ago; reports came before.
VERSION_2_AGO = DAYS(days=2)
#: Demo accounts that write the progress reports of their organisations.
REPORTERS = ("kpr-koordination", "ngo-vertretung", "lpr-referent")


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(f"{text}\n")


def _moment(day: D, hour: int, now: datetime.datetime) -> datetime.datetime:
    """The hour of the day in local time, never later than now."""
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), now)


def _clamp(day: D, first: D, last: D) -> D:
    return max(first, min(day, last))


def _weight(value: str | None) -> Decimal | None:
    return Decimal(value) if value else None


@dataclass
class Plan:
    """One strategy's history: the tree built while drafting, then what came after adoption."""

    strategy: Strategy
    organisations: dict[str, Organisation]
    staff: User | None
    reporters: dict[int, User]
    indicators: list[tuple[Indicator, IndicatorData]] = field(default_factory=list)
    measures: list[tuple[Goal, MeasureData]] = field(default_factory=list)

    def orgs(self, names: tuple[str, ...]) -> list[Organisation]:
        return [self.organisations[name] for name in names if name in self.organisations]

    def add_indicators(self, goal: Goal, items: tuple[IndicatorData, ...]) -> None:
        for data in items:
            indicator = indicator_create(
                goal=goal,
                name=data.name,
                unit=data.unit,
                baseline=Decimal(data.baseline),
                baseline_date=data.baseline_date,
                target=Decimal(data.target),
                target_date=data.target_date,
            )
            self.indicators.append((indicator, data))

    def add_children(self, goal: Goal, children: tuple[GoalData | MeasureData, ...]) -> None:
        for child in children:
            common = {
                "title": child.title,
                "description": child.description,
                "start_date": child.start,
                "end_date": child.end,
                "weight": _weight(child.weight),
            }
            responsible = self.orgs(child.responsible)
            if isinstance(child, MeasureData):
                reported = bool(child.report and responsible)
                # A measure's status comes from its progress reports; one without keeps the
                # status it was planned with.
                status = MeasureStatus.PLANNED if reported else child.status
                measure = goal_create(
                    strategy=self.strategy,
                    parent=goal,
                    responsible=responsible,
                    status=status,
                    **common,
                )
                self.add_indicators(measure, child.indicators)
                if reported:
                    self.measures.append((measure, child))
            else:
                sub = goal_create(
                    strategy=self.strategy, parent=goal, responsible=responsible, **common
                )
                self.add_indicators(sub, child.indicators)
                self.add_children(sub, child.children)

    def report(
        self, measure: Goal, data: MeasureData, adopted: D, last: D, now: datetime.datetime
    ) -> None:
        """The measure's progress reports: a midway one for good progress, then the latest."""
        responsible = self.orgs(data.responsible)
        organisation = responsible[-1] if len(responsible) > 1 else responsible[0]
        by = self.reporters.get(organisation.pk, self.staff)
        if by is None:
            return
        first = max(data.start, adopted + DAYS(days=1))
        if data.status == MeasureStatus.DONE:
            latest = data.end
        elif data.status == DROP:
            latest = data.start + DAYS(days=30)
        else:
            latest = data.start + (data.end - data.start) * data.progress // 100
        latest = _clamp(latest, first, last)
        steps: list[tuple[datetime.datetime, int, str, str]] = []
        if data.progress >= 40 and data.status != DROP:
            # An earlier, smaller step first, so the history shows a development.
            midway = first + (latest - first) // 2
            steps.append(
                (
                    _moment(midway, 9, now),
                    data.progress // 2,
                    MeasureStatus.RUNNING,
                    "Zwischenstand: Umsetzung hat begonnen.",
                )
            )
        steps.append((_moment(latest, 15, now), data.progress, data.status, data.report))
        for when, percent, status, text in steps:
            with frozen_at(when):
                progress_report_create(
                    measure=measure,
                    organisation=organisation,
                    reported_by=by,
                    percent=percent,
                    status=status,
                    text=text,
                )


def _reporters(organisations: dict[str, Organisation]) -> dict[int, User]:
    return {
        m.organisation_id: m.user
        for m in Membership.objects.filter(
            organisation__in=organisations.values(), user__username__in=REPORTERS
        ).select_related("user")
    }


@transaction.atomic
def _seed_strategy(
    state: StateNetwork, data: StrategyData, organisations: dict[str, Organisation]
) -> Strategy:
    now = timezone.now()
    today = timezone.localdate()
    admin = User.objects.filter(username="lpr-admin").first()
    staff = User.objects.filter(username="lpr-referent").first()
    guiding = data.guiding
    with frozen_at(_moment(data.adopted_on - DRAFTED_BEFORE, 10, now)):
        strategy = strategy_create(
            state=state,
            title=data.title,
            audience=data.audience,
            guiding_goal_title=guiding.title,
            guiding_goal_description=guiding.description,
            by=admin,
        )
        plan = Plan(strategy, organisations, staff, _reporters(organisations))
        root = strategy.goals.get(level=Level.GUIDING_GOAL)
        plan.add_indicators(root, guiding.indicators)
        plan.add_children(root, guiding.children)
    if data.status != StrategyStatus.ADOPTED or admin is None:
        return strategy
    with frozen_at(_moment(data.adopted_on, 10, now)):
        strategy_adopt(strategy=strategy, user=admin)
    strategy.refresh_from_db()  # its goals hold this object: they see the adopted status
    if staff is not None:
        for indicator, item in plan.indicators:
            for value, measured_on in item.values:
                entered = max(measured_on, data.adopted_on) + DAYS(days=1)
                with frozen_at(_moment(entered, 9, now)):
                    indicator_value_add(
                        indicator=indicator,
                        value=Decimal(value),
                        measured_on=measured_on,
                        source=item.source,
                        entered_by=staff,
                    )
    last = today - VERSION_2_AGO - DAYS(days=1)
    for measure, measure_data in plan.measures:
        plan.report(measure, measure_data, data.adopted_on, last, now)
    return strategy


@transaction.atomic
def _seed_draft_version(adopted: Strategy, organisations: dict[str, Organisation]) -> Strategy:
    """Version 2 of the municipal strategy as a draft copy with a few changes to compare."""
    now = timezone.now()
    staff = User.objects.filter(username="lpr-referent").first()
    with frozen_at(_moment(timezone.localdate() - VERSION_2_AGO, 10, now)):
        draft = strategy_new_version(strategy=adopted, by=staff)
        by_title = {goal.title: goal for goal in draft.goals.select_related("strategy")}
        # The changes of version 2: a later end, a new weight, a new measure, one measure less.
        goal_update(
            goal=by_title["Online-Angebotskatalog im Portal veröffentlichen"],
            end_date=D(2026, 9, 30),
            weight=Decimal("3"),
        )
        goal_delete(goal=by_title["Beratungstage des LPR vor Ort"])
        goal_create(
            strategy=draft,
            parent=by_title["In jeder der vier Regionen besteht ein aktives Netzwerk der Gremien"],
            responsible=[org for name, org in organisations.items() if name == NI_OFFICE],
            title="Digitale Netzwerktreffen für Gremien im ländlichen Raum",
            description="Zweimal im Jahr online, als Ergänzung zu den Präsenztreffen.",
            start_date=D(2026, 9, 1),
            end_date=D(2027, 12, 31),
            status=MeasureStatus.PLANNED,
        )
    return draft


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo strategies of Niedersachsen unless they exist."""
    state = StateNetwork.objects.filter(slug="niedersachsen").first()
    if state is None:
        _say(stdout, "Strategy demo skipped: state network 'niedersachsen' is missing.")
        return
    organisations = {org.name: org for org in Organisation.objects.filter(state=state)}
    for data in STRATEGIES:
        if Strategy.objects.filter(state=state, title=data.title, version=data.version).exists():
            continue
        _seed_strategy(state, data, organisations)
        _say(stdout, f"Demo strategy created: {data.title}")
    adopted = Strategy.objects.filter(state=state, title=MUNICIPAL.title, version=1).first()
    if adopted is not None and not Strategy.objects.filter(predecessor=adopted).exists():
        _seed_draft_version(adopted, organisations)
        _say(stdout, f"Demo draft created: {MUNICIPAL.title}, version 2")
