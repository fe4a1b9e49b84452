"""Benchmark volumes of the strategy for ``seed_demo --scale state|federal``.

Each benchmark state gets its two adopted strategies (for the municipal councils and for the
statewide NGOs), each a tree of a guiding goal, four strategic goals, three operational goals
each and four measures each, with responsible organisations, indicators with yearly values and
the half-yearly progress reports of the responsible organisations; a measure's progress and
status are those of its newest report, as the service leaves them. Made with bulk_create; a state
that already has a strategy is left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TextIO

from councils.demo import ScaleSize
from councils.demo.bulk import insert, insert_history, moment, pick
from councils.demo.scale import seed_states
from councils.models import Membership, Organisation, OrganisationKind, Role, StateNetwork

from .models import (
    Audience,
    Goal,
    Indicator,
    IndicatorValue,
    Level,
    MeasureStatus,
    ProgressReport,
    Strategy,
    StrategyStatus,
    StrategyStatusChange,
)

COUNCIL_TITLE = "Landesstrategie Kommunale Prävention"
NGO_TITLE = "Landesstrategie landesweit tätige nichtstaatliche Organisationen"
STRATEGIC = (
    "Kommunale Präventionsgremien fachlich stärken",
    "Kinder und Jugendliche wirksam schützen",
    "Gewalt in allen Lebensbereichen vorbeugen",
    "Sicherheit und Zusammenhalt im öffentlichen Raum fördern",
)
OPERATIONAL = (
    "Beratung und Fortbildung für {} ausbauen",
    "Gemeinsame Standards für {} vereinbaren",
    "Wirkung der Arbeit von {} sichtbar machen",
)
AUDIENCES = {COUNCIL_TITLE: "die Gremien", NGO_TITLE: "die Verbände"}
MEASURES = (
    "Fachtag zu {topic} durchführen",
    "Leitfaden {topic} veröffentlichen",
    "Schulungsreihe {topic} anbieten",
    "Netzwerktreffen {topic} einrichten",
)
TOPICS = (
    "Suchtprävention",
    "häusliche Gewalt",
    "Medienkompetenz",
    "Demokratieförderung",
    "Einbruchschutz",
    "Opferhilfe",
)
REPORT_TEXTS = (
    "Die Vorbereitung läuft, Partner sind angefragt.",
    "Erste Veranstaltungen haben stattgefunden, die Resonanz ist gut.",
    "Die Maßnahme kommt planmäßig voran.",
    "Verzögerung durch Personalwechsel, der Zeitplan wurde angepasst.",
    "Die Maßnahme ist abgeschlossen, die Ergebnisse sind dokumentiert.",
)
#: A measure's progress is reported every this many days by a responsible organisation.
REPORT_EVERY_DAYS = 182


@dataclass
class _Measure:
    goal: Goal
    responsible: list[int]


class _StateSeeder:
    def __init__(self, state: StateNetwork, rng: random.Random, today: date, size: ScaleSize):
        self.state = state
        self.rng = rng
        self.today = today
        self.size = size
        orgs = list(
            Organisation.objects.filter(state=state).order_by("pk").values_list("pk", "kind")
        )
        self.office = next((pk for pk, kind in orgs if kind == OrganisationKind.STATE_OFFICE), None)
        self.councils = [pk for pk, kind in orgs if kind == OrganisationKind.MUNICIPAL_COUNCIL]
        self.ngos = [pk for pk, kind in orgs if kind == OrganisationKind.NGO]
        # Who writes for an organisation: its coordinator, representative or staff member.
        self.writers: dict[int, int] = {}
        for org_id, user_id in (
            Membership.objects.filter(
                organisation__state=state,
                role__in=(Role.COUNCIL_COORDINATOR, Role.NGO_REPRESENTATIVE, Role.STATE_STAFF),
            )
            .order_by("pk")
            .values_list("organisation_id", "user_id")
        ):
            self.writers.setdefault(org_id, user_id)
        self.staff = next(
            iter(
                Membership.objects.filter(organisation_id=self.office or 0, role=Role.STATE_ADMIN)
                .order_by("pk")
                .values_list("user_id", flat=True)
            ),
            None,
        )

    def run(self) -> int:
        start = date(self.today.year - self.size.years + 1, 1, 1)
        made = 0
        for title, audience, members in (
            (COUNCIL_TITLE, Audience.MUNICIPAL_COUNCILS, self.councils),
            (NGO_TITLE, Audience.NGOS, self.ngos),
        ):
            made += self.strategy(title, audience, members, start)
        return made

    def strategy(self, title: str, audience: str, members: list[int], start: date) -> int:
        adopted_on = start + timedelta(days=self.rng.randint(40, 120))
        strategy = Strategy(
            state=self.state,
            title=title,
            audience=audience,
            status=StrategyStatus.ADOPTED,
            version=1,
            adopted_on=adopted_on,
            adopted_by_id=self.staff,
            created_at=moment(start, 9),
        )
        insert(Strategy, [strategy])
        insert(
            StrategyStatusChange,
            [
                StrategyStatusChange(
                    strategy=strategy,
                    from_status="",
                    to_status=StrategyStatus.DRAFT,
                    by_id=self.staff,
                    at=moment(start, 9),
                ),
                StrategyStatusChange(
                    strategy=strategy,
                    from_status=StrategyStatus.DRAFT,
                    to_status=StrategyStatus.ADOPTED,
                    by_id=self.staff,
                    at=moment(adopted_on, 15),
                ),
            ],
        )
        guiding = Goal(
            strategy=strategy,
            level=Level.GUIDING_GOAL,
            title=f"Prävention wirksam, vernetzt und nachhaltig gestalten ({title})",
            description="Leitziel der Landesstrategie.",
        )
        insert(Goal, [guiding])
        strategic = [
            Goal(
                strategy=strategy,
                parent=guiding,
                level=Level.STRATEGIC_GOAL,
                position=n,
                title=text,
                weight=Decimal(2) if n == 0 else None,
            )
            for n, text in enumerate(STRATEGIC)
        ]
        insert(Goal, strategic)
        who = AUDIENCES[title]
        operational = [
            Goal(
                strategy=strategy,
                parent=parent,
                level=Level.OPERATIONAL_GOAL,
                position=n,
                title=text.format(who),
            )
            for parent in strategic
            for n, text in enumerate(OPERATIONAL)
        ]
        insert(Goal, operational)
        measures = self.measures(strategy, operational, members, adopted_on)
        self.indicators(strategic, [m.goal for m in measures], adopted_on)
        last_reports = self.reports(measures)
        # The versions the services leave: the tree written as a draft, adopted; each measure
        # as planned, then changed by its newest progress report.
        written = moment(start, 10)
        insert_history(
            Strategy,
            [(strategy, written, self.staff)],
            values=lambda _s: {"status": StrategyStatus.DRAFT, "adopted_on": None},
        )
        insert_history(Strategy, [(strategy, moment(adopted_on, 15), self.staff)], kind="~")
        goals = [guiding, *strategic, *operational, *(m.goal for m in measures)]
        insert_history(
            Goal,
            [(goal, written, self.staff) for goal in goals],
            values=lambda goal: (
                {"progress": 0, "status": MeasureStatus.PLANNED}
                if goal.level == Level.MEASURE
                else {}
            ),
        )
        insert_history(
            Goal,
            [(goal, moment(day, 14), by) for goal, (day, by) in last_reports.items()],
            kind="~",
        )
        return len(goals)

    def measures(
        self, strategy: Strategy, parents: list[Goal], members: list[int], adopted_on: date
    ) -> list[_Measure]:
        rng = self.rng
        made: list[_Measure] = []
        for index, parent in enumerate(parents):
            for n, text in enumerate(MEASURES):
                topic = pick(TOPICS, index + n)
                begin = adopted_on + timedelta(days=rng.randint(30, 365 * max(self.size.years, 1)))
                begin = min(begin, self.today + timedelta(days=90))
                end = begin + timedelta(days=rng.randint(180, 900))
                responsible = [self.office] if self.office and rng.random() < 0.4 else []
                if members:
                    responsible += rng.sample(members, min(len(members), rng.randint(1, 3)))
                goal = Goal(
                    strategy=strategy,
                    parent=parent,
                    level=Level.MEASURE,
                    position=n,
                    title=text.format(topic=topic),
                    description=f"Maßnahme zum Thema {topic}.",
                    start_date=begin,
                    end_date=end,
                    status=MeasureStatus.PLANNED,
                )
                made.append(_Measure(goal, [pk for pk in responsible if pk]))
        insert(Goal, [m.goal for m in made])
        through = Goal.responsible.through
        insert(
            through,
            [
                through(goal_id=m.goal.pk, organisation_id=org_id)
                for m in made
                for org_id in dict.fromkeys(m.responsible)
            ],
        )
        return made

    def indicators(self, strategic: list[Goal], measures: list[Goal], adopted_on: date) -> None:
        rng = self.rng
        indicators: list[Indicator] = []
        for goal in strategic + measures:
            begin = goal.start_date or adopted_on
            baseline = Decimal(rng.randint(0, 20))
            indicators.append(
                Indicator(
                    goal=goal,
                    name="Erreichte Gremien"
                    if goal.level == Level.STRATEGIC_GOAL
                    else "Teilnehmende",
                    unit="Gremien" if goal.level == Level.STRATEGIC_GOAL else "Personen",
                    baseline=baseline,
                    baseline_date=begin,
                    target=baseline + rng.randint(20, 200),
                    target_date=(goal.end_date or begin + timedelta(days=1460)),
                )
            )
        insert(Indicator, indicators)
        values: list[IndicatorValue] = []
        for indicator in indicators:
            day = indicator.baseline_date + timedelta(days=365)
            value = indicator.baseline
            while day <= min(self.today, indicator.target_date):
                value += Decimal(
                    rng.randint(0, int(indicator.target - indicator.baseline) // 3 + 1)
                )
                values.append(
                    IndicatorValue(
                        indicator_id=indicator.pk,
                        value=min(value, indicator.target),
                        measured_on=day,
                        source="Jahresabfrage der Geschäftsstelle",
                        entered_by_id=self.staff,
                        entered_at=moment(day + timedelta(days=7), 10),
                    )
                )
                day += timedelta(days=365)
        insert(IndicatorValue, values)

    def reports(self, measures: list[_Measure]) -> dict[Goal, tuple[date, int | None]]:
        """Half-yearly reports while the measure runs; the newest sets progress and status."""
        rng = self.rng
        reports: list[ProgressReport] = []
        changed: list[Goal] = []
        newest: dict[Goal, tuple[date, int | None]] = {}
        for measure in measures:
            goal = measure.goal
            assert goal.start_date is not None and goal.end_date is not None
            if not measure.responsible or goal.start_date > self.today:
                continue
            dropped = rng.random() < 0.05
            last = min(goal.end_date + timedelta(days=30), self.today)
            days = []
            day = goal.start_date + timedelta(days=rng.randint(20, 60))
            while day <= last:
                days.append(day)
                day += timedelta(days=REPORT_EVERY_DAYS)
            if not days:
                continue
            # Most measures that have ended are done; some run late (overdue on the pages).
            finished = goal.end_date <= self.today and not dropped and rng.random() < 0.9
            percent, status = 0, MeasureStatus.RUNNING
            for n, day in enumerate(days):
                final = n == len(days) - 1
                if final and finished:
                    percent, status = 100, MeasureStatus.DONE
                elif final and dropped:
                    status = MeasureStatus.DROPPED
                else:
                    percent = min(95, percent + rng.randint(5, 30))
                org_id = pick(measure.responsible, n)
                reports.append(
                    ProgressReport(
                        measure=goal,
                        organisation_id=org_id,
                        reported_by_id=self.writers.get(org_id),
                        percent=percent,
                        status=status,
                        text=REPORT_TEXTS[4]
                        if status == MeasureStatus.DONE
                        else pick(REPORT_TEXTS, n),
                        created_at=moment(day, 14),
                    )
                )
            goal.progress, goal.status = percent, status
            changed.append(goal)
            newest[goal] = (days[-1], reports[-1].reported_by_id)
        insert(ProgressReport, reports)
        Goal.objects.bulk_update(changed, ["progress", "status"], batch_size=1000)
        return newest


def seed(
    *, state_slugs: list[str], stdout: TextIO | None = None, size: ScaleSize | None = None
) -> None:
    """Add the two adopted strategies to each benchmark state that has none yet."""
    size = size or ScaleSize(states=len(state_slugs))

    def seed_state(state: StateNetwork, rng: random.Random, today: date) -> str:
        count = _StateSeeder(state, rng, today, size).run()
        return f"2 strategies with {count} goals and measures"

    seed_states(
        state_slugs,
        app="strategy",
        seeded=lambda state: Strategy.objects.filter(state=state).exists(),
        seed_state=seed_state,
        stdout=stdout,
    )


__all__ = ["seed"]
