"""List filters of the offer catalogue and of the requests for offers (django-filter).

Every choice comes from the queryset the user may see, so a forged value makes the form
invalid instead of widening the list; an invalid filter shows nothing, never more.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils.choosers import ChooserFilter, ChooserFilterSetMixin, ChooserSearchFilter
from councils.filters import OrderingFilter
from councils.models import Organisation, Region, StateNetwork
from councils.permissions import council_ids
from councils.topics import Topic

from .models import (
    Offer,
    OfferKind,
    OfferQuerySet,
    OfferRequest,
    OfferRequestStatus,
    OfferTopic,
)
from .permissions import provider_organisations


class StableOrderingFilter(OrderingFilter):
    """The primary key as a tie-breaker, so rows of equal value never change pages."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value if param], "pk")


def _is_filtered(filterset: django_filters.FilterSet, data: QueryDict) -> bool:
    """Whether the query narrows the rows (so an empty list means "nothing matches")."""
    names = [name for name in filterset.filters if name != "o"]
    return any(value.strip() for name in names for value in data.getlist(name))


class OfferFilter(ChooserFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search (title, description, audience, provider)"), method="search"
    )
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices, method="by_topic")
    region = django_filters.ModelChoiceFilter(
        label=_("Available in region"), queryset=Region.objects.none(), method="by_region"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OfferKind.choices)
    provider_name = ChooserSearchFilter(
        label=_("Search providers by name"), field_name="provider__name", chooser="provider"
    )
    provider = ChooserFilter(label=_("Provider"), queryset=Organisation.objects.none())
    cost = django_filters.ChoiceFilter(
        label=_("Cost"),
        choices=(("free", _("Free of charge")), ("paid", _("With costs"))),
        method="by_cost",
    )
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("title", "title"),
            ("provider__name", "provider"),
            ("kind", "kind"),
            ("created_at", "created"),
        ),
        field_labels={
            "title": _("Title"),
            "provider__name": _("Provider"),
            "kind": _("Kind"),
            "created_at": _("Oldest first"),
            "-created": _("Newest first"),
        },
    )

    class Meta:
        model = Offer
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scoped = self.queryset.order_by()
        self.filters["region"].queryset = Region.objects.filter(
            state_id__in=scoped.values("state_id")
        ).order_by("name", "pk")
        self.filters["provider"].queryset = Organisation.objects.filter(
            Exists(scoped.filter(provider=OuterRef("pk")))
        ).order_by("name", "pk")

    def search(self, queryset: QuerySet[Offer], name: str, value: str) -> QuerySet[Offer]:
        query = Q()
        for word in value.split():
            query &= (
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(audience__icontains=word)
                | Q(provider__name__icontains=word)
            )
        return queryset.filter(query)

    def by_topic(self, queryset: QuerySet[Offer], name: str, value: str) -> QuerySet[Offer]:
        return queryset.filter(pk__in=OfferTopic.objects.filter(topic=value).values("offer_id"))

    def by_region(self, queryset: OfferQuerySet, name: str, value: Region) -> OfferQuerySet:
        return queryset.available_in(value)

    def by_cost(self, queryset: QuerySet[Offer], name: str, value: str) -> QuerySet[Offer]:
        return queryset.filter(is_free=value == "free")


def filter_offers(
    queryset: QuerySet[Offer], data: QueryDict, *, request: HttpRequest | None = None
) -> tuple[OfferFilter, QuerySet[Offer], bool]:
    """The offers through the filter, and whether the query narrows them.

    With the request, the provider chooser's search asks the list page for its options.
    """
    filterset = OfferFilter(data or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none(), True
    return filterset, filterset.qs, _is_filtered(filterset, data)


class RequestSide:
    MADE = "made"
    RECEIVED = "received"
    CHOICES = (
        (MADE, _("Made by my council")),
        (RECEIVED, _("Received for my organisation's offers")),
    )


class OfferRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search (offer, council, group)"), method="search")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=OfferRequestStatus.choices,
        distinct=False,
        # crispy's template gives each box its class; another one here would be a second
        # class attribute on the same input (invalid HTML).
        widget=forms.CheckboxSelectMultiple,
    )
    side = django_filters.ChoiceFilter(
        label=pgettext_lazy("offer requests", "Requests"),
        choices=RequestSide.CHOICES,
        method="by_side",
    )
    offer = django_filters.ModelChoiceFilter(label=_("Offer"), queryset=Offer.objects.none())
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("created_at", "created"),
            ("offer__title", "offer"),
            ("council__name", "council"),
            ("wished_date", "wished"),
            ("status", "status"),
        ),
        field_labels={
            "created_at": _("Oldest first"),
            "-created": _("Newest first"),
            "offer__title": _("Offer"),
            "council__name": _("Council"),
            "wished_date": _("Preferred date"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = OfferRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["offer"].queryset = Offer.objects.filter(
            pk__in=self.queryset.order_by().values("offer_id")
        ).order_by("title", "pk")

    def _user(self) -> Any:
        return self.request.user if self.request is not None else AnonymousUser()

    def search(
        self, queryset: QuerySet[OfferRequest], name: str, value: str
    ) -> QuerySet[OfferRequest]:
        query = Q()
        for word in value.split():
            query &= (
                Q(offer__title__icontains=word)
                | Q(council__name__icontains=word)
                | Q(group__icontains=word)
            )
        return queryset.filter(query)

    def by_side(
        self, queryset: QuerySet[OfferRequest], name: str, value: str
    ) -> QuerySet[OfferRequest]:
        user = self._user()
        if value == RequestSide.MADE:
            return queryset.filter(council_id__in=council_ids(user))
        return queryset.filter(offer__provider_id__in=[p.pk for p in provider_organisations(user)])


def filter_offer_requests(
    queryset: QuerySet[OfferRequest], data: QueryDict, request: Any
) -> tuple[OfferRequestFilter, QuerySet[OfferRequest], bool]:
    """The requests through the filter, and whether the query narrows them."""
    filterset = OfferRequestFilter(data or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none(), True
    return filterset, filterset.qs, _is_filtered(filterset, data)


class CoverageForm(forms.Form):
    """Which state the coverage shows, and for which kind of offer or topic."""

    state = forms.TypedChoiceField(label=_("State network"), coerce=int, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of offer"), choices=[("", _("All")), *OfferKind.choices], required=False
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All")), *Topic.choices], required=False
    )

    def __init__(self, *args: Any, states: list[StateNetwork], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(states) < 2:
            del self.fields["state"]  # one state: nothing to choose
        else:
            state = self.fields["state"]
            assert isinstance(state, forms.TypedChoiceField)
            state.choices = [(s.pk, s.name) for s in states]
