"""The state office's funding statistics: amounts and counts by region, topic and strategy goal."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.fragments import lazy_values
from core.queries import InSubquery
from councils import permissions as scopes
from councils.models import Region, StateNetwork
from councils.topics import Topic
from strategy.models import GoalLink, Level

from ..dashboard import BudgetRow
from ..models import FUNDED, ZERO, FundingRequest, Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

#: The year filter's value for "every year".
ALL_YEARS = "all"
MONEY = DecimalField(max_digits=14, decimal_places=2)


# Whose statistics ----------------------------------------------------------------------------


def statistics_states(user: User | AnonymousUser) -> list[StateNetwork]:
    """The states where the user is state staff; every state for a platform admin."""
    return scopes.staff_states(user)


def _chosen_state(request: HttpRequest, states: list[StateNetwork]) -> StateNetwork:
    """``?state=<pk>`` among the allowed states (404 for any other), else the active seat's."""
    wanted = request.GET.get("state", "")
    if wanted:
        chosen = next((state for state in states if str(state.pk) == wanted), None)
        if chosen is None:
            raise Http404
        return chosen
    return scopes.acting_state(request, states) or states[0]


class StatisticsFilterForm(forms.Form):
    """State (when there is a choice), year and programme of the statistics."""

    state = forms.ChoiceField(label=_("State network"))
    year = forms.ChoiceField(label=_("Year"))
    programme = forms.ChoiceField(label=_("Programme"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        states: list[StateNetwork],
        programmes: list[Programme],
        today: datetime.date,
    ) -> None:
        super().__init__(data)
        if len(states) > 1:
            self._choices("state", [(str(s.pk), s.name) for s in states])
        else:
            del self.fields["state"]
        years = sorted({p.year for p in programmes} | {today.year}, reverse=True)
        self._choices(
            "year", [(ALL_YEARS, _("All years")), *((str(year), str(year)) for year in years)]
        )
        self._choices(
            "programme",
            [("", _("All programmes")), *((str(p.pk), f"{p.title} {p.year}") for p in programmes)],
        )

    def _choices(self, name: str, choices: list[tuple[str, str | Promise]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


# The figures ---------------------------------------------------------------------------------


@dataclass
class StatRow:
    """Requests, approvals and money of one region, topic or goal."""

    label: str | Promise
    requests: int = 0
    approved: int = 0
    approved_amount: Decimal = ZERO
    paid_amount: Decimal = ZERO
    #: The approved amount as a share of the largest row's, for the bar beside the number.
    bar: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class StatTable:
    rows: list[StatRow]
    total: StatRow


def _metrics() -> dict[str, Any]:
    """The figures of each row, as aggregates of the requests."""
    return {
        "requests": Count("pk"),
        "approved": Count("pk", filter=Q(status__in=FUNDED)),
        "approved_amount": Sum(
            "approved_amount", filter=Q(status__in=FUNDED), default=ZERO, output_field=MONEY
        ),
        # Net of repayments, as the programme's own "paid" sum.
        "paid_amount": Sum(
            F("paid_amount") - F("repayment_amount"), default=ZERO, output_field=MONEY
        ),
    }


def _row(label: str | Promise, values: Mapping[str, Any] | None, **extra: Any) -> StatRow:
    values = values or {}
    return StatRow(
        label=label,
        requests=values.get("requests", 0),
        approved=values.get("approved", 0),
        approved_amount=values.get("approved_amount") or ZERO,
        paid_amount=values.get("paid_amount") or ZERO,
        extra=extra,
    )


def _table(rows: list[StatRow]) -> StatTable:
    """The rows with their bars and a total row."""
    largest = max((row.approved_amount for row in rows), default=ZERO)
    for row in rows:
        row.bar = int(row.approved_amount * 100 / largest) if largest > 0 else 0
    total = StatRow(
        label=_("Total"),
        requests=sum(row.requests for row in rows),
        approved=sum(row.approved for row in rows),
        approved_amount=sum((row.approved_amount for row in rows), ZERO),
        paid_amount=sum((row.paid_amount for row in rows), ZERO),
    )
    return StatTable(rows=rows, total=total)


def by_region(
    requests: QuerySet[FundingRequest], state: StateNetwork, user: User | AnonymousUser
) -> StatTable:
    """Every region of the state, and the requests without one (2 queries)."""
    regions = list(Region.objects.visible_to(user).filter(state=state).order_by("name"))
    figures: dict[int | None, Mapping[str, Any]] = {
        row["region_id"]: row
        for row in requests.order_by().values("region_id").annotate(**_metrics())
    }
    rows = [_row(region.name, figures.get(region.pk)) for region in regions]
    if None in figures:
        rows.append(_row(_("No region"), figures[None]))
    return _table(rows)


def by_topic(requests: QuerySet[FundingRequest]) -> StatTable:
    """Every topic of the network, and the requests without one (1 query)."""
    figures = {
        row["topic"]: row for row in requests.order_by().values("topic").annotate(**_metrics())
    }
    rows = [_row(topic.label, figures.get(topic.value)) for topic in Topic]
    if "" in figures:
        rows.append(_row(_("No topic"), figures[""]))
    return _table(rows)


def by_goal(requests: QuerySet[FundingRequest], state: StateNetwork) -> StatTable:
    """Linked goals of the state's strategies, then the requests linked to none (2 queries)."""
    # A request linked to several goals counts under each of them.
    content_type = ContentType.objects.get_for_model(FundingRequest)
    links = GoalLink.objects.filter(content_type=content_type, goal__strategy__state=state)
    # The links are limited to the requests (object_id__in below): each link's request is
    # read by its key alone, without filtering and joining the list's conditions again.
    request = FundingRequest.objects.filter(pk=OuterRef("object_id")).order_by()
    funded = request.filter(status__in=FUNDED)
    figures = (
        links.filter(object_id__in=requests.values("pk"))
        .annotate(
            funded_pk=Subquery(funded.values("pk")[:1]),
            approved_value=Subquery(funded.values("approved_amount")[:1], output_field=MONEY),
            paid_value=Subquery(
                request.annotate(net=F("paid_amount") - F("repayment_amount")).values("net")[:1],
                output_field=MONEY,
            ),
        )
        .order_by()
        .values(
            "goal_id",
            "goal__title",
            "goal__level",
            "goal__position",
            "goal__strategy__title",
            "goal__strategy__version",
        )
        .annotate(
            requests=Count("pk"),
            approved=Count("funded_pk"),
            approved_amount=Sum("approved_value", default=ZERO, output_field=MONEY),
            paid_amount=Sum("paid_value", default=ZERO, output_field=MONEY),
        )
        .order_by(
            "goal__strategy__title",
            "-goal__strategy__version",
            "goal__level",
            "goal__position",
            "goal_id",
        )
    )
    rows = [
        _row(
            row["goal__title"],
            row,
            strategy=row["goal__strategy__title"],
            version=row["goal__strategy__version"],
            level=Level(row["goal__level"]).label,
        )
        for row in figures
    ]
    unlinked = requests.exclude(Exists(links.filter(object_id=OuterRef("pk")))).aggregate(
        **_metrics()
    )
    rows.append(_row(_("Not linked to any goal"), unlinked))
    return _table(rows)


@dataclass
class BudgetTotal:
    budget: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal
    share_used: Decimal
    claims_total: Decimal
    claims_count: int


def budget_total(rows: list[BudgetRow]) -> BudgetTotal:
    budget = sum((row.programme.budget for row in rows), ZERO)
    committed = sum((row.programme.committed for row in rows), ZERO)
    share = (committed * 100 / budget).quantize(Decimal("0.1")) if budget else ZERO
    return BudgetTotal(
        budget=budget,
        committed=committed,
        paid=sum((row.programme.paid for row in rows), ZERO),
        remaining=budget - committed,
        share_used=share,
        claims_total=sum((row.claims_total for row in rows), ZERO),
        claims_count=sum(row.claims_count for row in rows),
    )


# The page ------------------------------------------------------------------------------------


@require_GET
@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Approved and paid amounts and request counts of a state by region, topic and goal."""
    user = request.user
    states = statistics_states(user)
    if not states:
        raise PermissionDenied
    state = _chosen_state(request, states)
    # Lazy: the figures are a cached fragment (core.fragments), computed on a miss only.
    figures = lazy_values(
        _figures,
        request,
        states,
        state,
        names=(
            "form",
            "year",
            "programme",
            "regions",
            "topics",
            "goals",
            "budgets",
            "budget_total",
        ),
    )
    return render(request, "funding/statistics.html", {"state": state, **figures})


def _figures(
    request: HttpRequest, states: list[StateNetwork], state: StateNetwork
) -> dict[str, Any]:
    """The filter form, the tables and the budgets of the state's statistics."""
    user = request.user
    today = timezone.localdate()
    programmes = list(
        Programme.objects.managed_by(user)
        .filter(state=state)
        .with_open_claims()
        .order_by("-year", "title")
    )
    data = request.GET.copy()
    data.setdefault("year", str(today.year))
    data.setdefault("state", str(state.pk))
    form = StatisticsFilterForm(data, states=states, programmes=programmes, today=today)
    year: int | None = today.year
    programme: Programme | None = None
    if form.is_valid():
        chosen_year = form.cleaned_data["year"]
        year = None if chosen_year == ALL_YEARS else int(chosen_year)
        wanted = form.cleaned_data["programme"]
        programme = next((p for p in programmes if str(p.pk) == wanted), None)
    shown = [
        p
        for p in programmes
        if (year is None or p.year == year) and (programme is None or p.pk == programme.pk)
    ]
    # Received requests: submitted at least once (drafts and withdrawn drafts are not counted).
    requests = FundingRequest.objects.visible_to(user).filter(
        state=state, submitted_at__isnull=False
    )
    if year is not None:
        # The year's programmes of the state read once: their index finds the year's requests
        # (a join on the programme's year read every request of the state).
        year_programmes = Programme.objects.filter(state=state, year=year).values("pk")
        requests = requests.filter(InSubquery("programme_id", year_programmes))
    if programme is not None:
        requests = requests.filter(programme=programme)
    budgets = [BudgetRow(p) for p in shown]
    return {
        "form": form,
        "year": year,
        "programme": programme,
        "regions": by_region(requests, state, user),
        "topics": by_topic(requests),
        "goals": by_goal(requests, state),
        "budgets": budgets,
        "budget_total": budget_total(budgets),
    }
