"""The request list, its export as CSV or XLSX, and the public list of funded projects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from core.fragments import lazy_values
from core.web import acting_user, paginate, serve_file
from councils.choosers import SUGGEST, suggestions
from councils.models import COUNCIL_ROLES, STATE_ROLES, Membership, StateNetwork, User
from councils.permissions import (
    current_membership,
    member_councils,
    staff_states,
)

from .. import exports
from ..filters import (
    PublicFundedFilter,
    filter_requests,
    is_filtered,
    public_funded,
    published,
)
from ..models import ZERO, ExportJob, ExportStatus, FundingRequest
from ..permissions import applicant_councils
from .request_common import STATUS_BADGES

DEFAULT_BADGE = "text-bg-light border"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class ExportForm(forms.Form):
    """The format, and the list's query string the export re-applies."""

    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=exports.ExportFormat.choices)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


def _list_url(query: str = "") -> str:
    url = reverse("funding:request_list")
    return f"{url}?{query}" if query else url


# The request list ----------------------------------------------------------------------------


def _heading(user: User, membership: Membership | None) -> str:
    """What the list is, seen from the organisation the user acts for."""
    if membership is not None and membership.role in STATE_ROLES:
        return _("Funding requests of %(state)s") % {"state": membership.organisation.state.name}
    if membership is not None and membership.role in COUNCIL_ROLES:
        return _("Our funding requests")
    if user.is_superuser:
        return _("Funding requests of all states")
    return _("Funding requests for your review")


def _as_is(rows: QuerySet[FundingRequest]) -> QuerySet[FundingRequest]:
    return rows


def _listing(request: HttpRequest, user: User) -> dict[str, Any]:
    filterset, requests = filter_requests(user, request.GET, request=request)
    # The page's ids first, sorted on the requests alone; the programme, council, region and
    # tier are joined to those 25 rows only.
    page = paginate(request, requests, rows=_as_is)
    return {
        "filter": filterset,
        "page": page,
        "rows": [(r, STATUS_BADGES.get(r.status, DEFAULT_BADGE)) for r in page.object_list],
        "filtered": is_filtered(request.GET) or bool(filterset.is_bound and filterset.errors),
        "can_create": bool(applicant_councils(user)),
    }


@require_http_methods(["GET"])
@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The requests the user may read, with filters, sorting, pages and the export."""
    user = acting_user(request)
    if request.GET.get(SUGGEST):  # a chooser's options (htmx)
        filterset, _requests = filter_requests(user, request.GET, request=request)
        if (options := suggestions(request, filterset)) is not None:
            return options
    membership = current_membership(request)
    staff_state = (
        membership.organisation.state
        if membership is not None and membership.role in STATE_ROLES
        else None
    )
    query = request.GET.copy()
    query.pop("page", None)
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(
        _listing, request, user, names=("filter", "page", "rows", "filtered", "can_create")
    )
    return render(
        request,
        "funding/request_list.html",
        {
            "heading": _heading(user, membership),
            "council": (
                membership.organisation
                if membership is not None and membership.role in COUNCIL_ROLES
                else None
            ),
            **listing,
            "staff_state": staff_state if staff_state and staff_state.is_active else None,
            "export_form": ExportForm(initial={"query": query.urlencode()}),
        },
    )


# The export ----------------------------------------------------------------------------------


def _get_export(request: HttpRequest, pk: int) -> ExportJob:
    """An export of the signed-in user; anyone else's answers 404, as if it did not exist."""
    job = ExportJob.objects.filter(pk=pk, user=acting_user(request)).first()
    if job is None:
        raise Http404
    return job


@require_POST
@login_required
def export_create(request: HttpRequest) -> HttpResponse:
    """Start the export of the filtered list (a double click gets the running job)."""
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The export could not be started: choose CSV or Excel."))
        return redirect(_list_url())
    query = form.cleaned_data["query"]
    try:
        job, created = exports.export_start(
            user=acting_user(request), query=query, format=form.cleaned_data["format"]
        )
    except ValidationError:
        messages.error(request, _("The filter is not valid. Correct it and export again."))
        return redirect(_list_url(query))
    if not created:
        messages.info(request, _("This export was already started; here is its progress."))
    return redirect("funding:export_detail", pk=job.pk)


def _export_context(job: ExportJob) -> dict[str, Any]:
    return {
        "job": job,
        "polling": exports.in_progress(job),
        "stale": exports.is_stale(job),
        # Waiting: no value, so the bar shows "not started" instead of a made-up share.
        "percent": None if job.status == ExportStatus.PENDING else job.percent,
        "restart_form": ExportForm(initial={"query": job.query, "format": job.format}),
        "list_url": _list_url(job.query),
    }


@require_http_methods(["GET"])
@login_required
def export_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The export's status and progress; htmx asks for the progress part until it ends."""
    job = _get_export(request, pk)
    template = "funding/includes/export_progress.html" if request.htmx else None
    response = render(request, template or "funding/export_detail.html", _export_context(job))
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_http_methods(["GET"])
@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The finished file under a German name; before it is ready, the progress page."""
    job = _get_export(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        return redirect("funding:export_detail", pk=job.pk)
    return serve_file(
        job.file,
        download_name=exports.download_name(job),
        content_type=exports.CONTENT_TYPES.get(job.format, "application/octet-stream"),
    )


# The public list of funded projects ----------------------------------------------------------


@require_http_methods(["GET"])
def public_list(request: HttpRequest, slug: str) -> HttpResponse:
    """A state's funded projects for everyone: title, council, approved amount and year."""
    state = get_object_or_404(StateNetwork, slug=slug, is_active=True)
    if request.GET.get(SUGGEST):  # a chooser's options (htmx)
        filterset = PublicFundedFilter(request.GET, queryset=public_funded(state), request=request)
        if (options := suggestions(request, filterset)) is not None:
            return options
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(
        _public_listing, request, state, names=("filter", "page", "sums", "filtered")
    )
    return render(request, "funding/public_list.html", {"state": state, **listing})


def _public_listing(request: HttpRequest, state: StateNetwork) -> dict[str, Any]:
    funded = public_funded(state)
    filterset = PublicFundedFilter(request.GET or None, queryset=funded, request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    projects = filterset.qs if valid else funded.none()
    total = projects.order_by().aggregate(total=Sum("approved_amount"))["total"] or ZERO
    return {
        "filter": filterset,
        # Counted without the joins; only the page's rows are read with the council name.
        "page": paginate(request, projects, rows=published),
        # In a dict: a lazy Decimal is no Decimal to the money filter, its item is.
        "sums": {"total": total},
        "filtered": not valid
        or any(request.GET.get(name, "").strip() for name in ("year", "council", "council_name")),
    }


# The funding start page ----------------------------------------------------------------------


@require_http_methods(["GET"])
@login_required
def funding_start(request: HttpRequest) -> HttpResponse:
    """``/foerderung/``: what each role starts with — staff their states' work and budgets,
    council members their council's requests (coordinators with the open programmes),
    reviewers their votes, everyone the programmes of their states."""
    from django.utils import timezone

    from ..dashboard import council_funding_summary, reviewer_tasks, state_funding_summary
    from ..models import Programme

    user = request.user
    # Platform admins see every state (staff_states), as on the other staff pages.
    states = staff_states(user)
    councils = member_councils(user)
    open_programmes = list(
        Programme.objects.visible_to(user)
        .open_on(timezone.localdate())
        .select_related("state")
        .order_by("deadline", "title")
    )
    return render(
        request,
        "funding/start.html",
        {
            "state_summaries": [state_funding_summary(state, user) for state in states],
            "council_summaries": [council_funding_summary(c, user) for c in councils],
            "reviewer_tasks": reviewer_tasks(user),
            "open_programmes": open_programmes,
            "is_staff": bool(states),
        },
    )
