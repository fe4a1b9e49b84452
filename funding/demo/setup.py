"""Who acts in a demo state and the programmes they run, opened and archived through the
programme services at the dates the state office would have done it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from core.clock import frozen_at
from councils.demo.data import NI_NGO
from councils.models import Membership, Organisation, Role, StateNetwork, User

from ..models import CostCategory, FinancingType, FundingSource, Programme
from ..programmes import TierData, programme_create, programme_update

D = datetime.date
STATE_TITLE = "Landesprogramm Kommunale Prävention"
FEDERAL_TITLE = "Bundesprogramm Prävention vor Ort"
TIERS = (
    TierData("Kleinprojekt", Decimal("1000.00")),
    TierData("Größeres Projekt", Decimal("15000.00")),
)


def moment(day: D, hour: int = 10) -> datetime.datetime:
    """The aware moment of a day's hour in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def open_programme(state: StateNetwork, year: int, today: D, *, federal: bool) -> Programme:
    """The year's programme as the office set it up in the October before."""
    current = year == today.year
    budget = Decimal(120_000 if federal else 250_000)
    if state.code != "NI":
        budget = budget / 2
    with frozen_at(min(moment(D(year - 1, 10, 1)), timezone.now())):
        return programme_create(
            state=state,
            tiers=TIERS,
            title=FEDERAL_TITLE if federal else STATE_TITLE,
            year=year,
            source=FundingSource.FEDERAL if federal else FundingSource.STATE,
            description=(
                "Bundesmittel für Präventionsnetzwerke in Kommunen, weitergeleitet durch das Land."
                if federal
                else "Förderung von Kleinprojekten kommunaler Präventionsräte und ihrer Träger."
            ),
            budget=budget,
            min_own_share=Decimal("10.00"),
            financing_type=FinancingType.SHARE if federal else FinancingType.DEFICIT,
            application_start=D(year, 1, 1) if current else D(year - 1, 11, 1),
            # The current year stays open all year, so the demo can be seeded on any day.
            deadline=D(year, 12, 31) if current else D(year, 9, 30),
            allows_early_start=not federal,
            four_eyes_threshold=Decimal("5000.00"),
            retained_share=Decimal("10.00"),
            conditions_version="Stand: 01.01.2023",
            receipt_tolerance_days=14,
            deviation_share=Decimal("20.00"),
            eligible_categories=list(CostCategory.values)
            if not federal
            else [c for c in CostCategory.values if c != CostCategory.EQUIPMENT],
            is_active=True,
        )


def archive_programme(programme: Programme) -> None:
    """The office takes a finished year's programme off the list in the February after."""
    tiers = [TierData(t.name, t.max_amount, t.pk) for t in programme.tiers.order_by("pk")]
    with frozen_at(min(moment(D(programme.year + 1, 2, 1)), timezone.now())):
        programme_update(programme=programme, tiers=tiers, is_active=False)


@dataclass
class Cast:
    """Who acts in a state: two staff members, an outside reviewer, the councils' coordinators."""

    staff: User
    second: User
    reviewer: User | None
    councils: list[Organisation]
    coordinators: dict[int, User]
    #: Since when the reviewer is in the state's network (only then can they be assigned).
    reviewer_since: D | None = None

    def council(self, name: str) -> Organisation:
        return next(c for c in self.councils if c.name == name)

    def coordinator(self, council: Organisation) -> User:
        return self.coordinators.get(council.pk) or self.staff


def _members(state: StateNetwork, roles: tuple[str, ...]) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(organisation__state=state, role__in=roles, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
    )


def find_cast(state: StateNetwork, staff_names: tuple[str, str]) -> Cast | None:
    staff = {m.user.username: m.user for m in _members(state, (Role.STATE_STAFF,))}
    first = staff.get(staff_names[0])
    if first is None:
        return None
    second = staff.get(staff_names[1]) or next(
        (u for name, u in staff.items() if name != staff_names[0]), first
    )
    ngo = list(_members(state, (Role.NGO_REPRESENTATIVE,)))
    seat = next((m for m in ngo if m.organisation.name == NI_NGO), None) or (
        ngo[0] if ngo else None
    )
    coordinators: dict[int, User] = {}
    for membership in _members(state, (Role.COUNCIL_COORDINATOR,)):
        # The demo accounts come first where a council has several coordinators.
        if membership.user.username.endswith("-koordination"):
            coordinators[membership.organisation_id] = membership.user
        else:
            coordinators.setdefault(membership.organisation_id, membership.user)
    councils = list(
        Organisation.objects.filter(state=state, pk__in=coordinators.keys()).order_by("name")
    )
    return Cast(
        first,
        second,
        seat.user if seat else None,
        councils,
        coordinators,
        reviewer_since=seat.start_date if seat else None,
    )
