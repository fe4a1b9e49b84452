"""List filters of the funding requests (django-filter), limited to what the user may see.

The request list and its export go through ``filter_requests``: the same FilterSet on the
same ``visible_to`` queryset, so a file always holds exactly the rows the list shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    IntegerField,
    Model,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from core.queries import InSubquery, distinct_values
from core.widgets import ListSelect
from councils.choosers import ChooserFilter, ChooserFilterSetMixin, ChooserSearchFilter
from councils.filters import OrderingFilter
from councils.models import Organisation, Region, StateNetwork
from councils.topics import Topic

from .forms_requests import DateInput, MoneyField
from .models import FundingRequest, Programme, RequestStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User

#: Sort by status in the order of the workflow, not by the alphabet of the stored value.
_STATUS_ORDER = Case(
    *(When(status=status, then=Value(index)) for index, status in enumerate(RequestStatus)),
    default=Value(len(RequestStatus)),
    output_field=IntegerField(),
)


class MoneyFilter(django_filters.Filter):
    """An amount typed in German ("1.000,00") or English notation."""

    field_class = MoneyField


class StableOrderingFilter(OrderingFilter):
    """Empty values last in both directions and the primary key as a tie-breaker.

    Without the tie-breaker rows of equal value could change pages between two requests.
    """

    expressions: dict[str, Any] = {}

    def get_ordering_value(self, param: str) -> OrderBy:
        descending = param.startswith("-")
        name = param[1:] if descending else param
        expression: F | Expression = self.expressions.get(name, F(self.param_map.get(name, name)))
        if descending:
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param]
        return qs.order_by(*ordering, "pk")


class RequestOrderingFilter(StableOrderingFilter):
    expressions = {"status": _STATUS_ORDER}


def _year_choices(programmes: QuerySet[Programme]) -> Callable[[], list[tuple[str, str]]]:
    """The years of the programmes, newest first; read once, when the choices are first shown
    or checked (a FilterSet, and so this list, lives for one request)."""
    read: list[tuple[str, str]] | None = None

    def choices() -> list[tuple[str, str]]:
        nonlocal read
        if read is None:
            years = programmes.order_by().values_list("year", flat=True).distinct()
            read = [(str(year), str(year)) for year in sorted(set(years), reverse=True)]
        return read

    return choices


def _used_by(scoped: QuerySet[Any], **fields: type[Model]) -> dict[str, QuerySet[Any]]:
    """For each field, the rows of its model some row of ``scoped`` refers to.

    All requests (platform admins): an EXISTS each, an index probe per choice instead of a
    pass over every request. A narrowed scope (a state's requests, a council's): the
    referenced ids of all fields collected in one pass (``distinct_values``), since PostgreSQL
    cannot tell that a region or programme of another state has none of the scope's requests
    and would probe each of them through all its requests.
    """
    if not scoped.query.where:
        return {
            field: model._default_manager.filter(Exists(scoped.filter(**{field: OuterRef("pk")})))
            for field, model in fields.items()
        }
    used = distinct_values(scoped, *fields)
    return {
        field: model._default_manager.filter(pk__in=sorted(used[field]))
        for field, model in fields.items()
    }


class RequestFilter(ChooserFilterSetMixin, django_filters.FilterSet):
    """Filters and sorting of the request list; every choice comes from the scoped queryset.

    A programme, council or region the user cannot see is no valid choice, so a forged value
    makes the form invalid instead of widening the list.
    """

    q = django_filters.CharFilter(label=_("Search (title, carrier, council)"), method="search")
    # ListSelect: a platform admin's list offers the programmes and regions of all states.
    programme = django_filters.ModelChoiceFilter(
        label=_("Funding programme"), queryset=Programme.objects.none(), widget=ListSelect
    )
    year = django_filters.ChoiceFilter(
        label=_("Programme year"), method="in_year", choices=[], widget=ListSelect
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=RequestStatus.choices,
        distinct=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.none(), widget=ListSelect
    )
    applicant_name = ChooserSearchFilter(
        label=_("Search councils by name"), field_name="applicant__name", chooser="applicant"
    )
    applicant = ChooserFilter(label=_("Council"), queryset=Organisation.objects.none())
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)
    amount_min = MoneyFilter(
        label=_("Requested from (€)"),
        field_name="requested_amount",
        lookup_expr="gte",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    amount_max = MoneyFilter(
        label=_("Requested up to (€)"),
        field_name="requested_amount",
        lookup_expr="lte",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"),
        field_name="submitted_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"),
        field_name="submitted_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )
    o = RequestOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("title", "title"),
            ("applicant__name", "council"),
            ("programme__title", "programme"),
            ("requested_amount", "requested"),
            ("approved_amount", "approved"),
            ("submitted_at", "submitted"),
            ("status", "status"),
        ),
        field_labels={
            "title": _("Title"),
            "applicant__name": _("Council"),
            "programme__title": _("Programme"),
            "requested_amount": _("Requested amount"),
            "approved_amount": _("Approved amount"),
            "submitted_at": _("Submitted"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = FundingRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        used = _used_by(
            self.queryset.order_by(), programme=Programme, applicant=Organisation, region=Region
        )
        programmes = used["programme"].only("pk", "title", "year")
        self.filters["programme"].queryset = programmes
        self.filters["applicant"].queryset = used["applicant"].order_by("name", "pk")
        self.filters["region"].queryset = used["region"].only("pk", "name").order_by("name", "pk")
        self.filters["year"].extra["choices"] = _year_choices(programmes)

    def in_year(self, queryset: QuerySet[FundingRequest], name: str, value: str) -> QuerySet[Any]:
        """The requests of the year's programmes. The programmes' ids read first: their index
        finds the requests; joined on the year, PostgreSQL walked the newest requests of every
        state looking for an old year's."""
        if not value:
            return queryset
        programmes = Programme.objects.filter(year=value).values("pk")
        return queryset.filter(InSubquery("programme_id", programmes))

    def search(self, queryset: QuerySet[FundingRequest], name: str, value: str) -> QuerySet[Any]:
        # The councils by their name first (InSubquery, their trigram index), not joined: each
        # branch of the OR is then answered by an index (funding 0014 for title and carrier).
        query = Q()
        for word in value.split():
            councils = Organisation.objects.filter(name__icontains=word).values("pk")
            query &= (
                Q(title__icontains=word)
                | Q(carrier_name__icontains=word)
                | Q(InSubquery("applicant_id", councils))
            )
        return queryset.filter(query)


#: Parameters that change which rows the list holds (sorting and the page do not).
FILTER_PARAMETERS = tuple(name for name in RequestFilter.base_filters if name != "o")


def filter_requests(
    user: User | AnonymousUser, data: QueryDict | None, *, request: HttpRequest | None = None
) -> tuple[RequestFilter, QuerySet[FundingRequest]]:
    """The user's requests through the filter; an invalid filter shows nothing, never more.

    With the request, the council chooser's search asks the list page for its options.
    """
    queryset = FundingRequest.objects.visible_to(user).for_table()
    filterset = RequestFilter(data or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def is_filtered(data: QueryDict) -> bool:
    """Whether the query narrows the rows (and an empty list means "nothing matches")."""
    return any(value.strip() for name in FILTER_PARAMETERS for value in data.getlist(name))


# The public list of funded projects ----------------------------------------------------------


class PublicFundedFilter(ChooserFilterSetMixin, django_filters.FilterSet):
    """Year and council of a state's funded projects, and the sorting of the public list."""

    year = django_filters.ChoiceFilter(label=_("Year"), field_name="programme__year", choices=[])
    council_name = ChooserSearchFilter(
        label=_("Search councils by name"), field_name="applicant__name", chooser="council"
    )
    council = ChooserFilter(
        label=_("Council"), field_name="applicant", queryset=Organisation.objects.none()
    )
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("title", "title"),
            ("applicant__name", "council"),
            ("approved_amount", "amount"),
            ("programme__year", "year"),
        ),
        field_labels={
            "title": _("Title"),
            "applicant__name": _("Council"),
            "approved_amount": _("Approved amount"),
            "programme__year": _("Year"),
        },
    )

    class Meta:
        model = FundingRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scoped = self.queryset.order_by()
        self.filters["council"].queryset = Organisation.objects.filter(
            pk__in=scoped.values("applicant_id")
        ).order_by("name", "pk")
        self.filters["year"].extra["choices"] = _year_choices(
            Programme.objects.filter(pk__in=scoped.values("programme_id"))
        )


def public_funded(state: StateNetwork) -> QuerySet[FundingRequest]:
    """A state's funded projects, in the public list's order; show them through ``published``.

    By the tenant key (always the programme's state): the state's index finds them, and the
    count and the total need no join.
    """
    funded: QuerySet[FundingRequest] = (
        FundingRequest.objects.funded()
        .filter(state=state)
        .order_by("-programme__year", "applicant__name", "title", "pk")
    )
    return funded


def published(projects: QuerySet[FundingRequest]) -> QuerySet[Any]:
    """Only what may be published of funded projects: no people, no requests."""
    shown: QuerySet[Any] = projects.values(
        "pk",
        "title",
        "approved_amount",
        council=F("applicant__name"),
        year=F("programme__year"),
    )
    return shown
