"""The dashboard: the landing page after login, by the kind of the active membership.

One function per kind of dashboard; each keeps a fixed number of queries, however many
organisations, members or notifications there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.fragments import lazy
from core.queries import Total, head_and_total
from core.web import acting_user
from councils.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Position,
    Region,
    Role,
    StateNetwork,
)
from councils.permissions import acting_state, current_membership, is_state_admin, staff_states
from exchange.dashboard import (
    council_exchange_summary,
    network_feed,
    ngo_exchange_summary,
    state_exchange_summary,
)
from funding.dashboard import council_funding_summary, reviewer_tasks, state_funding_summary
from notifications.grouping import fold_repeats
from notifications.models import Notification
from spaces.dashboard import council_space_summary, network_dates, state_space_overview
from strategy.dashboard import state_strategy_summary

if TYPE_CHECKING:
    from councils.models import User

#: How many rows the short lists of a dashboard show.
NEWEST = 10

#: Order of the leading positions in a council's or NGO's profile.
LEADING_POSITIONS = (Position.CHAIR, Position.DEPUTY_CHAIR, Position.MANAGING_OFFICE)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the dashboard that fits the active membership."""
    membership = current_membership(request)
    if membership is None:
        if request.user.is_superuser:
            return platform_dashboard(request)
        return no_membership_dashboard(request)
    kind = membership.organisation.kind
    if kind == OrganisationKind.STATE_OFFICE:
        return state_dashboard(request, membership)
    if kind == OrganisationKind.MUNICIPAL_COUNCIL:
        return council_dashboard(request, membership)
    return ngo_dashboard(request, membership)


@dataclass
class RegionRow:
    """One row of the state's regions × kinds table."""

    label: str
    counts: list[int]
    total: int


@dataclass
class OrganisationTable:
    """A state's active organisations counted by region (rows) and kind (columns)."""

    kinds: list[str]
    rows: list[RegionRow]
    kind_totals: list[int]
    total: int
    region_count: int


def _organisation_table(state: StateNetwork, user: User) -> OrganisationTable:
    """Active organisations of the state counted by region and kind (one aggregate query)."""
    kinds = list(OrganisationKind)
    regions = list(Region.objects.visible_to(user).filter(state=state).order_by("name"))
    counts: dict[tuple[int | None, str], int] = {
        (row["region_id"], row["kind"]): row["n"]
        for row in Organisation.objects.visible_to(user)
        .filter(state=state, is_active=True)
        .order_by()
        .values("region_id", "kind")
        .annotate(n=Count("pk"))
    }

    def row(label: str, region_id: int | None) -> RegionRow:
        cells = [counts.get((region_id, kind), 0) for kind in kinds]
        return RegionRow(label=label, counts=cells, total=sum(cells))

    rows = [row(region.name, region.pk) for region in regions]
    without_region = row("", None)
    if without_region.total:
        rows.append(without_region)
    kind_totals = [sum(r.counts[i] for r in rows) for i in range(len(kinds))]
    return OrganisationTable(
        kinds=[str(kind.label) for kind in kinds],
        rows=rows,
        kind_totals=kind_totals,
        total=sum(kind_totals),
        region_count=len(regions),
    )


def _state_figures(state: StateNetwork, user: User) -> dict[str, int]:
    """Active organisations, active people and their seats, pending invitations and regions of
    the state, each a subquery of one statement.

    The seats are counted with ``active_for_counting`` (the same seats as ``active()``): the
    index ``membership_seat`` holds their dates and persons and the locked accounts are one
    lookup in ``user_locked``, so the two counts read no membership or account rows (3 ms
    instead of 11–15 ms for the statement at federal scale).
    """
    organisations = Organisation.objects.visible_to(user).filter(state=state)
    seats = Membership.objects.active_for_counting().filter(
        organisation__in=organisations.filter(is_active=True)
    )
    pending = Invitation.objects.pending().filter(organisation__in=organisations)
    figures = (
        StateNetwork.objects.filter(pk=state.pk)
        .annotate(
            n_organisations=Total(organisations.filter(is_active=True)),
            n_people=Total(seats.values("user").distinct()),
            n_seats=Total(seats),
            n_pending=Total(pending),
            n_regions=Total(Region.objects.visible_to(user).filter(state=state)),
        )
        .values("n_organisations", "n_people", "n_seats", "n_pending", "n_regions")
        .get()
    )
    return {name: cast(int, number) for name, number in figures.items()}


def state_dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    """State staff and state admins: their state's work at a glance.

    The network itself (organisations by region, the councils' activity, newest members and
    pending invitations) is the page ``network_overview``: together they would pass the
    query budget of a page (tests/portal/test_query_budget.py).
    """
    user: User = request.user  # type: ignore[assignment]
    state = membership.organisation.state
    # Lazy: the page's content is a cached fragment (core.fragments), computed on a miss only.
    return render(
        request,
        "lpr_portal/dashboard_state.html",
        {
            "membership": membership,
            "state": state,
            "figures": lazy(_state_figures, state, user),
            "is_admin": lazy(is_state_admin, user, state.pk),
            "strategy_summary": lazy(state_strategy_summary, state),
            "funding_summary": lazy(state_funding_summary, state, user),
            "reviewer_tasks": lazy(reviewer_tasks, user),
            "exchange_summary": lazy(state_exchange_summary, state, user),
            "exchange_feed": lazy(network_feed, state, user),
            "space_dates": lazy(network_dates, state, user),
        },
    )


def _overview_state(request: HttpRequest, user: User) -> tuple[StateNetwork, list[StateNetwork]]:
    """The state the network overview shows: ``?state=`` among the user's, else the acting one."""
    states = staff_states(user)
    if not states:
        raise PermissionDenied
    raw = request.GET.get("state")
    if raw:
        chosen = next((state for state in states if str(state.pk) == raw), None)
        if chosen is None:
            raise Http404
        return chosen, states
    state = acting_state(request, states)
    assert state is not None
    return state, states


@require_GET
@login_required
def network_overview(request: HttpRequest) -> HttpResponse:
    """State staff and admins: the state's organisations by region and kind, the councils'
    focus topics and activity, the newest members and the pending invitations."""
    user = acting_user(request)
    state, states = _overview_state(request, user)
    organisations = Organisation.objects.visible_to(user).filter(state=state)
    newest_members = list(
        Membership.objects.active()
        .filter(organisation__in=organisations)
        .select_related("user", "organisation")
        .order_by("-created_at", "-pk")[:NEWEST]
    )
    pending_invitations, pending_count = head_and_total(
        Invitation.objects.pending()
        .filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("-created_at", "-pk"),
        NEWEST,
    )
    return render(
        request,
        "lpr_portal/network_overview.html",
        {
            "state": state,
            "states": states,
            "table": _organisation_table(state, user),
            "newest_members": newest_members,
            "pending_invitations": pending_invitations,
            "pending_count": pending_count,
            "is_admin": is_state_admin(user, state.pk),
            "space_overview": state_space_overview(state, user),
        },
    )


#: How many unread notifications are read to fill the open tasks after folding repeats.
TASK_WINDOW = NEWEST * 5


def _open_tasks(user: User) -> list[Notification]:
    """The person's newest unread notifications: what still waits for them.

    Several notifications about the same page (a request accepted, then done) are one task: the
    newest is shown, with the number of earlier ones, so nothing appears twice on the dashboard.
    """
    unread = Notification.objects.for_user(user).unread().order_by("-created_at", "-pk")
    return fold_repeats(unread[:TASK_WINDOW], by_link=True)[:NEWEST]


def _open_tasks_context(user: User) -> dict[str, object]:
    """The open tasks and how many unread notifications they stand for (repeats included)."""
    tasks = _open_tasks(user)
    return {
        "open_tasks": tasks,
        "open_tasks_covered": sum(1 + task.repeats for task in tasks),  # type: ignore[attr-defined]
    }


def _roster(organisation: Organisation) -> list[Membership]:
    """Active members of the organisation, the leading positions first."""
    return list(
        organisation.memberships.active()
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _leaders(roster: list[Membership]) -> list[Membership]:
    """Chair, deputy chair and managing office, in that order."""
    rank: dict[str, int] = {position: i for i, position in enumerate(LEADING_POSITIONS)}
    return sorted((m for m in roster if m.position in rank), key=lambda m: rank[m.position])


def council_dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Council coordinators and members: their council, its roster and their open tasks."""
    user: User = request.user  # type: ignore[assignment]
    council = membership.organisation
    roster = lazy(_roster, council)
    # Lazy: the page's content is a cached fragment (core.fragments), computed on a miss only.
    return render(
        request,
        "lpr_portal/dashboard_council.html",
        {
            "membership": membership,
            "organisation": council,
            "roster": roster,
            "leaders": lazy(lambda: _leaders(roster)),
            "tasks": lazy(_open_tasks_context, user),
            "is_coordinator": membership.role == Role.COUNCIL_COORDINATOR,
            "funding_summary": lazy(council_funding_summary, council, user),
            "reviewer_tasks": lazy(reviewer_tasks, user),
            "exchange_summary": lazy(council_exchange_summary, council, user),
            "exchange_feed": lazy(network_feed, council.state, user),
            "space_dates": lazy(network_dates, council.state, user),
            "space_summary": lazy(council_space_summary, council, user),
        },
    )


def ngo_dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    """NGO representatives: their NGO's profile, served regions, representatives, open tasks."""
    user: User = request.user  # type: ignore[assignment]
    ngo = membership.organisation
    # Lazy: the page's content is a cached fragment (core.fragments), computed on a miss only.
    return render(
        request,
        "lpr_portal/dashboard_ngo.html",
        {
            "membership": membership,
            "organisation": ngo,
            "served_regions": lazy(lambda: list(ngo.served_regions.order_by("name"))),
            "representatives": lazy(_roster, ngo),
            "tasks": lazy(_open_tasks_context, user),
            "reviewer_tasks": lazy(reviewer_tasks, user),
            "exchange_summary": lazy(ngo_exchange_summary, ngo, user),
            "exchange_feed": lazy(network_feed, ngo.state, user),
            "space_dates": lazy(network_dates, ngo.state, user),
        },
    )


def platform_dashboard(request: HttpRequest) -> HttpResponse:
    """Platform admins without a membership: every state network with its numbers.

    The councils and NGOs are a subquery per state (an index range each). The people (distinct
    persons with an active seat in an active organisation) are one grouped count over all
    states' seats: as a subquery per state they were one nested loop per state over its seats
    and their accounts, 90 ms at federal scale (the accounts are now checked against the
    locked ones only: ``active_for_counting``).
    """
    return render(
        request,
        "lpr_portal/dashboard_platform.html",
        {"states": lazy(_platform_states, request.user)},
    )


def _platform_states(user: User) -> list[StateNetwork]:
    """Every state network the platform admin sees, with its councils, NGOs and people."""
    active = Organisation.objects.filter(state=OuterRef("pk"), is_active=True)
    states = list(
        StateNetwork.objects.visible_to(user)
        .annotate(
            council_count=Total(active.filter(kind=OrganisationKind.MUNICIPAL_COUNCIL)),
            ngo_count=Total(active.filter(kind=OrganisationKind.NGO)),
        )
        .order_by("name")
    )
    people: dict[int, int] = dict(
        Membership.objects.active_for_counting()
        .filter(organisation__is_active=True, organisation__state__in=states)
        .order_by()
        .values_list("organisation__state")
        .annotate(n=Count("user", distinct=True))
    )
    for state in states:
        state.member_count = people.get(state.pk, 0)  # type: ignore[attr-defined]
    return states


def no_membership_dashboard(request: HttpRequest) -> HttpResponse:
    """A signed-in person without an active membership: how to get one."""
    return render(request, "lpr_portal/dashboard_none.html")
