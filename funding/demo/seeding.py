"""What the demo funding of each state holds, and the seeder that writes it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from councils.demo.data import HAMELN, HILDESHEIM, KPR, ROSTOCK
from councils.models import Organisation, StateNetwork
from councils.topics import Topic
from notifications.services import historic
from strategy.models import Goal, Level, StrategyStatus

from .. import letters
from ..models import LetterKind, Programme, add_months
from ..models import RequestStatus as S
from .flow import Flow, period
from .projects import LARGE_PROJECTS, SMALL_PROJECTS, Project, requested
from .setup import STATE_TITLE, Cast, archive_programme, find_cast, open_programme

D = datetime.date
DAY = datetime.timedelta(days=1)
YEARS = 10
FEDERAL_YEARS = 5


@dataclass(frozen=True)
class StatePlan:
    slug: str
    staff: tuple[str, str]
    home: str
    #: Further councils, in turn, for the requests that are not the home council's.
    others: tuple[str, ...]
    #: Statuses of current-year requests of other councils.
    current: tuple[str, ...]
    #: Requests of each earlier year: (status, small project?).
    per_year: tuple[tuple[str, bool], ...]


ALL_CURRENT = (
    S.SUBMITTED,
    S.FORMAL_CHECK,
    S.REVIEW,
    S.AWAITING_CONFIRMATION,
    S.APPROVED,
    S.REJECTED,
    S.WITHDRAWN,
    S.PAYMENT_REQUESTED,
    S.PAID,
    S.PROOF_SUBMITTED,
    S.REPAYMENT_DEMANDED,
    S.CLOSED,
)

PLANS = (
    StatePlan(
        slug="niedersachsen",
        staff=("lpr-referent", "lpr-referentin2"),
        home=HAMELN,
        others=(
            f"{KPR} Stadt Braunschweig",
            HILDESHEIM,
            f"{KPR} Hansestadt Lüneburg",
            f"{KPR} Stadt Oldenburg",
            f"{KPR} Stadt Osnabrück",
            f"{KPR} Landkreis Celle",
            f"{KPR} Landkreis Göttingen",
            f"{KPR} Landkreis Emsland",
        ),
        current=ALL_CURRENT,
        per_year=((S.CLOSED, True), (S.CLOSED, False), (S.REJECTED, False), (S.WITHDRAWN, True)),
    ),
    StatePlan(
        slug="mecklenburg-vorpommern",
        staff=("mv-referent", ""),
        home=ROSTOCK,
        others=(
            f"{KPR} Hanse- und Universitätsstadt Rostock",
            f"{KPR} Landeshauptstadt Schwerin",
            f"{KPR} Universitäts- und Hansestadt Greifswald",
            f"{KPR} Neubrandenburg",
        ),
        current=(
            S.SUBMITTED,
            S.REVIEW,
            S.AWAITING_CONFIRMATION,
            S.REJECTED,
            S.PAID,
            S.PROOF_SUBMITTED,
            S.CLOSED,
        ),
        per_year=((S.CLOSED, False), (S.REJECTED, True)),
    ),
)

#: Statuses whose project has run (or runs) already.
_ENDED = (S.PROOF_SUBMITTED, S.REPAYMENT_DEMANDED, S.CLOSED)
_RUNNING = (S.PAYMENT_REQUESTED, S.PAID)


class GoalChoice:
    """The strategy goals an applicant links: an operational goal of the adopted strategies
    chosen by topic, and on every third request also a measure."""

    def __init__(self, state: StateNetwork) -> None:
        goals = list(
            Goal.objects.filter(strategy__state=state, strategy__status=StrategyStatus.ADOPTED)
            .filter(level__in=(Level.OPERATIONAL_GOAL, Level.MEASURE))
            .order_by("strategy_id", "level", "position", "pk")
        )
        self.operational = [g for g in goals if g.level == Level.OPERATIONAL_GOAL]
        self.measures = [g for g in goals if g.level == Level.MEASURE]
        self.topics = list(Topic.values)
        self.count = 0

    def __call__(self, project: Project) -> list[Goal]:
        n, self.count = self.count, self.count + 1
        if not self.operational:
            return []
        index = self.topics.index(project.topic) if project.topic in self.topics else n
        chosen = [self.operational[index % len(self.operational)]]
        if self.measures and n % 3 == 0:
            chosen.append(self.measures[(index + n) % len(self.measures)])
        return chosen


@contextmanager
def _commit_hooks_now() -> Iterator[None]:
    """Run the commit callbacks the block registers at its end, still in the transaction.

    The services notify after the commit; run one by one after the seed's commit, each of the
    hundreds of notices would be a transaction (and a disk sync) of its own.
    """
    connection = transaction.get_connection()
    start = len(connection.run_on_commit)
    yield
    hooks = connection.run_on_commit[start:]
    del connection.run_on_commit[start:]
    for _savepoints, func, _robust in hooks:
        func()


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(f"{text}\n")


def _seed_state(state: StateNetwork, plan: StatePlan, cast: Cast, now: datetime.datetime) -> int:
    today = timezone.localtime(now).date()
    year = today.year
    for kind in (LetterKind.APPROVAL, LetterKind.REJECTION):
        letters.saved_template_for(state.pk, kind)
    state_programmes = {
        y: open_programme(state, y, today, federal=False) for y in range(year - YEARS + 1, year + 1)
    }
    federal = {
        y: open_programme(state, y, today, federal=True)
        for y in range(year - FEDERAL_YEARS + 1, year + 1)
    }
    current = state_programmes[year]
    home = cast.council(plan.home)
    others = [c for name in plan.others for c in cast.councils if c.name == name] or [home]
    flow = Flow(cast, now)
    goals = GoalChoice(state)
    count = 0

    def other(n: int) -> Organisation:
        return others[n % len(others)]

    def run(
        programme: Programme,
        council: Organisation,
        project: Project,
        dates: tuple[D, D],
        status: str,
        *,
        repaid: bool = False,
    ) -> None:
        nonlocal count
        start, end = dates
        file = flow.draft(programme, council, project, start, end, goals=goals(project))
        # Scanned receipts (PDFs take a moment) only for the proofs of this year.
        flow.to(file, status, repaid=repaid, scans=programme.year == year)
        count += 1

    # This year's files of other councils, in every status.
    large_above_threshold = next(p for p in LARGE_PROJECTS if requested(p) > Decimal(5000))
    for n, status in enumerate(plan.current):
        project = (
            large_above_threshold
            if status == S.AWAITING_CONFIRMATION
            else (LARGE_PROJECTS if n % 2 else SMALL_PROJECTS)[n % 4]
        )
        programme = current
        if status in (S.SUBMITTED, S.REVIEW) and today + 14 * DAY <= D(year, 12, 31):
            programme = federal[year]  # the federal programme allows no early start
        timing = "ended" if status in _ENDED else "running" if status in _RUNNING else "ahead"
        start, end, _early = period(timing, year, today)
        run(programme, other(n), project, (start, end), status)

    # The home council: a draft, a returned request, one to call money for, and (below) one
    # whose proof of use is due soon.
    start, end, _early = period("ahead", year, today)
    flow.draft(current, home, SMALL_PROJECTS[0], start, end, complete=False)
    run(current, home, LARGE_PROJECTS[0], (start, end), S.RETURNED)
    start, end, _early = period("running", year, today)
    run(current, home, SMALL_PROJECTS[1], (start, end), S.APPROVED)
    count += 1

    # Earlier years: finished files, and last year's still owing their proof.
    for age in range(1, YEARS):
        y = year - age
        for n, (status, small) in enumerate(plan.per_year):
            projects = SMALL_PROJECTS if small else LARGE_PROJECTS
            council = home if (age + n) % 3 == 0 else other(age * 3 + n)
            end = D(y, 5 + n, 15 + age)
            run(
                state_programmes[y],
                council,
                projects[(age + n) % len(projects)],
                (max(D(y, 1, 1), end - 90 * DAY), end),
                status,
                repaid=(age == 4 and n == 1 and status == S.CLOSED),
            )
        if y in federal:
            end = D(y, 8, 31)
            run(federal[y], other(age), LARGE_PROJECTS[age % 6], (end - 90 * DAY, end), S.CLOSED)
    # Due soon: the project ended almost six months ago and its money has been paid.
    soon_end = add_months(today + 20 * DAY, -6)
    soon = state_programmes.get(soon_end.year, current)
    run(soon, home, LARGE_PROJECTS[4], (_start_before(soon_end), soon_end), S.PAID)
    # Overdue elsewhere, so the reminders have something to say.
    late_end = add_months(today - 30 * DAY, -6)
    late = state_programmes.get(late_end.year, current)
    run(late, other(1), SMALL_PROJECTS[3], (_start_before(late_end), late_end), S.PAID)

    # The office takes the finished years' programmes off the list.
    for programme in (*state_programmes.values(), *federal.values()):
        if programme.year < year - 1:
            archive_programme(programme)
    return count


def _start_before(end: D) -> D:
    return max(D(end.year, 1, 1), end - 90 * DAY)


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo funding of both demo states unless it exists."""
    now = timezone.now()
    for plan in PLANS:
        state = StateNetwork.objects.filter(slug=plan.slug).first()
        if state is None:
            _say(stdout, f"Funding demo skipped: state network '{plan.slug}' is missing.")
            continue
        if Programme.objects.filter(state=state, title=STATE_TITLE).exists():
            continue
        cast = find_cast(state, plan.staff)
        if cast is None or not cast.councils:
            _say(
                stdout, f"Funding demo skipped for {state.name}: its staff or councils are missing."
            )
            continue
        # The past is written as it happened, without e-mails and without rendering letters,
        # in one transaction with the notifications the services write at the commit.
        with transaction.atomic(), _commit_hooks_now(), historic(), letters.deferred():
            count = _seed_state(state, plan, cast, now)
        _say(stdout, f"Demo funding created: {state.name}, {count} requests")
