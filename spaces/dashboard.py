"""The council-space parts of the dashboards and of the pages that link into a council's space.

Usage in a dashboard view (``lpr_portal`` composes, ``spaces`` never imports it):
``context["space_summary"] = council_space_summary(council, user)`` with
``{% include "spaces/includes/dashboard_council.html" with summary=space_summary %}``;
``state_space_overview(state, user)`` with ``dashboard_state.html``; ``network_dates(state,
user)`` with ``{% include "spaces/includes/dashboard_dates.html" with dates=space_dates %}``.
Each function runs a fixed number of queries, however many events, groups or councils there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import (
    Count,
    DateTimeField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from councils.models import Organisation, OrganisationKind, StateNetwork

from .models import (
    CouncilDocument,
    CouncilFocusTopic,
    Event,
    EventAudience,
    FocusTopic,
    WorkingGroup,
    WorkingGroupStatus,
)
from .permissions_workgroups import is_coordinator, may_read_space

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

#: How many upcoming events of the council its dashboard lists.
COUNCIL_EVENTS_SHOWN = 5
#: How many active working groups the council dashboard lists, the nearest planned end first.
COUNCIL_GROUPS_SHOWN = 10
#: How many network dates (events, working-group deadlines) the feed lists of each kind.
DATES_SHOWN = 8
#: A working group's planned end appears among the network dates this many days ahead.
DEADLINE_DAYS_AHEAD = 60

_O = TypeVar("_O", bound=Organisation)


# The council ---------------------------------------------------------------------------------


@dataclass
class CouncilSpaceSummary:
    """The council's next events and its active working groups with their planned end."""

    council: Organisation
    events: list[Event]
    groups: list[WorkingGroup]
    more_groups: bool
    can_manage: bool
    today: datetime.date

    @property
    def overdue_count(self) -> int:
        return sum(1 for group in self.groups if group.is_overdue)


def council_space_summary(
    council: Organisation, user: User | AnonymousUser, *, today: datetime.date | None = None
) -> CouncilSpaceSummary:
    """The next five events the user may see and the active working groups (2 queries)."""
    today = today or timezone.localdate()
    events = list(
        Event.objects.visible_to(user)
        .filter(council=council, is_cancelled=False)
        .upcoming()
        .select_related("council")[:COUNCIL_EVENTS_SHOWN]
    )
    groups = list(
        WorkingGroup.objects.visible_to(user)
        .filter(council=council, status=WorkingGroupStatus.ACTIVE)
        .select_related("council", "lead")
        .order_by("planned_end", "topic", "pk")[: COUNCIL_GROUPS_SHOWN + 1]
    )
    return CouncilSpaceSummary(
        council=council,
        events=events,
        groups=groups[:COUNCIL_GROUPS_SHOWN],
        more_groups=len(groups) > COUNCIL_GROUPS_SHOWN,
        can_manage=is_coordinator(user, council),
        today=today,
    )


# The state office ----------------------------------------------------------------------------


@dataclass
class CouncilActivity:
    """One council of the state with its focus topics and when its space last saw work."""

    council: Organisation
    topics: list[FocusTopic]
    last_event: datetime.datetime | None
    last_update: datetime.datetime | None


@dataclass
class RegionActivity:
    """The councils of one region (``region`` None: councils without a region)."""

    label: str
    pk: int | None
    councils: list[CouncilActivity] = field(default_factory=list)


@dataclass
class StateSpaceOverview:
    """The state's councils by region, with their focus topics and activity."""

    state: StateNetwork
    regions: list[RegionActivity]

    @property
    def council_count(self) -> int:
        return sum(len(region.councils) for region in self.regions)


def _newest(subquery: QuerySet[Any], column: str) -> Subquery:
    return Subquery(subquery.order_by().values(column)[:1], output_field=DateTimeField())


def state_space_overview(
    state: StateNetwork, user: User | AnonymousUser, *, now: datetime.datetime | None = None
) -> StateSpaceOverview:
    """Per region the active councils, their focus topics, last event and last update (2 queries).

    The last update is the latest change of a document, a working group or an event of the space.
    """
    now = now or timezone.now()
    of_council = Q(council=OuterRef("pk"))
    events = Event.objects.visible_to(user).filter(of_council)
    councils = list(
        Organisation.objects.visible_to(user)
        .filter(state=state, kind=OrganisationKind.MUNICIPAL_COUNCIL, is_active=True)
        .select_related("region")
        .annotate(
            last_event=_newest(
                events.filter(starts_at__lte=now, is_cancelled=False).order_by("-starts_at"),
                "starts_at",
            ),
            event_changed=_newest(events.order_by("-updated_at"), "updated_at"),
            group_changed=_newest(
                WorkingGroup.objects.visible_to(user).filter(of_council).order_by("-updated_at"),
                "updated_at",
            ),
            document_changed=_newest(
                CouncilDocument.objects.visible_to(user).filter(of_council).order_by("-updated_at"),
                "updated_at",
            ),
        )
        .order_by("region__name", "name", "pk")
    )
    topics: dict[int, list[FocusTopic]] = {}
    for chosen in (
        CouncilFocusTopic.objects.visible_to(user)
        .filter(council__in=[c.pk for c in councils])
        .select_related("topic")
        .order_by("topic__position", "topic__name")
    ):
        topics.setdefault(chosen.council_id, []).append(chosen.topic)
    regions: dict[int | None, RegionActivity] = {}
    for council in councils:
        region = regions.setdefault(
            council.region_id,
            RegionActivity(
                label=council.region.name if council.region else "", pk=council.region_id
            ),
        )
        changes = [
            getattr(council, name)
            for name in ("event_changed", "group_changed", "document_changed")
            if getattr(council, name) is not None
        ]
        region.councils.append(
            CouncilActivity(
                council=council,
                topics=topics.get(council.pk, []),
                last_event=getattr(council, "last_event", None),
                last_update=max(changes) if changes else None,
            )
        )
    # Councils without a region come last.
    ordered = [r for key, r in regions.items() if key is not None]
    if None in regions:
        ordered.append(regions[None])
    return StateSpaceOverview(state=state, regions=ordered)


# The network's dates -------------------------------------------------------------------------


@dataclass
class NetworkDates:
    """Upcoming network and public events of a state and working-group deadlines."""

    state: StateNetwork
    events: list[Event]
    deadlines: list[WorkingGroup]
    today: datetime.date


def network_dates(
    state: StateNetwork, user: User | AnonymousUser, *, today: datetime.date | None = None
) -> NetworkDates:
    """The state's next network and public events and the deadlines of working groups the
    user may see: overdue ones and those ending within ``DEADLINE_DAYS_AHEAD`` days (2 queries).
    """
    today = today or timezone.localdate()
    events = list(
        Event.objects.visible_to(user)
        .filter(
            state=state,
            audience__in=[EventAudience.NETWORK, EventAudience.PUBLIC],
            is_cancelled=False,
        )
        .upcoming()
        .select_related("council")[:DATES_SHOWN]
    )
    deadlines = list(
        WorkingGroup.objects.visible_to(user)
        .filter(
            council__state=state,
            status=WorkingGroupStatus.ACTIVE,
            planned_end__lte=today + datetime.timedelta(days=DEADLINE_DAYS_AHEAD),
        )
        .select_related("council")
        .order_by("planned_end", "topic", "pk")[:DATES_SHOWN]
    )
    return NetworkDates(state=state, events=events, deadlines=deadlines, today=today)


# Links into a council's space ----------------------------------------------------------------


@dataclass
class CouncilSections:
    """What of a council's space the user may open, with the numbers shown beside the links."""

    council: Organisation
    reads_space: bool
    upcoming_events: int
    active_groups: int
    documents: int
    focus_topics: int


def _count(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.order_by().values("council").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def council_sections(council: Organisation, user: User | AnonymousUser) -> CouncilSections | None:
    """The council's space sections the user may open and their numbers (one query).

    None for an organisation that is not a municipal council. Events and documents are open to
    the state's network (each list shows what the user may see); working groups and focus topics
    to the council's people and the state's staff.
    """
    if council.kind != OrganisationKind.MUNICIPAL_COUNCIL:
        return None
    reads_space = may_read_space(user, council)
    of_council = Q(council=OuterRef("pk"))
    counts: dict[str, Any] = (
        Organisation.objects.filter(pk=council.pk)
        .annotate(
            n_upcoming_events=_count(
                Event.objects.visible_to(user).filter(
                    of_council, ends_at__gte=timezone.now(), is_cancelled=False
                )
            ),
            n_documents=_count(CouncilDocument.objects.visible_to(user).filter(of_council)),
            n_active_groups=_count(
                WorkingGroup.objects.filter(of_council, status=WorkingGroupStatus.ACTIVE)
            )
            if reads_space
            else Value(0),
            n_focus_topics=_count(CouncilFocusTopic.objects.filter(of_council))
            if reads_space
            else Value(0),
        )
        .values("n_upcoming_events", "n_documents", "n_active_groups", "n_focus_topics")
        .first()
    ) or {}  # type: ignore[assignment]
    return CouncilSections(
        council=council,
        reads_space=reads_space,
        upcoming_events=counts.get("n_upcoming_events", 0),
        active_groups=counts.get("n_active_groups", 0),
        documents=counts.get("n_documents", 0),
        focus_topics=counts.get("n_focus_topics", 0),
    )


def with_public_space(councils: QuerySet[_O]) -> QuerySet[_O]:
    """Annotate each council's public documents and upcoming public events (no extra query)."""
    of_council = Q(council=OuterRef("pk"))
    return councils.annotate(  # type: ignore[return-value]
        public_documents=_count(CouncilDocument.objects.public().filter(of_council)),
        public_events=_count(
            Event.objects.public().filter(
                of_council, ends_at__gte=timezone.now(), is_cancelled=False
            )
        ),
    )
