"""Views of the exchange reports: the NGO's draft, its submission, the staff's answer, the lists.

Every view answers 404 when the user may not read the report (another state, or a draft of
another NGO) and 403 when they may read it but lack the role. Status, NGO and period never
come from a form: the services in ``exchange.reports`` take them from the locked report.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import lazy_values
from core.web import acting_user, confirm_delete, paginate, serve_file
from councils.choosers import SUGGEST, suggestions
from councils.models import Region
from councils.permissions import acting_organisation

from .. import reports as services
from ..filters_reports import filter_reports, is_filtered
from ..forms_reports import (
    RESOURCE_PREFIX,
    AcceptForm,
    AttachmentForm,
    ReportForm,
    ReturnForm,
    SubmitForm,
    resource_formset,
    resource_initial,
    show_errors,
)
from ..models import (
    ExchangeReport,
    OfferedResource,
    ReportAttachment,
    ReportEvent,
)
from ..models import ReportStatus as R
from ..permissions import (
    get_period_for_user,
    get_report_for_user,
    is_report_author,
    is_staff_for_report,
    represented_ngos,
    require_report_author,
    require_report_staff,
)

#: Bootstrap badge per status (text-bg-* keeps the contrast); "missing" is the compliance one.
STATUS_BADGES = {
    "missing": "text-bg-danger",
    R.DRAFT: "text-bg-light border",
    R.SUBMITTED: "text-bg-primary",
    R.RETURNED: "text-bg-warning",
    R.ACCEPTED: "text-bg-success",
}

#: Where each field of a submission error is entered on the edit page.
FIELD_ANCHORS = {"activities": "id_activities", "findings": "id_findings", "topics": "topics"}


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _edit_url(report: ExchangeReport) -> str:
    return reverse("exchange:report_edit", kwargs={"pk": report.pk})


def _get_editable(request: HttpRequest, pk: int) -> ExchangeReport:
    """A report its NGO edits: 404 when unseen, 403 when not theirs or no longer a draft."""
    report = get_report_for_user(request.user, pk)
    require_report_author(request.user, report)
    if not report.is_editable:
        raise PermissionDenied(_("Only a draft or a returned report can be changed."))
    return report


def _get_for_staff(request: HttpRequest, pk: int) -> ExchangeReport:
    """A report the user may read (404) and acts on as staff of its state (403)."""
    report = get_report_for_user(request.user, pk)
    require_report_staff(request.user, report)
    return report


def _current_status(report: ExchangeReport) -> str | None:
    return ExchangeReport.objects.filter(pk=report.pk).values_list("status", flat=True).first()


# Starting a report ---------------------------------------------------------------------------


@require_POST
@login_required
def report_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the NGO's report of the period (a new draft the first time) and go to it."""
    period = get_period_for_user(request.user, pk)
    ngos = [ngo for ngo in represented_ngos(request.user) if ngo.state_id == period.state_id]
    if not ngos:
        raise PermissionDenied
    chosen = request.POST.get("ngo", "")
    ngo = next((n for n in ngos if str(n.pk) == chosen), None)
    if ngo is None:
        ngo = acting_organisation(request, ngos) or ngos[0]
    try:
        report = services.report_start(period=period, ngo=ngo, by=acting_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(period)
    if report.is_editable:
        return redirect(_edit_url(report))
    return redirect(report)


# Editing -------------------------------------------------------------------------------------


def _add_resource_row(data: QueryDict) -> QueryDict:
    """The posted data with one more (empty) resource row."""
    data = data.copy()
    key = f"{RESOURCE_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(min(total + 1, services.MAX_RESOURCES))
    return data


def _saved_version(report: ExchangeReport) -> ExchangeReport:
    """The report as it is stored now, with what the conflict panel shows."""
    saved = ExchangeReport.objects.select_related("updated_by", "period").get(pk=report.pk)
    prefetch_related_objects([saved], "topics", "resources")
    return saved


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft on one page; a save based on an older version than the stored one is refused."""
    report = _get_editable(request, pk)
    goals = services.linkable_goals(report)
    formset_class = resource_formset(0)
    saved: ExchangeReport | None = None
    if request.method == "POST":
        data: QueryDict = request.POST
        if "add_resource" in data:
            data = _add_resource_row(data)
        form = ReportForm(data, report=report, goals=goals)
        formset = formset_class(data, prefix=RESOURCE_PREFIX)
        if "add_resource" not in data and form.is_valid() and formset.is_valid():
            try:
                services.report_update(
                    report=report,
                    by=acting_user(request),
                    version=form.cleaned_data["version"],
                    topics=form.cleaned_data["topics"],
                    regions=form.cleaned_data["regions"],
                    goals=form.cleaned_data["goals"],
                    resources=formset.resources(),
                    **form.texts(),
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "conflict":
                    # Keep what the user typed, based on the stored version from now on, and
                    # show the stored one beside it: a second save replaces it on purpose.
                    saved = _saved_version(report)
                    data = data.copy()
                    data["version"] = str(saved.version)
                    form = ReportForm(data, report=report, goals=goals)
                    form.is_valid()
                    form.add_error(None, exc)
                else:
                    show_errors(form, exc)
            else:
                messages.success(request, _("The draft was saved."))
                if request.POST.get("action") == "submit":
                    return redirect("exchange:report_submit", pk=report.pk)
                return redirect(_edit_url(report))
    else:
        resources = list(report.resources.all())
        form = ReportForm(
            initial={
                "version": report.version,
                "activities": report.activities,
                "findings": report.findings,
                "needs": report.needs,
                "topics": list(report.topics.values_list("topic", flat=True)),
                "regions": list(report.regions.values_list("pk", flat=True)),
                "goals": [goal.pk for goal in services.report_goals(report)],
            },
            report=report,
            goals=goals,
        )
        formset = resource_formset(len(resources) + (1 if resources else 2))(
            initial=resource_initial(resources), prefix=RESOURCE_PREFIX
        )
    return render(
        request,
        "exchange/report_edit.html",
        {
            "report": report,
            "form": form,
            "formset": formset,
            "saved": saved,
            "question": services.open_question(report),
            "attachments": list(report.attachments.all()),
            "has_goals": goals.exists(),
        },
    )


# Submitting ----------------------------------------------------------------------------------


def _error_rows(report: ExchangeReport, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each completeness error with the label of its field and a link to it on the edit page."""
    labels = {
        "activities": _("Activities"),
        "findings": _("Experiences and findings"),
        "topics": _("Topics"),
    }
    return [
        {
            "field": field,
            "label": labels.get(field, _("Report")),
            "messages": field_messages,
            "url": f"{_edit_url(report)}#{FIELD_ANCHORS[field]}" if field in FIELD_ANCHORS else "",
        }
        for field, field_messages in errors.items()
        if field != "answer"
    ]


@require_http_methods(["GET", "POST"])
@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Check (GET) and submit (POST) the report; a returned one is resubmitted with an answer."""
    report = get_report_for_user(request.user, pk)
    require_report_author(request.user, report)
    if not report.is_editable:
        messages.info(request, _("This report has already been submitted."))
        return redirect(report)
    resubmission = report.status == R.RETURNED
    form = SubmitForm(_post(request), resubmission=resubmission)
    errors = services.submission_errors(report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                report=report, by=acting_user(request), answer=form.cleaned_data.get("answer", "")
            )
        except ValidationError as exc:
            if _current_status(report) not in (R.DRAFT, R.RETURNED):
                messages.info(request, _("This report has already been submitted."))
                return redirect(report)
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            show_errors(form, ValidationError({k: v for k, v in errors.items() if k == "answer"}))
        else:
            if resubmission:
                messages.success(request, _("The report was submitted again with your answer."))
            else:
                messages.success(
                    request, _("The report was submitted. The network of your state can read it.")
                )
            return redirect(report)
    return render(
        request,
        "exchange/report_submit.html",
        {
            "report": report,
            "form": form,
            "errors": _error_rows(report, errors),
            "question": services.open_question(report),
            "attempted": request.method == "POST",
        },
    )


# The staff's answer --------------------------------------------------------------------------


def _not_now(request: HttpRequest, report: ExchangeReport) -> HttpResponse:
    messages.warning(
        request,
        _("This step is not possible while the report is “%(status)s”.")
        % {"status": report.get_status_display()},
    )
    return redirect(report)


@require_http_methods(["GET", "POST"])
@login_required
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a submitted report back to the NGO with a question (the question is required)."""
    report = _get_for_staff(request, pk)
    if report.status != R.SUBMITTED:
        return _not_now(request, report)
    form = ReturnForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_return(
                report=report, by=acting_user(request), question=form.cleaned_data["question"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The report was returned to the NGO with your question."))
            return redirect(report)
    return render(request, "exchange/report_return.html", {"report": report, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and accept (POST) a submitted report."""
    report = _get_for_staff(request, pk)
    if report.status != R.SUBMITTED:
        return _not_now(request, report)
    form = AcceptForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_accept(
                report=report, by=acting_user(request), message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The report was accepted."))
            return redirect(report)
    return render(request, "exchange/report_accept.html", {"report": report, "form": form})


# The report's page ---------------------------------------------------------------------------


@require_GET
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the report says, its attachments and history, and the next steps."""
    report = get_report_for_user(request.user, pk)
    author = is_report_author(request.user, report)
    staff = is_staff_for_report(request.user, report)
    # Lazy: the page is a cached fragment (core.fragments), computed on a miss only.
    content = lazy_values(_report_content, report, names=REPORT_CONTENT)
    return render(
        request,
        "exchange/report_detail.html",
        {
            "report": report,
            "status_badge": STATUS_BADGES.get(report.status, STATUS_BADGES[R.DRAFT]),
            "is_author": author,
            "is_staff": staff,
            "can_edit": author and report.is_editable,
            "can_decide": staff and report.status == R.SUBMITTED,
            "days_late": report.days_late if report.submitted_at else None,
            **content,
        },
    )


#: What the report's page shows of its related rows (``_report_content``).
REPORT_CONTENT = (
    "question",
    "events",
    "topics",
    "resources",
    "regions",
    "attachments",
    "goals",
)


def _report_content(report: ExchangeReport) -> dict[str, Any]:
    prefetch_related_objects(
        [report],
        "topics",
        # With their offer: the catalogue's actions per resource read it without a query.
        Prefetch(
            "resources",
            queryset=OfferedResource.objects.select_related("offer").order_by("position", "pk"),
        ),
        Prefetch("regions", queryset=Region.objects.order_by("name", "pk")),
        "attachments",
        Prefetch("events", queryset=ReportEvent.objects.select_related("by")),
    )
    events = list(report.events.all())
    returned = next((e for e in reversed(events) if e.to_status == R.RETURNED), None)
    return {
        "question": returned if report.status == R.RETURNED else None,
        "events": events,
        "topics": list(report.topics.all()),
        "resources": list(report.resources.all()),
        "regions": list(report.regions.all()),
        "attachments": list(report.attachments.all()),
        "goals": services.report_goals(report),
    }


# Attachments ---------------------------------------------------------------------------------


def _get_attachment(report: ExchangeReport, attachment_pk: int) -> ReportAttachment:
    attachment = ReportAttachment.objects.filter(report=report, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    attachment.report = report
    return attachment


@require_http_methods(["GET", "POST"])
@login_required
def report_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    """The documents of a draft: list and upload."""
    report = _get_editable(request, pk)
    form = (
        AttachmentForm(request.POST, request.FILES)
        if request.method == "POST"
        else AttachmentForm()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                report=report,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                by=acting_user(request),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The document was attached."))
            return redirect("exchange:report_attachments", pk=report.pk)
    return render(
        request,
        "exchange/report_attachments.html",
        {"report": report, "form": form, "attachments": list(report.attachments.all())},
    )


@require_GET
@login_required
def report_attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A report's document for whoever may read the report; never a public URL."""
    report = get_report_for_user(request.user, pk)
    attachment = _get_attachment(report, attachment_pk)
    return serve_file(attachment.file)


@require_http_methods(["GET", "POST"])
@login_required
def report_attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Confirm (GET) and remove (POST) a document while the report can be changed."""
    report = _get_editable(request, pk)
    attachment = _get_attachment(report, attachment_pk)
    return confirm_delete(
        request,
        delete=lambda: services.attachment_delete(attachment=attachment),
        template="exchange/report_attachment_delete.html",
        context={"report": report, "attachment": attachment},
        next_url=reverse("exchange:report_attachments", kwargs={"pk": report.pk}),
        success_message=_("The document was removed."),
    )


# The list of published reports ---------------------------------------------------------------


def _with_topics_and_regions(rows: QuerySet[ExchangeReport]) -> QuerySet[ExchangeReport]:
    return rows.prefetch_related(
        "topics", Prefetch("regions", queryset=Region.objects.order_by("name", "pk"))
    )


@require_GET
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The submitted and accepted reports of the user's states, with filters and pages."""
    if request.GET.get(SUGGEST):  # a chooser's options (htmx)
        filterset, _queryset = filter_reports(request.user, request.GET, request=request)
        if (options := suggestions(request, filterset)) is not None:
            return options
    # Lazy: the list is a cached fragment (core.fragments), computed on a miss only.
    listing = lazy_values(_report_listing, request, names=("filter", "page", "rows", "filtered"))
    return render(
        request,
        "exchange/report_list.html",
        listing,
    )


def _report_listing(request: HttpRequest) -> dict[str, Any]:
    filterset, queryset = filter_reports(request.user, request.GET, request=request)
    # NGO, period and state joined, topics and regions read, for the page's rows only.
    page = paginate(request, queryset, rows=_with_topics_and_regions)
    return {
        "filter": filterset,
        "page": page,
        "rows": [(r, STATUS_BADGES.get(r.status, "")) for r in page.object_list],
        "filtered": is_filtered(request.GET) or bool(filterset.is_bound and filterset.errors),
    }
