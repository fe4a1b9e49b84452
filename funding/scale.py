"""Benchmark volumes of the funding for ``seed_demo --scale state|federal``.

Each benchmark state gets ten years of programmes (a state programme every year, a federal one
in the last five) and some 3,500 requests of its councils in every status, made with
bulk_create. The programmes' committed and paid sums are computed from the requests at the
end, so they agree with what the services would have booked. A state that already has
programmes is left alone, which makes a second run add nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from django.db import transaction
from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from councils.models import Membership, Organisation, OrganisationKind, Role, StateNetwork
from councils.topics import Topic

from .models import (
    ZERO,
    CostCategory,
    CostLine,
    Decision,
    FinancingType,
    FundingRequest,
    FundingSource,
    Programme,
    StatusChange,
    Tier,
)
from .models import RequestStatus as S

BATCH_SIZE = 2000
YEARS = 10
#: Requests per state programme and year (the federal programme gets a third of it).
REQUESTS_PER_YEAR = 260
STATE_TITLE = "Landesprogramm Kommunale Prävention"
FEDERAL_TITLE = "Bundesprogramm Prävention vor Ort"
FEDERAL_YEARS = 5
SMALL, LARGE = Decimal("1000.00"), Decimal("15000.00")
CENT = Decimal("0.01")
REJECTION_REASON = "Das Projekt passt nicht zu den Förderschwerpunkten des Programmjahres."

#: Funded and still owing its proof: the whole approved amount is bound.
BOUND = (S.APPROVED, S.PAYMENT_REQUESTED, S.PAID, S.PROOF_SUBMITTED)
#: Finished with the proof: what was paid (less any repayment) stays bound.
SETTLED = (S.REPAYMENT_DEMANDED, S.CLOSED)

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
        S.REPAYMENT_DEMANDED: 1,
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

#: The transition that led into each status, for the one logged change per request.
PREVIOUS = {
    S.SUBMITTED: S.DRAFT,
    S.FORMAL_CHECK: S.SUBMITTED,
    S.RETURNED: S.FORMAL_CHECK,
    S.REVIEW: S.FORMAL_CHECK,
    S.AWAITING_CONFIRMATION: S.REVIEW,
    S.APPROVED: S.REVIEW,
    S.REJECTED: S.REVIEW,
    S.WITHDRAWN: S.SUBMITTED,
    S.PAYMENT_REQUESTED: S.APPROVED,
    S.PAID: S.PAYMENT_REQUESTED,
    S.PROOF_SUBMITTED: S.PAID,
    S.REPAYMENT_DEMANDED: S.PROOF_SUBMITTED,
    S.CLOSED: S.PROOF_SUBMITTED,
}

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


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def recount_programmes(programmes: Iterable[int]) -> None:
    """Set committed and paid of the programmes to the sums of their requests.

    The same sums the services book: an approval binds the approved amount; a closed file
    keeps what was paid and gives the rest back; a demanded repayment is an open claim that
    stays paid and bound until it is received (``repaid_amount``).
    """
    money = DecimalField(max_digits=14, decimal_places=2)
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
                        output_field=money,
                    )
                ),
                Value(ZERO),
                output_field=money,
            ),
            out=Coalesce(
                Sum(F("paid_amount") - F("repaid_amount"), output_field=money),
                Value(ZERO),
                output_field=money,
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
        requested = Decimal(rng.randrange(1500, 15001, 50))
    else:
        requested = Decimal(rng.randrange(250, 1001, 10))
    share = Decimal(rng.randrange(10, 36)) / 100
    total = cents(requested / (1 - share))
    rest = total - requested
    third = cents(rest * Decimal(rng.choice((0, 0, 0, 30, 50))) / 100)
    own = rest - third
    if own * 100 < total * 10:  # keep the programme's minimum own share of 10 %
        own, third = rest, ZERO
    return _Money(total, own, third, requested)


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour)))


class _StateSeeder:
    def __init__(self, state: StateNetwork, rng: random.Random, today: date) -> None:
        self.state = state
        self.rng = rng
        self.today = today
        councils = Organisation.objects.filter(
            state=state, kind=OrganisationKind.MUNICIPAL_COUNCIL
        ).order_by("pk")
        self.councils = list(councils.values_list("pk", "region_id"))
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

    def programmes(self) -> list[tuple[Programme, list[Tier]]]:
        year = self.today.year
        made = []
        for age in range(YEARS):
            y = year - age
            made.append(self.programme(y, STATE_TITLE, FundingSource.STATE, Decimal(2_000_000)))
            if age < FEDERAL_YEARS:
                made.append(
                    self.programme(y, FEDERAL_TITLE, FundingSource.FEDERAL, Decimal(600_000))
                )
        return made

    def programme(
        self, year: int, title: str, source: str, budget: Decimal
    ) -> tuple[Programme, list[Tier]]:
        current = year == self.today.year
        programme = Programme.objects.create(
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
            four_eyes_threshold=Decimal("5000.00"),
            retained_share=Decimal("10.00"),
            eligible_categories=list(CostCategory.values),
            is_active=year >= self.today.year - 1,
        )
        tiers = Tier.objects.bulk_create(
            [
                Tier(programme=programme, name="Kleinprojekt", max_amount=SMALL),
                Tier(programme=programme, name="Größeres Projekt", max_amount=LARGE),
            ]
        )
        return programme, tiers

    def requests(self, programme: Programme, tiers: list[Tier]) -> list[FundingRequest]:
        rng = self.rng
        age = min(self.today.year - programme.year, 2)
        statuses, weights = zip(*WEIGHTS[age].items(), strict=True)
        count = REQUESTS_PER_YEAR if programme.source == FundingSource.STATE else 90
        remaining = programme.budget
        made = []
        for _n in range(count):
            council_id, region_id = rng.choice(self.councils)
            status = rng.choices(statuses, weights)[0]
            large = rng.random() < 0.45
            plan = plan_money(rng, large)
            title, topic = rng.choice(PROJECTS)
            start = date(programme.year, rng.randint(2, 9), rng.randint(1, 28))
            end = min(start + timedelta(days=rng.randint(14, 150)), date(programme.year, 12, 31))
            funded = status in BOUND + SETTLED
            approved = None
            if funded:
                approved = plan.requested
                if rng.random() < 0.1:
                    approved = cents(approved * Decimal("0.8"))
                if approved > remaining:  # the budget is spent: this one was rejected
                    status, funded, approved = S.REJECTED, False, None
                else:
                    remaining -= approved
            submitted = status not in (S.DRAFT,)
            submitted_on = start - timedelta(days=rng.randint(30, 90))
            decided = status in BOUND + SETTLED + (S.REJECTED,)
            paid, repayment = ZERO, ZERO
            retained = cents((approved or ZERO) / 10)
            if status in (S.PAID, S.PROOF_SUBMITTED, S.REPAYMENT_DEMANDED):
                paid = (approved or ZERO) - retained
            elif status == S.CLOSED:
                paid = approved or ZERO
                if rng.random() < 0.1:
                    paid = cents(paid * Decimal("0.9"))  # not all of it was needed
            if status == S.REPAYMENT_DEMANDED or (status == S.CLOSED and rng.random() < 0.03):
                repayment = cents(paid * Decimal(rng.choice((10, 20, 35))) / 100)
            staff = rng.choice(self.staff)
            made.append(
                FundingRequest(
                    programme=programme,
                    applicant_id=council_id,
                    region_id=region_id,
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
                    approved_amount=approved,
                    status=status,
                    last_step=5,
                    round=1 if submitted else 0,
                    decision=(
                        (Decision.APPROVE if approved == plan.requested else Decision.REDUCE)
                        if funded
                        else (Decision.REJECT if status == S.REJECTED else "")
                    ),
                    proposed_amount=approved,
                    justification=REJECTION_REASON if status == S.REJECTED else "",
                    proposed_by_id=staff if decided else None,
                    decided_by_id=staff if decided else None,
                    decided_at=_aware(submitted_on + timedelta(days=21)) if decided else None,
                    paid_amount=paid,
                    repayment_amount=repayment,
                    repaid_amount=repayment if status == S.CLOSED else ZERO,
                    created_by_id=self.coordinators.get(council_id),
                    submitted_at=_aware(submitted_on) if submitted else None,
                )
            )
        return made

    def run(self) -> int:
        programmes = self.programmes()
        requests: list[FundingRequest] = []
        for programme, tiers in programmes:
            requests.extend(self.requests(programme, tiers))
        FundingRequest.objects.bulk_create(requests, batch_size=BATCH_SIZE)
        lines: list[CostLine] = []
        changes: list[StatusChange] = []
        categories = list(COST_TEXTS)
        for request in requests:
            # Two lines that add up to the total: the larger part first.
            first = cents(request.total_costs * Decimal("0.7"))
            chosen = self.rng.sample(categories, 2)
            for position, (category, amount) in enumerate(
                ((chosen[0], first), (chosen[1], request.total_costs - first))
            ):
                if amount > 0:
                    lines.append(
                        CostLine(
                            request=request,
                            category=category,
                            description=COST_TEXTS[category],
                            amount=amount,
                            position=position,
                        )
                    )
            if request.status in PREVIOUS:
                changes.append(
                    StatusChange(
                        request=request,
                        from_status=PREVIOUS[request.status],
                        to_status=request.status,
                        by_id=request.decided_by_id or request.created_by_id,
                    )
                )
        CostLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)
        StatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
        recount_programmes([programme.pk for programme, _tiers in programmes])
        return len(requests)


def seed(*, state_slugs: list[str], stdout: TextIO | None = None) -> None:
    """Add ten years of funding to each benchmark state that has none yet."""
    today = timezone.localdate()
    for slug in state_slugs:
        state = StateNetwork.objects.filter(slug=slug).first()
        if state is None or Programme.objects.filter(state=state).exists():
            continue
        started = time.perf_counter()
        with transaction.atomic():
            seeder = _StateSeeder(state, random.Random(f"funding-{slug}"), today)
            if not seeder.councils:
                continue
            count = seeder.run()
        if stdout is not None:
            stdout.write(
                f"{slug}: {count} funding requests in {time.perf_counter() - started:.1f} s\n"
            )


__all__ = ["recount_programmes", "seed"]
