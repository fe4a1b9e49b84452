"""Factories and a small funding world on top of tests.conftest.World.

Requests are moved through the workflow by the real services, so their status log,
submission copies and budget are what the portal itself would have written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from councils.models import Organisation, StateNetwork, User
from funding import decisions, services
from funding.models import (
    CostCategory,
    Decision,
    FinancingType,
    FundingRequest,
    FundingSource,
    Programme,
    Tier,
)
from funding.services import CostLineData
from tests.conftest import World
from tests.factories import StateNetworkFactory


def today() -> datetime.date:
    return timezone.localdate()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    state = factory.SubFactory(StateNetworkFactory)
    title = factory.Sequence(lambda n: f"Landesprogramm {n}")
    year = factory.LazyFunction(lambda: today().year)
    source = FundingSource.STATE
    budget = Decimal("50000.00")
    min_own_share = Decimal("10.00")
    financing_type = FinancingType.DEFICIT
    application_start = factory.LazyFunction(lambda: today() - datetime.timedelta(days=30))
    deadline = factory.LazyFunction(lambda: today() + datetime.timedelta(days=60))
    allows_early_start = False
    four_eyes_threshold = Decimal("5000.00")
    retained_share = Decimal("10.00")
    eligible_categories = factory.LazyFunction(lambda: [c.value for c in CostCategory])


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Stufe {n}")
    max_amount = Decimal("1000.00")


def make_programme(state: StateNetwork, **kwargs: Any) -> Programme:
    """A programme with the two tiers of the source text: up to 1,000 € and up to 15,000 €."""
    programme = ProgrammeFactory(state=state, **kwargs)
    TierFactory(programme=programme, name="Kleinprojekt", max_amount=Decimal("1000.00"))
    TierFactory(programme=programme, name="Größeres Projekt", max_amount=Decimal("15000.00"))
    return programme


def project_period(programme: Programme) -> tuple[datetime.date, datetime.date]:
    """A period after today inside the programme year (or the next days in late December)."""
    start = max(today() + datetime.timedelta(days=14), datetime.date(programme.year, 1, 1))
    end = min(start + datetime.timedelta(days=60), datetime.date(programme.year, 12, 31))
    if end < start:  # late in the year: the period of the factory's programme year
        start = end = datetime.date(programme.year, 12, 31)
    return start, end


def make_draft(
    programme: Programme,
    applicant: Organisation,
    by: User,
    *,
    title: str = "Mitternachtssport",
    costs: Decimal = Decimal("1000.00"),
    own: Decimal = Decimal("200.00"),
    large: bool | None = None,
) -> FundingRequest:
    """A complete draft: every field, one cost line, own contribution; ready to submit."""
    start, end = project_period(programme)
    request = services.request_create(
        programme=programme, applicant=applicant, created_by=by, title=title
    )
    request = services.cost_lines_replace(
        request=request,
        lines=[CostLineData(category=CostCategory.FEES, description="Honorare", amount=costs)],
    )
    requested = costs - own
    tiers = list(programme.tiers.order_by("max_amount"))
    tier = next((t for t in tiers if t.max_amount >= requested), tiers[-1]) if tiers else None
    if large is not None and len(tiers) > 1:
        tier = tiers[-1] if large else tiers[0]
    return services.request_update(
        request=request,
        step=5,
        description="Sport am Abend für Jugendliche im Stadtteil.",
        aims="Gewalt vorbeugen, Begegnung fördern.",
        target_group="Jugendliche von 14 bis 21 Jahren",
        topic="youth",
        region=applicant.region,
        start_date=start,
        end_date=end,
        tier=tier,
        own_contribution=own,
        third_party_funds=Decimal("0.00"),
    )


def advance(
    request: FundingRequest, to: str, *, applicant: User, staff: User, **kw: Any
) -> FundingRequest:
    """Move a complete draft forward through the real services up to the named status."""
    order = ["submitted", "formal_check", "review", "approved"]
    target = order.index(to)
    request = services.request_submit(request=request, by=applicant)
    if target >= 1:
        request = services.request_start_check(request=request, by=staff)
    if target >= 2:
        request = services.request_start_review(request=request, by=staff, **kw)
    if target >= 3:
        request = decisions.request_decide(request=request, by=staff, decision=Decision.APPROVE)
    return request


@dataclass
class FundingWorld:
    """Programmes of both states and requests of the first state's council in several states."""

    programme: Programme
    other_programme: Programme
    draft: FundingRequest
    submitted: FundingRequest
    in_review: FundingRequest
    approved: FundingRequest
    other_council_request: FundingRequest
    other_state_request: FundingRequest


def funding_world(w: World) -> FundingWorld:
    """Built once per world; the NGO representative is the assigned outside reviewer."""
    cached: FundingWorld | None = getattr(w, "_funding", None)
    if cached is not None:
        return cached
    coordinator, staff = w.users["coordinator"], w.users["state_staff"]
    programme = make_programme(w.state, title="Landesprogramm Prävention")
    other_programme = make_programme(w.other_state, title="Landesprogramm MV")
    draft = make_draft(programme, w.council, coordinator, title="Entwurf Nachtsport")
    submitted = advance(
        make_draft(programme, w.council, coordinator, title="Eingereichtes Projekt"),
        "submitted",
        applicant=coordinator,
        staff=staff,
    )
    in_review = advance(
        make_draft(programme, w.council, coordinator, title="Projekt in Begutachtung"),
        "review",
        applicant=coordinator,
        staff=staff,
        reviewers=[w.users["ngo_representative"]],
    )
    approved = advance(
        make_draft(programme, w.council, coordinator, title="Bewilligtes Projekt"),
        "approved",
        applicant=coordinator,
        staff=staff,
    )
    other_council = advance(
        make_draft(
            programme, w.other_council, w.users["other_council_coordinator"], title="Lüneburg"
        ),
        "submitted",
        applicant=w.users["other_council_coordinator"],
        staff=staff,
    )
    other_state = advance(
        make_draft(
            other_programme,
            w.other_state_council,
            w.users["other_state_coordinator"],
            title="Rostock",
        ),
        "submitted",
        applicant=w.users["other_state_coordinator"],
        staff=w.users["other_state_admin"],
    )
    world = FundingWorld(
        programme,
        other_programme,
        draft,
        submitted,
        in_review,
        approved,
        other_council,
        other_state,
    )
    w._funding = world  # type: ignore[attr-defined]
    return world
