"""Views of indicators, progress reports and "my measures" (the timeline lives in ``timeline``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.fragments import lazy_values
from core.web import acting_user, paginate, serve_file
from councils.models import STATE_ROLES, Membership, Organisation
from councils.permissions import current_membership, is_state_staff

from .. import services_progress as services
from ..forms_progress import (
    IndicatorForm,
    IndicatorValueForm,
    MeasureFilterForm,
    ProgressReportForm,
)
from ..models import (
    Goal,
    Indicator,
    IndicatorValue,
    Level,
    MeasureStatus,
    ProgressReport,
    Strategy,
    StrategyStatus,
)
from ..permissions import (
    REPORTING_ROLES,
    get_goal_for_user,
    reporting_organisation,
)
from .timeline import timeline, timeline_columns  # the URLs and tests find the timeline here

#: Roles of a responsible organisation that report progress and enter measured values.
PAGE_SIZE = 50
FINISHED = (MeasureStatus.DONE, MeasureStatus.DROPPED)


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def _reporting_organisation(request: HttpRequest, goal: Goal) -> Organisation | None:
    return reporting_organisation(request.user, goal, active=current_membership(request))


def _may_enter(request: HttpRequest, goal: Goal) -> bool:
    """State staff, and coordinators or representatives of a responsible organisation."""
    return _reporting_organisation(request, goal) is not None


def _get_indicator(request: HttpRequest, pk: int, *, edit: bool = False) -> Indicator:
    """An indicator of a goal the user may read; with edit, only state staff of its state."""
    indicator = (
        Indicator.objects.filter(goal__strategy__in=Strategy.objects.visible_to(request.user))
        .select_related("goal__strategy__state")
        .filter(pk=pk)
        .first()
    )
    if indicator is None:
        raise Http404
    if edit and not is_state_staff(request.user, indicator.goal.strategy.state_id):
        raise PermissionDenied
    return indicator


def _require_draft(goal: Goal) -> None:
    if goal.strategy.status != StrategyStatus.DRAFT:
        raise PermissionDenied(_("Only the indicators of a draft strategy can be changed."))


# Indicators ----------------------------------------------------------------------------------


def _indicator_fields(form: IndicatorForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.INDICATOR_FIELDS}


@require_http_methods(["GET", "POST"])
@login_required
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an indicator to a goal or measure of a draft strategy."""
    goal = get_goal_for_user(request.user, pk, edit=True)
    _require_draft(goal)
    form = IndicatorForm(_post(request))
    if request.method == "POST" and form.is_valid():
        indicator = services.indicator_create(goal=goal, **_indicator_fields(form))
        messages.success(request, _("The indicator was added."))
        return redirect("strategy:indicator_detail", pk=indicator.pk)
    return render(
        request, "strategy/indicator_form.html", {"form": form, "goal": goal, "indicator": None}
    )


@require_http_methods(["GET", "POST"])
@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an indicator's definition while its strategy is a draft."""
    indicator = _get_indicator(request, pk, edit=True)
    _require_draft(indicator.goal)
    form = IndicatorForm(_post(request), instance=indicator)
    if request.method == "POST" and form.is_valid():
        services.indicator_update(indicator=indicator, **_indicator_fields(form))
        messages.success(request, _("The changes were saved."))
        return redirect("strategy:indicator_detail", pk=indicator.pk)
    return render(
        request,
        "strategy/indicator_form.html",
        {"form": form, "goal": indicator.goal, "indicator": indicator},
    )


@require_http_methods(["GET", "POST"])
@login_required
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and delete (POST) an indicator of a draft strategy."""
    indicator = _get_indicator(request, pk, edit=True)
    goal = indicator.goal
    _require_draft(goal)
    if request.method == "POST":
        services.indicator_delete(indicator=indicator)
        messages.success(request, _("The indicator was deleted."))
        return redirect(goal)
    return render(
        request, "strategy/indicator_confirm_delete.html", {"indicator": indicator, "goal": goal}
    )


@dataclass
class Chart:
    """Coordinates of a small line chart of an indicator's values, computed on the server."""

    width: int
    height: int
    points: str
    dots: list[tuple[float, float]]
    baseline_y: float
    target_y: float
    low: Decimal
    high: Decimal
    start: datetime.date
    end: datetime.date
    left: int
    right: int
    top: int
    bottom: int


def indicator_chart(indicator: Indicator, values: list[IndicatorValue]) -> Chart:
    """Scale the values between the baseline and target dates and numbers."""
    width, height, left, right, top, bottom = 640, 240, 120, 624, 16, 208
    dates = [indicator.baseline_date, indicator.target_date, *(v.measured_on for v in values)]
    numbers = [indicator.baseline, indicator.target, *(v.value for v in values)]
    start, end = min(dates), max(dates)
    low, high = min(numbers), max(numbers)
    days = max((end - start).days, 1)
    span = (high - low) or Decimal(1)

    def x(day: datetime.date) -> float:
        return round(left + (right - left) * (day - start).days / days, 1)

    def y(number: Decimal) -> float:
        return round(float(bottom - (bottom - top) * (number - low) / span), 1)

    dots = [(x(v.measured_on), y(v.value)) for v in values]
    return Chart(
        width=width,
        height=height,
        points=" ".join(f"{px},{py}" for px, py in dots),
        dots=dots,
        baseline_y=y(indicator.baseline),
        target_y=y(indicator.target),
        low=low,
        high=high,
        start=start,
        end=end,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
    )


@require_GET
@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An indicator's chart with the accessible table of all its values."""
    indicator = _get_indicator(request, pk)
    goal = indicator.goal
    values = list(indicator.values.select_related("entered_by").order_by("measured_on", "pk"))
    strategy = goal.strategy
    staff = is_state_staff(request.user, strategy.state_id)
    can_add_value = strategy.status != StrategyStatus.ARCHIVED and (
        staff or _may_enter(request, goal)
    )
    return render(
        request,
        "strategy/indicator_detail.html",
        {
            "indicator": indicator,
            "goal": goal,
            "values": values,
            "chart": indicator_chart(indicator, values),
            "can_edit": staff and strategy.status == StrategyStatus.DRAFT,
            "can_add_value": can_add_value,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def indicator_value_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a measured value; state staff and the responsible organisations may."""
    indicator = _get_indicator(request, pk)
    goal = indicator.goal
    if goal.strategy.status == StrategyStatus.ARCHIVED or not _may_enter(request, goal):
        raise PermissionDenied
    form = IndicatorValueForm(_post(request), indicator=indicator)
    if request.method == "POST" and form.is_valid():
        services.indicator_value_add(
            indicator=indicator,
            value=form.cleaned_data["value"],
            measured_on=form.cleaned_data["measured_on"],
            source=form.cleaned_data["source"],
            entered_by=acting_user(request),
        )
        messages.success(request, _("The value was saved."))
        return redirect("strategy:indicator_detail", pk=indicator.pk)
    return render(
        request,
        "strategy/indicator_value_form.html",
        {"form": form, "indicator": indicator, "goal": goal},
    )


# Progress reports ----------------------------------------------------------------------------


def _get_measure(request: HttpRequest, pk: int) -> Goal:
    """A measure the user may read; 404 for anything else."""
    measure = get_goal_for_user(request.user, pk)
    if measure.level != Level.MEASURE:
        raise Http404
    return measure


@require_http_methods(["GET", "POST"])
@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Report progress on a measure of an adopted strategy."""
    measure = _get_measure(request, pk)
    organisation = _reporting_organisation(request, measure)
    if organisation is None or measure.strategy.status != StrategyStatus.ADOPTED:
        raise PermissionDenied
    initial = {"percent": measure.progress, "status": measure.status or MeasureStatus.RUNNING}
    form = ProgressReportForm(_post(request), _files(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.progress_report_create(
            measure=measure,
            organisation=organisation,
            reported_by=acting_user(request),
            percent=form.cleaned_data["percent"],
            status=form.cleaned_data["status"],
            text=form.cleaned_data["text"],
            evidence=form.cleaned_data.get("evidence") or None,
        )
        messages.success(request, _("Thank you, the progress was saved."))
        return redirect("strategy:report_list", pk=measure.pk)
    return render(
        request,
        "strategy/report_form.html",
        {"form": form, "measure": measure, "organisation": organisation},
    )


@require_GET
@login_required
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The history of a measure's progress reports."""
    measure = _get_measure(request, pk)
    reports = list(
        measure.reports.select_related("organisation", "reported_by").order_by("-created_at", "-pk")
    )
    can_report = measure.strategy.status == StrategyStatus.ADOPTED and _may_enter(request, measure)
    return render(
        request,
        "strategy/report_list.html",
        {"measure": measure, "reports": reports, "can_report": can_report},
    )


@require_GET
@login_required
def report_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of a report, for those who may read its measure; never a public URL."""
    report = ProgressReport.objects.filter(pk=pk).only("pk", "measure_id", "evidence").first()
    if report is None or not report.evidence.name:
        raise Http404
    _get_measure(request, report.measure_id)
    return serve_file(report.evidence)


# My measures ---------------------------------------------------------------------------------


def _measures() -> QuerySet[Goal]:
    return (
        Goal.objects.filter(level=Level.MEASURE)
        .select_related("strategy", "parent")
        .annotate(responsible_count=Count("responsible", distinct=True))
        .order_by("strategy__title", "-strategy__version", "parent__position", "position", "pk")
    )


def _measure_listing(
    request: HttpRequest, membership: Membership | None, staff_view: bool
) -> dict[str, Any]:
    """The filter, page and rows of the measures list: computed on a cache miss only."""
    today = timezone.localdate()
    filter_form: MeasureFilterForm | None = None
    if staff_view:
        strategies = Strategy.objects.visible_to(request.user)
        if membership is not None:
            strategies = strategies.filter(state_id=membership.organisation.state_id)
        strategies = strategies.order_by("title", "-version")
        filter_form = MeasureFilterForm(request.GET or None, strategies=strategies)
        queryset = _measures().filter(strategy__in=strategies)
        if filter_form.is_valid():
            data = filter_form.cleaned_data
            if data["strategy"]:
                queryset = queryset.filter(strategy=data["strategy"])
            if data["status"]:
                queryset = queryset.filter(status=data["status"])
            if data["overdue"]:
                queryset = queryset.filter(end_date__lt=today).exclude(status__in=FINISHED)
            if data["unassigned"]:
                queryset = queryset.filter(responsible__isnull=True)
        reporting_orgs: set[int] = set()
    else:
        queryset = _measures().filter(
            strategy__in=Strategy.objects.visible_to(request.user),
            strategy__status=StrategyStatus.ADOPTED,
        )
        if membership is None:
            queryset = queryset.none()
        else:
            queryset = queryset.filter(responsible=membership.organisation_id)
        reporting_orgs = (
            {membership.organisation_id}
            if membership is not None and membership.role in REPORTING_ROLES
            else set()
        )
    page = paginate(request, queryset, PAGE_SIZE)
    rows = [
        {
            "measure": measure,
            "overdue": bool(
                measure.end_date and measure.end_date < today and measure.status not in FINISHED
            ),
            "can_report": measure.strategy.status == StrategyStatus.ADOPTED
            and (staff_view or bool(reporting_orgs)),
        }
        for measure in page.object_list
    ]
    return {"filter_form": filter_form, "page": page, "rows": rows}


@require_GET
@login_required
def my_measures(request: HttpRequest) -> HttpResponse:
    """Measures the active organisation is responsible for; all of the state for state staff."""
    membership = current_membership(request)
    staff_view = (membership is not None and membership.role in STATE_ROLES) or (
        membership is None and request.user.is_superuser
    )
    query = request.GET.copy()
    query.pop("page", None)
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(
        _measure_listing, request, membership, staff_view, names=("filter_form", "page", "rows")
    )
    return render(
        request,
        "strategy/my_measures.html",
        {
            "membership": membership,
            "staff_view": staff_view,
            **listing,
            "query": query.urlencode(),
        },
    )


__all__ = [
    "indicator_create",
    "indicator_delete",
    "indicator_detail",
    "indicator_edit",
    "indicator_value_add",
    "my_measures",
    "report_create",
    "report_list",
    "timeline",
    "timeline_columns",
]
