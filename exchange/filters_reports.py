"""List filters of the published exchange reports and of a period's compliance table.

Every choice comes from what the user may see, so a forged value makes the form invalid
instead of widening the list; an invalid filter shows nothing, never more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from core.queries import distinct_values
from core.widgets import ListSelect
from councils.choosers import ChooserFilter, ChooserFilterSetMixin, ChooserSearchFilter
from councils.filters import OrderingFilter
from councils.models import Organisation, Region
from councils.topics import Topic

from .compliance import MISSING, SORTS
from .models import ExchangeReport, ReportingPeriod, ReportStatus, ReportTopic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from councils.models import User


class ReportFilter(ChooserFilterSetMixin, django_filters.FilterSet):
    """Period, NGO, topic and region of the published reports the user may read."""

    # ListSelect: a platform admin chooses among the periods of all states.
    period = django_filters.ModelChoiceFilter(
        label=_("Reporting period"), queryset=ReportingPeriod.objects.none(), widget=ListSelect
    )
    ngo_name = ChooserSearchFilter(
        label=_("Search NGOs by name"), field_name="ngo__name", chooser="ngo"
    )
    ngo = ChooserFilter(label=_("NGO"), queryset=Organisation.objects.none())
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices, method="by_topic")
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.none(), method="by_region"
    )
    o = OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("submitted_at", "submitted"),
            ("ngo__name", "ngo"),
            ("period__starts_on", "period"),
        ),
        field_labels={
            "submitted_at": _("Submitted"),
            "ngo__name": _("NGO"),
            "period__starts_on": _("Reporting period"),
        },
    )

    class Meta:
        model = ExchangeReport
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scoped = self.queryset.order_by()
        periods = ReportingPeriod.objects.select_related("state").order_by("-starts_on", "pk")
        ngos = Organisation.objects.order_by("name", "pk")
        regions = Region.objects.order_by("name", "pk")
        user = getattr(self.request, "user", None)
        if user is not None and user.is_superuser:
            # Every state's reports: the periods through their index, an index probe per NGO,
            # one pass joining the region links to the reports.
            links = ExchangeReport.regions.through.objects
            used_regions = links.filter(exchangereport_id__in=scoped.values("pk"))
            self.filters["period"].queryset = periods.filter(pk__in=scoped.values("period_id"))
            self.filters["ngo"].queryset = ngos.filter(Exists(scoped.filter(ngo=OuterRef("pk"))))
            self.filters["region"].queryset = regions.filter(
                pk__in=used_regions.values("region_id")
            )
        else:
            # A state's reports or fewer: their periods, NGOs and regions in one pass
            # (instead of three, the NGOs' an EXISTS over the reports for every organisation).
            used = distinct_values(scoped, "period", "ngo", "regions")
            self.filters["period"].queryset = periods.filter(pk__in=sorted(used["period"]))
            self.filters["ngo"].queryset = ngos.filter(pk__in=sorted(used["ngo"]))
            self.filters["region"].queryset = regions.filter(pk__in=sorted(used["regions"]))

    def by_topic(self, queryset: QuerySet[ExchangeReport], name: str, value: str) -> QuerySet[Any]:
        # A subquery, not a join: a report with two topics stays one row.
        return queryset.filter(pk__in=ReportTopic.objects.filter(topic=value).values("report_id"))

    def by_region(
        self, queryset: QuerySet[ExchangeReport], name: str, value: Region
    ) -> QuerySet[Any]:
        through = ExchangeReport.regions.through.objects.filter(region=value)
        return queryset.filter(pk__in=through.values("exchangereport_id"))


#: Parameters that change which rows the list holds (sorting and the page do not).
FILTER_PARAMETERS = ("period", "ngo_name", "ngo", "topic", "region")


def filter_reports(
    user: User | AnonymousUser, data: QueryDict | None, *, request: HttpRequest | None = None
) -> tuple[ReportFilter, QuerySet[ExchangeReport]]:
    """The published reports the user may read, through the filter, newest first.

    With the request, the NGO chooser's search asks the list page for its options.
    """
    queryset = (
        ExchangeReport.objects.visible_to(user)
        .published()
        .select_related("ngo", "period__state")
        .order_by("-submitted_at", "-pk")
    )
    filterset = ReportFilter(data or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def is_filtered(data: QueryDict) -> bool:
    return any(value.strip() for name in FILTER_PARAMETERS for value in data.getlist(name))


class ComplianceFilterForm(forms.Form):
    """Status, lateness, name and sorting of a period's compliance table."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), (MISSING, _("Not started")), *ReportStatus.choices],
    )
    lateness = forms.ChoiceField(
        label=_("Lateness"),
        required=False,
        choices=[("", _("All")), ("late", _("Late")), ("on_time", _("On time"))],
    )
    q = forms.CharField(label=_("Search NGO"), required=False, max_length=100)
    o = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("ngo", _("NGO (A–Z)")),
            ("-ngo", _("NGO (Z–A)")),
            ("status", _("Status (not started first)")),
            ("-status", _("Status (accepted first)")),
            ("-submitted", _("Submitted (newest first)")),
            ("submitted", _("Submitted (oldest first)")),
            ("-late", _("Days late (most first)")),
            ("late", _("Days late (fewest first)")),
            ("-reminder", _("Last reminder (newest first)")),
            ("reminder", _("Last reminder (oldest first)")),
        ],
    )

    def sort(self) -> str:
        """The chosen sort key ("" for the name)."""
        value: str = self.cleaned_data.get("o") or ""
        return value if value.lstrip("-") in SORTS else ""
