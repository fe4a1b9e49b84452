"""Views of the reporting periods: the list, the staff's forms, compliance and the digest.

A period of another state answers 404; the forms answer 403 to everyone of the state who is
not its staff. The period's page is the compliance table for the staff and the list of the
published reports for the rest of the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.fragments import lazy, lazy_values
from core.web import acting_user, paginate
from councils.models import Organisation, Region, StateNetwork, User
from councils.permissions import acting_state, is_state_staff, staff_state_ids

from .. import reports as services
from ..compliance import (
    MISSING,
    PeriodCounts,
    compliance_rows,
    counts_of,
    days_late,
    filter_rows,
    periods_with_counts,
    sort_rows,
)
from ..digest import build_digest, pdf_filename, write_pdf
from ..filters_reports import ComplianceFilterForm
from ..forms_reports import PeriodForm, show_errors
from ..models import ExchangeReport, ReportingPeriod, ReportStatus
from ..permissions import get_period_for_user, represented_ngos
from .reports import STATUS_BADGES


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _staff_states(user: User) -> QuerySet[StateNetwork]:
    """The active state networks whose periods the user sets (state staff, platform admin)."""
    ids = staff_state_ids(user)
    states = StateNetwork.objects.filter(is_active=True).order_by("name")
    return states if ids is None else states.filter(pk__in=ids)


# The list ------------------------------------------------------------------------------------


@dataclass
class OwnReport:
    """A represented NGO's report of a period (``report`` None: not started)."""

    ngo: Organisation
    report: ExchangeReport | None

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.report.status if self.report else MISSING]


@dataclass
class PeriodRow:
    period: ReportingPeriod
    is_staff: bool
    counts: PeriodCounts
    published: int
    own: list[OwnReport] = field(default_factory=list)


@require_GET
@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """The periods of the user's states: counts for staff, the own report for NGOs."""
    user = acting_user(request)
    today = timezone.localdate()
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(
        _period_listing, request, user, today, names=("page", "rows", "can_create", "show_state")
    )
    return render(request, "exchange/period_list.html", {**listing, "today": today})


def _period_listing(request: HttpRequest, user: User, today: date) -> dict[str, Any]:
    periods = periods_with_counts(
        ReportingPeriod.objects.visible_to(user).select_related("state")
    ).order_by("-starts_on", "state__name", "-pk")
    page = paginate(request, periods)
    ngos = represented_ngos(user)
    on_page = [period.pk for period in page.object_list]
    own = {
        (report.period_id, report.ngo_id): report
        for report in ExchangeReport.objects.filter(
            period_id__in=on_page, ngo__in=[n.pk for n in ngos]
        )
    }
    rows = [
        PeriodRow(
            period=period,
            is_staff=is_state_staff(user, period.state_id),
            counts=counts_of(period, today),
            published=period.published_count,
            own=[
                OwnReport(ngo, own.get((period.pk, ngo.pk)))
                for ngo in ngos
                if ngo.state_id == period.state_id
            ],
        )
        for period in page.object_list
    ]
    return {
        "page": page,
        "rows": rows,
        "can_create": _staff_states(user).exists(),
        "show_state": len({row.period.state_id for row in rows}) > 1 or user.is_superuser,
    }


# The staff's forms ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    """A new reporting period of a state the user works for as staff."""
    user = acting_user(request)
    states = _staff_states(user)
    choices = list(states)
    if not choices:
        raise PermissionDenied
    initial: dict[str, Any] = {}
    acting = acting_state(request, choices)
    if acting is not None:
        initial["state"] = acting.pk
    form = PeriodForm(_post(request), initial=initial, states=states)
    if request.method == "POST" and form.is_valid():
        state = form.cleaned_data.get("state") or choices[0]
        try:
            period = services.period_create(state=state, by=user, **form.period_fields())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The reporting period was created."))
            return redirect(period)
    return render(
        request,
        "exchange/period_form.html",
        {"form": form, "period": None, "state": choices[0] if len(choices) == 1 else None},
    )


@require_http_methods(["GET", "POST"])
@login_required
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the title and dates of a period (its state stays)."""
    period = get_period_for_user(request.user, pk, manage=True)
    form = PeriodForm(_post(request), initial=PeriodForm.initial_of(period))
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_update(period=period, **form.period_fields())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The reporting period was saved."))
            return redirect(period)
    return render(
        request,
        "exchange/period_form.html",
        {"form": form, "period": period, "state": period.state},
    )


# The period's page ---------------------------------------------------------------------------


@dataclass
class ComplianceRow:
    ngo: Organisation
    status: str
    status_label: str
    badge: str
    days_late: int


@dataclass(frozen=True)
class SortColumn:
    """A heading of the compliance table that sorts by its column (again: the other way)."""

    label: str
    url: str
    aria_sort: str


COLUMNS = (
    ("ngo", gettext_lazy("NGO")),
    ("status", gettext_lazy("Status")),
    ("submitted", gettext_lazy("Submitted on")),
    ("late", gettext_lazy("Days late")),
    ("reminder", gettext_lazy("Last reminder")),
)


def _sort_columns(request: HttpRequest, sort: str) -> list[SortColumn]:
    query = request.GET.copy()
    query.pop("page", None)
    current = sort or "ngo"
    columns = []
    for key, label in COLUMNS:
        query["o"] = f"-{key}" if current == key else key
        if current == key:
            aria = "ascending"
        elif current == f"-{key}":
            aria = "descending"
        else:
            aria = ""
        columns.append(SortColumn(str(label), f"?{query.urlencode()}", aria))
    return columns


#: The values ``_compliance`` computes for the staff's table.
COMPLIANCE_NAMES = ("filter_form", "page", "table", "counts", "columns", "filtered")


def _compliance(request: HttpRequest, period: ReportingPeriod) -> dict[str, Any]:
    """The staff's table: every active NGO, its status, submission, lateness and reminder."""
    today = timezone.localdate()
    form = ComplianceFilterForm(request.GET or None)
    rows = compliance_rows(period)
    sort = ""
    if form.is_bound and form.is_valid():
        rows = filter_rows(
            rows,
            period,
            status=form.cleaned_data["status"],
            lateness=form.cleaned_data["lateness"],
            search=form.cleaned_data["q"],
            today=today,
        )
        sort = form.sort()
    elif form.is_bound:
        rows = rows.none()
    page = paginate(request, sort_rows(rows, sort))
    labels = {MISSING: _("Not started"), **dict(ReportStatus.choices)}
    table = [
        ComplianceRow(
            ngo=ngo,
            status=ngo.report_status,
            status_label=str(labels.get(ngo.report_status, ngo.report_status)),
            badge=STATUS_BADGES.get(ngo.report_status, ""),
            days_late=days_late(ngo, period, today),
        )
        for ngo in page.object_list
    ]
    counted = periods_with_counts(ReportingPeriod.objects.filter(pk=period.pk)).get()
    return {
        "filter_form": form,
        "page": page,
        "table": table,
        "counts": counts_of(counted, today),
        "columns": _sort_columns(request, sort),
        "filtered": form.is_bound and any(request.GET.get(k) for k in ("status", "lateness", "q")),
    }


def _published(request: HttpRequest, period: ReportingPeriod) -> dict[str, Any]:
    """The network's list: the period's submitted and accepted reports."""
    reports = (
        ExchangeReport.objects.visible_to(request.user)
        .published()
        .filter(period=period)
        .select_related("ngo")
        .prefetch_related(
            "topics", Prefetch("regions", queryset=Region.objects.order_by("name", "pk"))
        )
        .order_by("ngo__name", "pk")
    )
    return {"page": paginate(request, reports)}


@require_GET
@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Compliance for the state staff; the published reports for the rest of the network."""
    period = get_period_for_user(request.user, pk)
    staff = is_state_staff(request.user, period.state_id)
    # Lazy: the page is a cached fragment (core.fragments), computed on a miss only.
    context: dict[str, Any] = {
        "period": period,
        "is_staff": staff,
        "own": lazy(_own_reports, request.user, period),
        "today": timezone.localdate(),
    }
    if staff:
        context.update(lazy_values(_compliance, request, period, names=COMPLIANCE_NAMES))
    else:
        context.update(lazy_values(_published, request, period, names=("page",)))
    return render(request, "exchange/period_detail.html", context)


def _own_reports(user: User, period: ReportingPeriod) -> list[OwnReport]:
    """The reports of the period of the NGOs the user represents (started or not)."""
    ngos = [ngo for ngo in represented_ngos(user) if ngo.state_id == period.state_id]
    mine = {
        report.ngo_id: report
        for report in ExchangeReport.objects.filter(period=period, ngo__in=[n.pk for n in ngos])
    }
    return [OwnReport(ngo, mine.get(ngo.pk)) for ngo in ngos]


# The digest ----------------------------------------------------------------------------------


@require_GET
@login_required
def period_digest(request: HttpRequest, pk: int) -> HttpResponse:
    """The period's published reports by topic: offered resources beside the needs."""
    period = get_period_for_user(request.user, pk)
    # Lazy: the page is a cached fragment (core.fragments), computed on a miss only.
    digest = lazy(build_digest, period, ExchangeReport.objects.visible_to(request.user))
    return render(request, "exchange/digest.html", {"period": period, "digest": digest})


@require_GET
@login_required
def period_digest_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The digest as a PDF to print or pass on."""
    period = get_period_for_user(request.user, pk)
    digest = build_digest(period, ExchangeReport.objects.visible_to(request.user))
    response = HttpResponse(write_pdf(digest), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(period)}"'
    return response
