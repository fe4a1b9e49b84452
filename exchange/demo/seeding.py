"""Builders of the demo reporting periods: every report and reminder written by the services.

A report of a period that is over is written, submitted, asked about, answered and accepted at
the moments its story tells, under a clock set back to each moment; the reminder task runs on
the days it would have run, so the reminders and the staff's overdue overview are its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TextIO

from django.utils import timezone

from councils.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StateNetwork,
    User,
)
from strategy.models import Goal, StrategyStatus

from .. import reports
from ..models import ExchangeReport, ReportingPeriod
from ..models import ReportStatus as R
from ..reminders import DUE_SOON_DAYS, send_report_reminders
from .past import Timeline, seeding_transaction
from .plans import PLANS, Current, Story, half_year
from .profiles import PROFILES, Profile, Texts

D = datetime.date
DAY = datetime.timedelta(days=1)
#: A report is begun this many days before it is first submitted.
WRITING_DAYS = 10
#: Days from a submission to the staff's question, to the answer, to the acceptance.
QUESTION_AFTER, ANSWER_AFTER, ACCEPT_AFTER = 7, 5, 9
THANKS = "Vielen Dank für den Bericht."


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(text + "\n")


@dataclass
class Cast:
    """The people and goals of one state the demo reports need."""

    staff: User
    ngos: dict[str, Organisation]
    authors: dict[int, User]
    goals: dict[str, Goal]

    @classmethod
    def of(cls, state: StateNetwork, staff_name: str) -> Cast | None:
        staff = User.objects.filter(username=staff_name).first()
        ngos = {
            ngo.name: ngo
            for ngo in Organisation.objects.filter(
                state=state, kind=OrganisationKind.NGO, is_active=True, name__in=PROFILES
            )
        }
        if staff is None or not ngos:
            return None
        authors: dict[int, User] = {}
        seats = (
            Membership.objects.active()
            .filter(organisation__in=ngos.values(), role=Role.NGO_REPRESENTATIVE)
            .select_related("user")
            .order_by("organisation_id", "user__username")
        )
        for seat in seats:
            # The demo account writes its NGO's reports; elsewhere the first representative.
            if seat.user.username == "ngo-vertretung" or seat.organisation_id not in authors:
                authors[seat.organisation_id] = seat.user
        goals = {
            goal.title: goal
            for goal in Goal.objects.filter(
                strategy__state=state, strategy__status=StrategyStatus.ADOPTED
            ).order_by("strategy_id", "level", "position", "pk")
        }
        return cls(staff=staff, ngos=ngos, authors=authors, goals=goals)


def _regions(ngo: Organisation, variant: int) -> list[Region]:
    """Two of the regions the NGO serves (all when it serves two or fewer)."""
    served = list(ngo.served_regions.order_by("name"))
    if len(served) <= 2:
        return served
    first = variant % (len(served) - 1)
    return served[first : first + 2]


def _resources(profile: Profile, variant: int) -> list[reports.ResourceData]:
    items = list(profile.resources)
    if variant and len(items) > 1:
        items = items[1:] + items[:1]
    return [reports.ResourceData(kind=k, title=t, description=d) for k, t, d in items]


@dataclass
class Writer:
    """One NGO's report of one period, written step by step by its representative."""

    period: ReportingPeriod
    ngo: Organisation
    author: User
    cast: Cast
    variant: int
    report: ExchangeReport | None = None

    @property
    def profile(self) -> Profile:
        return PROFILES[self.ngo.name]

    @property
    def texts(self) -> Texts:
        return self.profile.texts[self.variant % len(self.profile.texts)]

    def _started(self) -> ExchangeReport:
        if self.report is None:
            self.report = reports.report_start(period=self.period, ngo=self.ngo, by=self.author)
        return self.report

    def write(self, *, complete: bool = True) -> None:
        """Begin the report and save its text (with topics, regions, goals and resources)."""
        report = self._started()
        if not complete:
            reports.report_update(
                report=report,
                by=self.author,
                version=report.version,
                activities=self.texts.activities,
            )
            return
        goals = [self.cast.goals[t] for t in self.profile.goals if t in self.cast.goals]
        self.report = reports.report_update(
            report=report,
            by=self.author,
            version=report.version,
            activities=self.texts.activities,
            findings=self.texts.findings,
            needs=self.texts.needs,
            topics=self.profile.topics,
            regions=_regions(self.ngo, self.variant),
            goals=goals,
            resources=_resources(self.profile, self.variant),
        )

    def submit(self, answer: str = "") -> None:
        self.report = reports.report_submit(report=self._started(), by=self.author, answer=answer)

    def ask(self, question: str) -> None:
        self.report = reports.report_return(
            report=self._started(), by=self.cast.staff, question=question
        )

    def accept(self) -> None:
        self.report = reports.report_accept(
            report=self._started(), by=self.cast.staff, message=THANKS
        )


def _story(timeline: Timeline, writer: Writer, story: Story, today: D) -> D:
    """Schedule the steps of a report of a period that is over; return its submission day."""
    submitted_on = min(writer.period.due_on + datetime.timedelta(days=story.offset), today)
    timeline.add(
        timeline.moment(submitted_on - datetime.timedelta(days=WRITING_DAYS), 9), writer.write
    )
    timeline.add(timeline.moment(submitted_on, 11), writer.submit)
    day, status = submitted_on, R.SUBMITTED
    if story.question:
        day = min(day + datetime.timedelta(days=QUESTION_AFTER), today)
        timeline.add(timeline.moment(day, 11), lambda: writer.ask(story.question))
        status = R.RETURNED
        if story.answer:
            day = min(day + datetime.timedelta(days=ANSWER_AFTER), today)
            timeline.add(timeline.moment(day, 11), lambda: writer.submit(story.answer))
            status = R.SUBMITTED
    if story.accepted and status == R.SUBMITTED:
        day = min(day + datetime.timedelta(days=ACCEPT_AFTER), today)
        timeline.add(timeline.moment(day, 11), writer.accept)
    return submitted_on


def _reminder_runs(timeline: Timeline, period: ReportingPeriod, today: D) -> None:
    """The reminder task's runs on the mornings it found the period due soon, then overdue."""
    for day in (period.due_on - datetime.timedelta(days=DUE_SOON_DAYS), period.due_on + DAY):
        if day <= today:
            timeline.add(timeline.moment(day, 7), send_report_reminders)


def _seed_period(
    state: StateNetwork, back: int, plan: dict[str, Story | Current], cast: Cast, today: D
) -> ReportingPeriod | None:
    title, start, end, due = half_year(today, back)
    if ReportingPeriod.objects.filter(state=state, title=title).exists():
        return None
    timeline = Timeline()
    period = timeline.run_now(
        timeline.moment(min(start, today), 8),
        lambda: reports.period_create(
            state=state, by=cast.staff, title=title, starts_on=start, ends_on=end, due_on=due
        ),
    )
    drafts: list[tuple[Writer, bool]] = []
    for name, what in plan.items():
        ngo = cast.ngos.get(name)
        author = cast.authors.get(ngo.pk) if ngo is not None else None
        if ngo is None or author is None:
            continue
        writer = Writer(period, ngo, author, cast, what.variant)
        if isinstance(what, Story):
            _story(timeline, writer, what, today)
        elif what.submitted_days_ago is not None:
            on = max(min(start, today), today - datetime.timedelta(days=what.submitted_days_ago))
            timeline.add(timeline.moment(on, 9), writer.write)
            timeline.add(timeline.moment(on, 11), writer.submit)
        else:
            drafts.append((writer, what.complete))
    if back:
        # The running period's reminders are left to the reminder task.
        _reminder_runs(timeline, period, today)
    timeline.run()
    for writer, complete in drafts:
        writer.write(complete=complete)  # today, as the representative is writing now
    return period


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo reporting periods and reports of both demo states unless they exist."""
    today = timezone.localdate()
    for plan in PLANS:
        state = StateNetwork.objects.filter(slug=plan.slug).first()
        if state is None:
            _say(stdout, f"Exchange demo skipped: state network '{plan.slug}' is missing.")
            continue
        cast = Cast.of(state, plan.staff)
        if cast is None:
            _say(stdout, f"Exchange demo skipped for {state.name}: its staff or NGOs are missing.")
            continue
        created = 0
        with seeding_transaction():
            # The oldest period first: the reminder task of a later one finds the earlier done.
            for back in reversed(range(len(plan.periods))):
                created += _seed_period(state, back, plan.periods[back], cast, today) is not None
        if created:
            _say(stdout, f"Demo exchange reports created: {state.name}, {created} periods")
