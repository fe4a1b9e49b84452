"""List filters of the membership administration (django-filter), limited to what the user keeps."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.forms.utils import pretty_name
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from core.queries import InSubquery

from .choosers import ChooserFilter, ChooserFilterSetMixin, ChooserSearchFilter
from .models import (
    Invitation,
    InvitationQuerySet,
    InvitationStatus,
    Membership,
    MembershipQuerySet,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StateNetwork,
    User,
    active_membership_filter,
)

_ACTIVE_CHOICES = (("true", _("Active")), ("false", _("Inactive")))


def _descending(label: Any) -> str:
    return pgettext("sort order", "%(label)s (descending)") % {"label": label}


_descending_lazy = lazy(_descending, str)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort choices, with labels made in the language of each request.

    The filter sets are classes, so their choices are built once at import: django-filter's
    own "… (descending)" would be fixed in the language of that moment.
    """

    def build_choices(self, fields: Any, labels: Any) -> list[tuple[str, Any]]:
        ascending = [
            (param, labels.get(field, _(pretty_name(param)))) for field, param in fields.items()
        ]
        descending = [
            (f"-{param}", labels.get(f"-{param}", _descending_lazy(label)))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]


class _AdminFilterSet(ChooserFilterSetMixin, django_filters.FilterSet):
    """Choices limited to the user's state networks; the state filter only for platform admins."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else AnonymousUser()
        if "state" in self.filters:
            if user.is_superuser:
                self.filters["state"].queryset = StateNetwork.objects.administered_by(user)
            else:
                del self.filters["state"]
        if "region" in self.filters:
            self.filters["region"].queryset = Region.objects.administered_by(user).select_related(
                "state"
            )
        if "organisation" in self.filters:
            self.filters["organisation"].queryset = Organisation.objects.administered_by(
                user
            ).order_by("name")


def member_count() -> Count:
    """An organisation's active seats, as an annotation (``member_count``)."""
    return Count("memberships", filter=active_membership_filter("memberships__"))


class _OrganisationOrdering(OrderingFilter):
    """Sorting by members counts the members of every organisation first.

    Only then: that joins every membership of the listed organisations. Otherwise the list view
    counts the members of its page alone (``councils.views.organisations``).
    """

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value and any(param.lstrip("-") == "members" for param in value):
            qs = qs.annotate(member_count=member_count())
        ordered: QuerySet[Any] = super().filter(qs, value)
        return ordered


class OrganisationFilter(_AdminFilterSet):
    q = django_filters.CharFilter(label=_("Search (name, city)"), method="search")
    state = django_filters.ModelChoiceFilter(
        label=_("State network"), queryset=StateNetwork.objects.none()
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.none())
    is_active = django_filters.TypedChoiceFilter(
        label=_("Status"),
        choices=_ACTIVE_CHOICES,
        coerce=lambda value: value == "true",
    )
    o = _OrganisationOrdering(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("city", "city"),
            ("kind", "kind"),
            ("region__name", "region"),
            ("state__name", "state"),
            ("member_count", "members"),
        ),
        field_labels={
            "name": _("Name"),
            "city": _("City"),
            "kind": _("Kind"),
            "region__name": _("Region"),
            "state__name": _("State network"),
            "member_count": _("Members"),
        },
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(city__icontains=value))


class MembershipStatus:
    ACTIVE = "active"
    ENDED = "ended"
    CHOICES = ((ACTIVE, _("Active")), (ENDED, _("Ended")))


class MemberFilter(_AdminFilterSet):
    q = django_filters.CharFilter(label=_("Search (name, username, e-mail)"), method="search")
    state = django_filters.ModelChoiceFilter(
        label=_("State network"),
        field_name="organisation__state",
        queryset=StateNetwork.objects.none(),
    )
    organisation_name = ChooserSearchFilter(
        label=_("Search organisations by name"),
        field_name="organisation__name",
        chooser="organisation",
    )
    organisation = ChooserFilter(label=_("Organisation"), queryset=Organisation.objects.none())
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    kind = django_filters.ChoiceFilter(
        label=_("Kind of organisation"),
        field_name="organisation__kind",
        choices=OrganisationKind.choices,
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="organisation__region", queryset=Region.objects.none()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MembershipStatus.CHOICES, method="filter_status"
    )
    o = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("user__last_name", "name"),
            ("organisation__name", "organisation"),
            ("role", "role"),
            ("start_date", "start"),
            ("end_date", "end"),
        ),
        field_labels={
            "user__last_name": _("Name"),
            "organisation__name": _("Organisation"),
            "role": _("Role"),
            "start_date": _("Start date"),
            "end_date": _("End date"),
        },
    )

    class Meta:
        model = Membership
        fields: list[str] = []

    def search(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Any]:
        # The people first, each word through the trigram indexes of their names (councils
        # 0009), then their memberships: not the four columns of every member of the state.
        query = Q()
        for word in value.split():
            people = User.objects.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            ).values("pk")
            query &= Q(InSubquery("user_id", people))
        return queryset.filter(query)

    def filter_status(
        self, queryset: MembershipQuerySet, name: str, value: str
    ) -> MembershipQuerySet:
        if value == MembershipStatus.ACTIVE:
            return queryset.exclude(end_date__lte=timezone.localdate())
        if value == MembershipStatus.ENDED:
            return queryset.ended()
        return queryset


class InvitationFilter(_AdminFilterSet):
    q = django_filters.CharFilter(label=_("Search (e-mail, name)"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=InvitationStatus.choices, method="filter_status"
    )
    organisation_name = ChooserSearchFilter(
        label=_("Search organisations by name"),
        field_name="organisation__name",
        chooser="organisation",
    )
    organisation = ChooserFilter(label=_("Organisation"), queryset=Organisation.objects.none())
    o = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("created_at", "created"),
            ("email", "email"),
            ("expires_at", "expires"),
            ("organisation__name", "organisation"),
        ),
        field_labels={
            "created_at": _("Invited on"),
            "email": _("E-mail address"),
            "expires_at": _("Valid until"),
            "organisation__name": _("Organisation"),
        },
    )

    class Meta:
        model = Invitation
        fields: list[str] = []

    def search(self, queryset: QuerySet[Invitation], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(
            Q(email__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
        )

    def filter_status(
        self, queryset: InvitationQuerySet, name: str, value: str
    ) -> InvitationQuerySet:
        return queryset.with_status(value)
