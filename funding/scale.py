"""Benchmark volumes of the funding for ``seed_demo --scale state|federal``.

Each benchmark state gets a state programme for every year of the history and a federal one in
the last five, with ``requests_per_year`` requests of its councils (a third as many in the
federal programme) in every status, made with bulk_create. Every request carries what the
services would have left behind on its way to its status: each step in the status log at its
moment, a submission copy per round, the four-eyes proposal above the programme's threshold, the
decision's frozen terms, the instalments with their own log, the proof of use with its receipts,
the proof reminders that were due before today, and a link to a goal of the state's strategy.
The programmes' committed and paid sums are computed from the requests at the end. A state that
already has programmes is left alone, which makes a second run add nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TextIO

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce

from councils.demo import ScaleSize
from councils.demo.bulk import insert, insert_history, moment
from councils.demo.scale import seed_states
from councils.models import Membership, Organisation, OrganisationKind, Role, StateNetwork
from councils.topics import Topic
from strategy.models import Goal, GoalLink, Level, StrategyStatus

from .formatting import money
from .models import (
    ZERO,
    CostCategory,
    CostLine,
    Decision,
    FinancingType,
    FundingRequest,
    FundingSource,
    Payment,
    PaymentStatus,
    PaymentStatusChange,
    Programme,
    ProofOfUse,
    Receipt,
    Reminder,
    ReminderKind,
    StatusChange,
    Submission,
    Tier,
)
from .models import RequestStatus as S
from .payments.reminders import REMINDER_DAYS_BEFORE
from .services.common import FINANCING_FIELDS, PROJECT_FIELDS

#: Kept for the tests and older callers: the default length of the history.
YEARS = 10
#: Requests per state programme and year by default (the federal programme gets a third).
REQUESTS_PER_YEAR = 540
STATE_TITLE = "Landesprogramm Kommunale Prävention"
FEDERAL_TITLE = "Bundesprogramm Prävention vor Ort"
FEDERAL_YEARS = 5
STATE_BUDGET, FEDERAL_BUDGET = Decimal(2_000_000), Decimal(600_000)
SMALL, LARGE = Decimal("1000.00"), Decimal("15000.00")
FOUR_EYES = Decimal("5000.00")
RETAINED_SHARE = Decimal("10.00")
CENT = Decimal("0.01")
REJECTION_REASON = "Das Projekt passt nicht zu den Förderschwerpunkten des Programmjahres."
BUDGET_SPENT = "Die Mittel des Programmjahres sind ausgeschöpft."
RETURN_REASON = "Bitte ergänzen Sie den Finanzierungsplan um die Honorarsätze."
REPAYMENT_REASON = "Ein Teil der Mittel wurde nicht zweckentsprechend verwendet."

#: Funded and still owing its proof: the whole approved amount is bound.
BOUND = (S.APPROVED, S.PAYMENT_REQUESTED, S.PAID, S.PROOF_SUBMITTED)
#: Finished with the proof: what was paid (less any repayment) stays bound.
SETTLED = (S.REPAYMENT_DEMANDED, S.CLOSED)
FUNDED = BOUND + SETTLED
#: A proof of use exists in these states.
WITH_PROOF = (S.PROOF_SUBMITTED, S.REPAYMENT_DEMANDED, S.CLOSED)

#: Status weights by the programme's age in years (0 = the current year).
WEIGHTS: dict[int, dict[str, int]] = {
    0: {
        S.DRAFT: 10,
        S.SUBMITTED: 12,
        S.FORMAL_CHECK: 8,
        S.RETURNED: 5,
        S.REVIEW: 12,
        S.AWAITING_CONFIRMATION: 4,
        S.APPROVED: 15,
        S.REJECTED: 6,
        S.WITHDRAWN: 4,
        S.PAYMENT_REQUESTED: 8,
        S.PAID: 10,
        S.PROOF_SUBMITTED: 3,
        S.REPAYMENT_DEMANDED: 2,
        S.CLOSED: 2,
    },
    1: {
        S.APPROVED: 4,
        S.PAYMENT_REQUESTED: 3,
        S.PAID: 15,
        S.PROOF_SUBMITTED: 12,
        S.REPAYMENT_DEMANDED: 3,
        S.CLOSED: 45,
        S.REJECTED: 13,
        S.WITHDRAWN: 5,
    },
    2: {S.CLOSED: 76, S.REJECTED: 15, S.WITHDRAWN: 7, S.REPAYMENT_DEMANDED: 2},
}

#: Days after the submission each step of the check and the decision takes place.
CHECK_AFTER, RETURN_AFTER, RESUBMIT_AFTER, REVIEW_AFTER = 4, 9, 16, 12
PROPOSE_AFTER, DECIDE_AFTER = 18, 23

PROJECTS = (
    ("Mitternachtssport für Jugendliche", Topic.YOUTH),
    ("Anti-Gewalt-Training an Grundschulen", Topic.VIOLENCE),
    ("Elternabende zur Suchtprävention", Topic.ADDICTION),
    ("Sicher im Netz – Medienkompetenz für Senioren", Topic.CYBERCRIME),
    ("Einbruchschutz-Beratung im Quartier", Topic.BURGLARY),
    ("Demokratiewerkstatt für Auszubildende", Topic.EXTREMISM),
    ("Beratungsstelle gegen häusliche Gewalt bekannt machen", Topic.DOMESTIC_VIOLENCE),
    ("Angsträume im Stadtpark entschärfen", Topic.PUBLIC_SPACE),
    ("Begegnungscafé für Neuzugewanderte", Topic.INTEGRATION),
    ("Opferhilfe-Lotsen im Landkreis", Topic.VICTIMS),
    ("Seniorensicherheitsberater ausbilden", Topic.SENIORS),
    ("Streitschlichter-Ausbildung an Oberschulen", Topic.VIOLENCE),
)
COST_TEXTS = {
    CostCategory.FEES: "Honorare Referentinnen und Referenten",
    CostCategory.MATERIAL: "Arbeitsmaterial",
    CostCategory.ROOMS: "Raummiete und Verpflegung",
    CostCategory.PUBLICITY: "Flyer und Plakate",
    CostCategory.TRAVEL: "Fahrtkosten",
}
PAYEES: dict[str, str] = {
    CostCategory.FEES: "Referentenbüro Prävention",
    CostCategory.MATERIAL: "Bürobedarf Nord GmbH",
    CostCategory.ROOMS: "Bürgerhaus am Markt",
    CostCategory.PUBLICITY: "Druckerei am Ring",
    CostCategory.TRAVEL: "Verkehrsverbund",
}
PROOF_REPORT = (
    "Das Projekt wurde wie geplant umgesetzt. Die Zielgruppe wurde erreicht, die Rückmeldungen "
    "der Teilnehmenden waren überwiegend positiv."
)


#: A request's fields while it was a draft (its first version in the history).
DRAFT_VALUES: dict[str, Any] = {
    "status": S.DRAFT,
    "round": 0,
    "submitted_at": None,
    "decision": "",
    "proposed_amount": None,
    "justification": "",
    "proposed_by_id": None,
    "decided_by_id": None,
    "decided_at": None,
    "approved_amount": None,
    "paid_amount": ZERO,
    "repayment_amount": ZERO,
    "repaid_amount": ZERO,
    "terms_frozen_at": None,
    "terms_retained_share": None,
    "terms_min_own_share": None,
    "terms_financing_type": "",
    "terms_tier_name": "",
    "terms_tier_limit": None,
    "terms_proof_due_months": None,
}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def recount_programmes(programmes: Iterable[int]) -> None:
    """Set committed and paid of the programmes to the sums of their requests.

    The same sums the services book: an approval binds the approved amount; a closed file
    keeps what was paid and gives the rest back; a demanded repayment is an open claim that
    stays paid and bound until it is received (``repaid_amount``).
    """
    money_field = DecimalField(max_digits=14, decimal_places=2)
    sums = (
        FundingRequest.objects.filter(programme_id__in=list(programmes))
        .values("programme_id")
        .annotate(
            bound=Coalesce(
                Sum(
                    Case(
                        When(status__in=BOUND, then=F("approved_amount")),
                        When(status__in=SETTLED, then=F("paid_amount") - F("repaid_amount")),
                        default=Value(ZERO),
                        output_field=money_field,
                    )
                ),
                Value(ZERO),
                output_field=money_field,
            ),
            out=Coalesce(
                Sum(F("paid_amount") - F("repaid_amount"), output_field=money_field),
                Value(ZERO),
                output_field=money_field,
            ),
        )
    )
    found = {row["programme_id"]: (row["bound"], row["out"]) for row in sums}
    for pk in programmes:
        committed, paid = found.get(pk, (ZERO, ZERO))
        Programme.objects.filter(pk=pk).update(committed=committed, paid=paid)


@dataclass
class _Money:
    total: Decimal
    own: Decimal
    third: Decimal
    requested: Decimal


def plan_money(rng: random.Random, large: bool) -> _Money:
    """A financing plan: 10 to 35 % own share, sometimes third-party funds, within the tier."""
    if large:
        requested = cents(Decimal(rng.randrange(1500, 15001, 50)))
    else:
        requested = cents(Decimal(rng.randrange(250, 1001, 10)))
    share = Decimal(rng.randrange(10, 36)) / 100
    total = cents(requested / (1 - share))
    rest = total - requested
    third = cents(rest * Decimal(rng.choice((0, 0, 0, 30, 50))) / 100)
    own = rest - third
    if own * 100 < total * 10:  # keep the programme's minimum own share of 10 %
        own, third = rest, ZERO
    return _Money(total, own, third, requested)


@dataclass
class _Step:
    status: str
    day: date
    by: int | None
    reason: str = ""


@dataclass
class _Plan:
    """One request as it comes out of the history: its steps and the money that moved."""

    request: FundingRequest
    steps: list[_Step]
    lines: list[CostLine]
    goal: Goal | None
    #: Instalments as (amount, called on, paid on or None, paid by).
    payments: list[tuple[Decimal, date, date | None, int | None]] = field(default_factory=list)


def _path(final: str, *, returned_once: bool, four_eyes: bool, repaid: bool) -> list[str]:
    """The statuses a request passes on its way to ``final`` (draft first)."""
    if final == S.DRAFT:
        return [S.DRAFT]
    path: list[str] = [S.DRAFT, S.SUBMITTED]
    if final == S.SUBMITTED:
        return path
    if final == S.WITHDRAWN:
        return [*path, S.WITHDRAWN]
    path.append(S.FORMAL_CHECK)
    if final == S.FORMAL_CHECK:
        return path
    if final == S.RETURNED:
        return [*path, S.RETURNED]
    if returned_once:
        path += [S.RETURNED, S.SUBMITTED, S.FORMAL_CHECK]
    path.append(S.REVIEW)
    if final == S.REVIEW:
        return path
    if four_eyes:
        path.append(S.AWAITING_CONFIRMATION)
    if final == S.AWAITING_CONFIRMATION:
        return path
    if final == S.REJECTED:
        return [*path, S.REJECTED]
    path.append(S.APPROVED)
    money_steps: tuple[str, ...] = (
        S.PAYMENT_REQUESTED,
        S.PAID,
        S.PROOF_SUBMITTED,
        S.REPAYMENT_DEMANDED,
    )
    if final == S.CLOSED:
        return [*path, *money_steps[: 4 if repaid else 3], S.CLOSED]
    return [*path, *money_steps[: money_steps.index(final) + 1]] if final != S.APPROVED else path


class _StateSeeder:
    def __init__(
        self, state: StateNetwork, rng: random.Random, today: date, size: ScaleSize
    ) -> None:
        self.state = state
        self.rng = rng
        self.today = today
        self.size = size
        councils = Organisation.objects.filter(
            state=state, kind=OrganisationKind.MUNICIPAL_COUNCIL
        ).order_by("pk")
        self.councils = list(
            councils.select_related("region").only(
                "pk", "region", "street", "postcode", "city", "name"
            )
        )
        self.coordinators = dict(
            Membership.objects.filter(
                organisation__in=councils, role=Role.COUNCIL_COORDINATOR
            ).values_list("organisation_id", "user_id")
        )
        self.staff: list[int | None] = list(
            Membership.objects.filter(
                organisation__state=state, role__in=(Role.STATE_STAFF, Role.STATE_ADMIN)
            )
            .order_by("pk")
            .values_list("user_id", flat=True)
        ) or [None]
        self.goals = list(
            Goal.objects.filter(
                strategy__state=state,
                strategy__status=StrategyStatus.ADOPTED,
                level__in=(Level.OPERATIONAL_GOAL, Level.MEASURE),
            ).order_by("pk")
        )

    # Programmes -------------------------------------------------------------------------------

    def programmes(self) -> list[tuple[Programme, list[Tier]]]:
        year = self.today.year
        made = []
        for age in range(self.size.years):
            y = year - age
            made.append(self.programme(y, STATE_TITLE, FundingSource.STATE, STATE_BUDGET))
            if age < FEDERAL_YEARS:
                made.append(self.programme(y, FEDERAL_TITLE, FundingSource.FEDERAL, FEDERAL_BUDGET))
        return made

    def programme(
        self, year: int, title: str, source: str, budget: Decimal
    ) -> tuple[Programme, list[Tier]]:
        current = year == self.today.year
        programme = Programme(
            state=self.state,
            title=title,
            year=year,
            source=source,
            budget=budget,
            min_own_share=Decimal("10.00"),
            financing_type=FinancingType.DEFICIT,
            application_start=date(year - 1, 11, 1) if not current else date(year, 1, 1),
            deadline=date(year, 9, 30) if not current else date(year, 12, 31),
            allows_early_start=source == FundingSource.STATE,
            four_eyes_threshold=FOUR_EYES,
            retained_share=RETAINED_SHARE,
            eligible_categories=list(CostCategory.values),
            is_active=year >= self.today.year - 1,
            created_at=moment(date(year - 1, 10, 15), 9),
        )
        insert(Programme, [programme])
        insert_history(Programme, [(programme, programme.created_at, self.staff[0])])
        tiers = Tier.objects.bulk_create(
            [
                Tier(programme=programme, name="Kleinprojekt", max_amount=SMALL),
                Tier(programme=programme, name="Größeres Projekt", max_amount=LARGE),
            ]
        )
        return programme, tiers

    # Requests ---------------------------------------------------------------------------------

    def _dates(self, programme: Programme, final: str) -> tuple[date, date]:
        """Project start and end within the programme year; early enough for a proof."""
        rng = self.rng
        year = programme.year
        if year == self.today.year and final in WITH_PROOF:
            start = date(year, rng.randint(2, 4), rng.randint(1, 28))
            end = start + timedelta(days=rng.randint(14, 60))
        else:
            start = date(year, rng.randint(2, 9), rng.randint(1, 28))
            end = min(start + timedelta(days=rng.randint(14, 150)), date(year, 12, 31))
        return start, end

    def _steps(
        self, path: list[str], submitted_on: date, start: date, end: date, four_eyes: bool
    ) -> list[_Step]:
        """Each status of the path with its day and who took the step (never in the future)."""
        rng = self.rng
        proposer = rng.choice(self.staff)
        second = rng.choice([s for s in self.staff if s != proposer] or self.staff)
        days: list[date] = []
        resubmitted = False
        steps: list[_Step] = []
        for index, status in enumerate(path[1:], start=1):
            previous = path[index - 1]
            reason = ""
            if status == S.SUBMITTED and previous == S.DRAFT:
                day, by = submitted_on, None
            elif status == S.SUBMITTED:  # resubmitted after the return
                day, by, resubmitted = submitted_on + timedelta(days=RESUBMIT_AFTER), None, True
            elif status == S.FORMAL_CHECK:
                day = submitted_on + timedelta(days=CHECK_AFTER + (14 if resubmitted else 0))
                by = proposer
            elif status == S.RETURNED:
                day, by = submitted_on + timedelta(days=RETURN_AFTER), proposer
                reason = RETURN_REASON
            elif status == S.WITHDRAWN:
                day, by = submitted_on + timedelta(days=rng.randint(1, 10)), None
            elif status == S.REVIEW:
                day = submitted_on + timedelta(days=REVIEW_AFTER + (14 if resubmitted else 0))
                by = proposer
            elif status == S.AWAITING_CONFIRMATION:
                day = submitted_on + timedelta(days=PROPOSE_AFTER + (14 if resubmitted else 0))
                by = proposer
            elif status in (S.APPROVED, S.REJECTED):
                day = submitted_on + timedelta(days=DECIDE_AFTER + (14 if resubmitted else 0))
                by = second if four_eyes else proposer
                reason = REJECTION_REASON if status == S.REJECTED else ""
            elif status == S.PAYMENT_REQUESTED:
                day, by = max(start, days[-1]) + timedelta(days=3), None
            elif status == S.PAID:
                day, by = days[-1] + timedelta(days=10), second
            elif status == S.PROOF_SUBMITTED:
                # Most proofs come within the six months; in the running year the quick ones.
                latest = 50 if end.year == self.today.year else 170
                day, by = end + timedelta(days=rng.randint(20, latest)), None
            elif status == S.REPAYMENT_DEMANDED:
                day, by, reason = days[-1] + timedelta(days=25), proposer, REPAYMENT_REASON
            else:  # closed
                day, by = days[-1] + timedelta(days=rng.randint(20, 40)), proposer
            day = max(day, days[-1]) if days else day
            if day > self.today:
                break  # the history has not got this far yet
            days.append(day)
            steps.append(_Step(status, day, by, reason))
        return steps

    def plan(self, programme: Programme, tiers: list[Tier], remaining: Decimal) -> _Plan:
        rng = self.rng
        age = min(self.today.year - programme.year, 2)
        statuses, weights = zip(*WEIGHTS[age].items(), strict=True)
        council = rng.choice(self.councils)
        final = rng.choices(statuses, weights)[0]
        large = rng.random() < 0.45 or final == S.AWAITING_CONFIRMATION
        plan = plan_money(rng, large)
        while final == S.AWAITING_CONFIRMATION and plan.requested <= FOUR_EYES:
            plan = plan_money(rng, large)  # a proposal waits for a second person only above it
        title, topic = rng.choice(PROJECTS)
        start, end = self._dates(programme, final)
        submitted_on = start - timedelta(days=rng.randint(30, 90))
        reduced = final in FUNDED and rng.random() < 0.1
        approved = cents(plan.requested * Decimal("0.8")) if reduced else plan.requested
        decision_amount = approved if final in FUNDED else plan.requested
        four_eyes = decision_amount > FOUR_EYES
        path = _path(
            final,
            returned_once=rng.random() < 0.08,
            four_eyes=four_eyes,
            repaid=final == S.CLOSED and rng.random() < 0.03,
        )
        steps = self._steps(path, submitted_on, start, end, four_eyes) if final != S.DRAFT else []
        status = steps[-1].status if steps else S.DRAFT
        if status in FUNDED and approved > remaining:
            # The year's budget is spent: this one was rejected at its decision.
            keep = [s for s in steps if s.status not in FUNDED]
            decided_day = next(s for s in steps if s.status == S.APPROVED)
            steps = [*keep, _Step(S.REJECTED, decided_day.day, decided_day.by, BUDGET_SPENT)]
            status = S.REJECTED
        creator = self.coordinators.get(council.pk)
        for step in steps:
            if step.by is None:
                step.by = creator
        created_on = (submitted_on if steps else min(start, self.today)) - timedelta(
            days=rng.randint(5, 20)
        )
        created_on = min(created_on, self.today)
        request = FundingRequest(
            programme=programme,
            applicant=council,
            region=council.region,
            applicant_street=council.street,
            applicant_postcode=council.postcode,
            applicant_city=council.city,
            title=title,
            description="Projekt des Präventionsrats mit Partnern vor Ort.",
            aims="Vorbeugen, vernetzen, Zielgruppe erreichen.",
            target_group="Bürgerinnen und Bürger der Kommune",
            topic=topic,
            tier=tiers[1] if large else tiers[0],
            start_date=start,
            end_date=end,
            total_costs=plan.total,
            own_contribution=plan.own,
            third_party_funds=plan.third,
            requested_amount=plan.requested,
            status=status,
            last_step=5,
            round=sum(1 for s in steps if s.status == S.SUBMITTED),
            created_by_id=creator,
            created_at=moment(created_on, 9),
            updated_at=moment(steps[-1].day if steps else created_on, 11),
            submitted_at=moment(steps[0].day, 11) if steps else None,
        )
        request.take_state_from_programme()  # the tenant key (save() and bulk_create set it)
        self._decide(request, steps, approved)
        payments = self._pay(request, steps)
        lines = self._cost_lines(request)
        goal = rng.choice(self.goals) if self.goals and rng.random() < 0.4 else None
        return _Plan(request, steps, lines, goal, payments)

    def _decide(self, request: FundingRequest, steps: list[_Step], approved: Decimal) -> None:
        """The proposal and the decision as the steps left them; the terms frozen at it."""
        by_status = {s.status: s for s in steps}
        proposal = by_status.get(S.AWAITING_CONFIRMATION)
        decided = by_status.get(S.APPROVED) or by_status.get(S.REJECTED)
        if proposal is None and decided is None:
            return
        rejected = S.REJECTED in by_status
        amount = None if rejected else approved
        request.decision = (
            Decision.REJECT
            if rejected
            else Decision.APPROVE
            if amount == request.requested_amount
            else Decision.REDUCE
        )
        request.proposed_amount = amount
        request.proposed_by_id = (proposal or decided).by  # type: ignore[union-attr]
        if rejected:
            request.justification = by_status[S.REJECTED].reason
        if decided is not None:
            request.decided_by_id = decided.by
            request.decided_at = moment(decided.day, 14)
            request.approved_amount = amount
            request.freeze_terms()
            request.terms_frozen_at = request.decided_at

    def _pay(
        self, request: FundingRequest, steps: list[_Step]
    ) -> list[tuple[Decimal, date, date | None, int | None]]:
        """Instalment, final payment and repayment as the steps left them."""
        by_status = {s.status: s for s in steps}
        approved = request.approved_amount or ZERO
        retained = cents(approved * RETAINED_SHARE / 100)
        payments: list[tuple[Decimal, date, date | None, int | None]] = []
        called = by_status.get(S.PAYMENT_REQUESTED)
        paid = by_status.get(S.PAID)
        if called is not None:
            payments.append(
                (
                    approved - retained,
                    called.day,
                    paid.day if paid else None,
                    paid.by if paid else None,
                )
            )
        closed = by_status.get(S.CLOSED)
        demanded = by_status.get(S.REPAYMENT_DEMANDED)
        if closed is not None and demanded is None and self.rng.random() < 0.85:
            payments.append((retained, closed.day, closed.day, closed.by))  # the final payment
        request.paid_amount = sum((p[0] for p in payments if p[2] is not None), ZERO)
        if demanded is not None:
            request.repayment_amount = cents(
                request.paid_amount * Decimal(self.rng.choice((10, 20, 35))) / 100
            )
            if closed is not None:  # received: the file was closed with it
                request.repaid_amount = request.repayment_amount
        return [p for p in payments if p[0] > 0]

    def _cost_lines(self, request: FundingRequest) -> list[CostLine]:
        """Two lines that add up to the total: the larger part first."""
        first = cents(request.total_costs * Decimal("0.7"))
        chosen = self.rng.sample(list(COST_TEXTS), 2)
        return [
            CostLine(
                request=request,
                category=category,
                description=COST_TEXTS[category],
                amount=amount,
                position=position,
            )
            for position, (category, amount) in enumerate(
                ((chosen[0], first), (chosen[1], request.total_costs - first))
            )
            if amount > 0
        ]

    # Writing ---------------------------------------------------------------------------------

    def run(self) -> int:
        programmes = self.programmes()
        plans: list[_Plan] = []
        for programme, tiers in programmes:
            count = self.size.requests_per_year
            if programme.source == FundingSource.FEDERAL:
                count = max(count // 3, 1)
            remaining = programme.budget
            for _n in range(count):
                made = self.plan(programme, tiers, remaining)
                if made.request.status in FUNDED:
                    remaining -= made.request.approved_amount or ZERO
                plans.append(made)
        insert(FundingRequest, [p.request for p in plans])
        self._versions(plans)
        for p in plans:
            for line in p.lines:
                line.request_id = p.request.pk
        insert(CostLine, [line for p in plans for line in p.lines])
        self._history(plans)
        self._submissions(plans)
        self._money(plans)
        self._proofs(plans)
        self._reminders(plans)
        self._goal_links(plans)
        recount_programmes([programme.pk for programme, _tiers in programmes])
        return len(plans)

    def _versions(self, plans: list[_Plan]) -> None:
        """The versions the services leave: the draft as begun, and the request as it is now."""
        insert_history(
            FundingRequest,
            [(p.request, p.request.created_at, p.request.created_by_id) for p in plans],
            values=lambda _request: DRAFT_VALUES,
        )
        insert_history(
            FundingRequest,
            [(p.request, p.request.updated_at, p.steps[-1].by) for p in plans if p.steps],
            kind="~",
        )

    def _history(self, plans: list[_Plan]) -> None:
        changes = []
        for p in plans:
            previous: str = S.DRAFT
            for step in p.steps:
                changes.append(
                    StatusChange(
                        request_id=p.request.pk,
                        from_status=previous,
                        to_status=step.status,
                        by_id=step.by,
                        at=moment(step.day, 11),
                        reason=step.reason,
                    )
                )
                previous = step.status
        insert(StatusChange, changes)

    def _submissions(self, plans: list[_Plan]) -> None:
        rows = []
        for p in plans:
            data = snapshot_of(p.request, p.lines, [p.goal] if p.goal else [])
            rounds = [s for s in p.steps if s.status == S.SUBMITTED]
            for number, step in enumerate(rounds, start=1):
                rows.append(
                    Submission(
                        request_id=p.request.pk,
                        round=number,
                        data=data,
                        submitted_by_id=step.by,
                        submitted_at=moment(step.day, 11),
                    )
                )
        insert(Submission, rows)

    def _money(self, plans: list[_Plan]) -> None:
        payments: list[Payment] = []
        for p in plans:
            for amount, called, paid_on, paid_by in p.payments:
                payment = Payment(
                    request_id=p.request.pk,
                    amount=amount,
                    status=PaymentStatus.PAID if paid_on else PaymentStatus.REQUESTED,
                    requested_by_id=p.request.created_by_id,
                    requested_at=moment(called, 10),
                    released_by_id=paid_by if paid_on else None,
                    released_at=moment(paid_on, 13) if paid_on else None,
                    paid_at=moment(paid_on, 15) if paid_on else None,
                )
                payments.append(payment)
        insert(Payment, payments)
        changes: list[PaymentStatusChange] = []
        for payment in payments:
            changes.append(
                PaymentStatusChange(
                    payment_id=payment.pk,
                    from_status="",
                    to_status=PaymentStatus.REQUESTED,
                    by_id=payment.requested_by_id,
                    at=payment.requested_at,
                )
            )
            if payment.released_at is not None and payment.paid_at is not None:
                for source, target, at in (
                    (PaymentStatus.REQUESTED, PaymentStatus.RELEASED, payment.released_at),
                    (PaymentStatus.RELEASED, PaymentStatus.PAID, payment.paid_at),
                ):
                    changes.append(
                        PaymentStatusChange(
                            payment_id=payment.pk,
                            from_status=source,
                            to_status=target,
                            by_id=payment.released_by_id,
                            at=at,
                        )
                    )
        insert(PaymentStatusChange, changes)

    def _proofs(self, plans: list[_Plan]) -> None:
        proofs: list[ProofOfUse] = []
        spent: dict[int, Decimal] = {}
        for p in plans:
            request = p.request
            by_status = {s.status: s for s in p.steps}
            submitted = by_status.get(S.PROOF_SUBMITTED)
            if submitted is None:
                continue
            checked = by_status.get(S.CLOSED) or by_status.get(S.REPAYMENT_DEMANDED)
            proofs.append(
                ProofOfUse(
                    request_id=request.pk,
                    report=PROOF_REPORT,
                    actual_own_contribution=request.own_contribution,
                    actual_third_party_funds=request.third_party_funds,
                    participants=self.rng.randint(12, 240),
                    submitted_at=moment(submitted.day, 16),
                    checked_by_id=checked.by if checked else None,
                    checked_at=moment(checked.day, 10) if checked else None,
                    check_note=checked.reason if checked else "",
                )
            )
            spent[request.pk] = request.total_costs
        insert(ProofOfUse, proofs)
        receipts = []
        for proof, p in zip(proofs, [p for p in plans if p.request.pk in spent], strict=True):
            for line in p.lines:
                receipts.append(
                    Receipt(
                        proof_id=proof.pk,
                        date=min(p.request.end_date or self.today, self.today),
                        payee=PAYEES[line.category],
                        purpose=line.description,
                        category=line.category,
                        amount=line.amount,
                    )
                )
        insert(Receipt, receipts)

    def _reminders(self, plans: list[_Plan]) -> None:
        """The proof reminders the periodic task sent before today or before the proof came.

        The task runs every few hours: a reminder whose day has passed went out then.
        """
        rows = []
        for p in plans:
            request = p.request
            due = request.proof_due
            if request.status not in FUNDED or due is None:
                continue
            proof = next((s.day for s in p.steps if s.status == S.PROOF_SUBMITTED), None)
            until = min(proof or self.today, self.today)
            soon = due - timedelta(days=REMINDER_DAYS_BEFORE)
            if soon < until:
                rows.append(
                    Reminder(
                        request_id=request.pk, kind=ReminderKind.PROOF_SOON, sent_at=moment(soon, 7)
                    )
                )
            overdue = due + timedelta(days=1)
            if overdue < until:
                rows.append(
                    Reminder(
                        request_id=request.pk,
                        kind=ReminderKind.PROOF_OVERDUE,
                        sent_at=moment(overdue, 7),
                    )
                )
        insert(Reminder, rows)

    def _goal_links(self, plans: list[_Plan]) -> None:
        content_type = ContentType.objects.get_for_model(FundingRequest)
        insert(
            GoalLink,
            [
                GoalLink(
                    goal=p.goal,
                    content_type=content_type,
                    object_id=p.request.pk,
                    created_at=p.request.created_at,
                )
                for p in plans
                if p.goal is not None
            ],
        )


def snapshot_of(
    request: FundingRequest, lines: list[CostLine], goals: list[Goal]
) -> dict[str, Any]:
    """What ``funding.services.submission.snapshot`` records, from the objects in memory."""
    data: dict[str, Any] = {}
    for name in PROJECT_FIELDS + FINANCING_FIELDS + ("total_costs", "requested_amount"):
        value = getattr(request, name)
        data[name] = "" if value is None else str(value)
    data["region"] = request.region.name if request.region_id else ""  # type: ignore[union-attr]
    data["tier"] = request.tier.name if request.tier_id else ""  # type: ignore[union-attr]
    data["topic"] = request.get_topic_display() if request.topic else ""
    data["cost_lines"] = [
        f"{line.get_category_display()}: {line.description} – {money(line.amount)}"
        for line in lines
    ]
    data["attachments"] = []
    data["goals"] = [str(goal) for goal in goals]
    return data


def seed(
    *, state_slugs: list[str], stdout: TextIO | None = None, size: ScaleSize | None = None
) -> None:
    """Add the funding history to each benchmark state that has none yet."""
    size = size or ScaleSize(states=len(state_slugs))

    def seed_state(state: StateNetwork, rng: random.Random, today: date) -> str | None:
        seeder = _StateSeeder(state, rng, today, size)
        return f"{seeder.run()} funding requests" if seeder.councils else None

    seed_states(
        state_slugs,
        app="funding",
        seeded=lambda state: Programme.objects.filter(state=state).exists(),
        seed_state=seed_state,
        stdout=stdout,
    )


__all__ = ["recount_programmes", "seed", "snapshot_of"]
