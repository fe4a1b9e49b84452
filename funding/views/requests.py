"""Views of the applicant's side: drafting in steps, submitting, withdrawing, the request page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.web import acting_user, confirm_delete, serve_file
from councils.permissions import acting_organisation

from .. import services
from ..forms_requests import (
    AimsForm,
    AttachmentForm,
    FinancingForm,
    PeriodForm,
    ProjectForm,
    RequestCreateForm,
    WithdrawForm,
    cost_line_formset,
)
from ..models import (
    EDITABLE,
    WITH_STAFF,
    Attachment,
    FundingRequest,
    Programme,
    StatusChange,
    Submission,
)
from ..models import RequestStatus as S
from ..permissions import applicant_councils, get_request_for_user, is_applicant
from .money import money_panel
from .review import review_panel


@dataclass(frozen=True)
class Step:
    number: int
    label: str | Promise


STEPS = (
    Step(1, gettext_lazy("Project")),
    Step(2, gettext_lazy("Aims and goals")),
    Step(3, gettext_lazy("Period")),
    Step(4, gettext_lazy("Cost plan")),
    Step(5, gettext_lazy("Financing plan")),
    Step(6, gettext_lazy("Attachments")),
    Step(7, gettext_lazy("Check and submit")),
)
LAST_STEP = STEPS[-1].number

#: The step of the form where each field of a submission error is entered.
FIELD_STEPS = {
    "title": 1,
    "carrier_name": 1,
    "carrier_contact": 1,
    "carrier_street": 1,
    "carrier_postcode": 1,
    "carrier_city": 1,
    "applicant_street": 1,
    "applicant_postcode": 1,
    "applicant_city": 1,
    "description": 1,
    "aims": 2,
    "target_group": 2,
    "topic": 2,
    "region": 2,
    "goals": 2,
    "start_date": 3,
    "end_date": 3,
    "early_start": 3,
    "cost_lines": 4,
    "tier": 5,
    "own_contribution": 5,
    "third_party_funds": 5,
}

#: The applicant may withdraw in these states.
WITHDRAWABLE = (S.DRAFT, S.SUBMITTED, S.RETURNED)

#: Bootstrap badge per status (text-bg-* keeps the contrast).
STATUS_BADGES = {
    S.DRAFT: "text-bg-light border",
    S.SUBMITTED: "text-bg-primary",
    S.FORMAL_CHECK: "text-bg-primary",
    S.RETURNED: "text-bg-warning",
    S.REVIEW: "text-bg-primary",
    S.AWAITING_CONFIRMATION: "text-bg-info",
    S.APPROVED: "text-bg-success",
    S.REJECTED: "text-bg-danger",
    S.WITHDRAWN: "text-bg-dark",
    S.PAYMENT_REQUESTED: "text-bg-info",
    S.PAID: "text-bg-success",
    S.PROOF_SUBMITTED: "text-bg-info",
    S.REPAYMENT_DEMANDED: "text-bg-danger",
    S.CLOSED: "text-bg-dark",
}


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError at the form's fields (the rest above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _get_editable(request: HttpRequest, pk: int) -> FundingRequest:
    """A request the applicant edits: 404 when unseen, 403 when not theirs or locked."""
    funding_request = get_request_for_user(request.user, pk)
    if not is_applicant(request.user, funding_request):
        raise PermissionDenied
    if not funding_request.is_editable:
        raise PermissionDenied(_("Only a draft or a returned request can be changed."))
    return funding_request


def _step_url(funding_request: FundingRequest, step: int) -> str:
    return reverse("funding:request_step", kwargs={"pk": funding_request.pk, "step": step})


def resume_step(funding_request: FundingRequest) -> int:
    """Where the applicant continues: the step after the last one saved."""
    return min(funding_request.last_step + 1, LAST_STEP)


# Starting a request --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    """Start a draft in an open programme for a council the user coordinates."""
    councils = applicant_councils(request.user)
    if not councils:
        raise PermissionDenied
    programmes = (
        Programme.objects.open_on(timezone.localdate())
        .filter(state_id__in={council.state_id for council in councils})
        .select_related("state")
        .order_by("title", "pk")
    )
    initial: dict[str, Any] = {}
    acting = acting_organisation(request, councils)
    if acting is not None:
        initial["applicant"] = acting.pk
    chosen = request.GET.get("programme", "")
    if chosen.isdigit():
        initial["programme"] = int(chosen)
    form = RequestCreateForm(
        _post(request), initial=initial, programmes=programmes, councils=councils
    )
    if request.method == "POST" and form.is_valid():
        try:
            funding_request = services.request_create(
                programme=form.cleaned_data["programme"],
                applicant=form.cleaned_data["applicant"],
                created_by=acting_user(request),
                title=form.cleaned_data["title"],
                carrier_name=form.cleaned_data["carrier_name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft was created. Continue with the next step."))
            return redirect(_step_url(funding_request, 2))
    has_programmes = programmes.exists()
    return render(
        request,
        "funding/request_create.html",
        {"form": form, "has_programmes": has_programmes, "councils": councils},
    )


# The steps -----------------------------------------------------------------------------------


def _after_save(request: HttpRequest, funding_request: FundingRequest, step: int) -> HttpResponse:
    if request.POST.get("action") == "continue" and step < LAST_STEP:
        return redirect(_step_url(funding_request, step + 1))
    messages.success(request, _("The draft was saved."))
    return redirect(_step_url(funding_request, step))


def _render_step(
    request: HttpRequest,
    funding_request: FundingRequest,
    step: int,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    steps = [
        {"number": s.number, "label": s.label, "url": _step_url(funding_request, s.number)}
        for s in STEPS
    ]
    current = STEPS[step - 1]
    return render(
        request,
        template,
        {
            "funding_request": funding_request,
            "programme": funding_request.programme,
            "steps": steps,
            "step": current,
            "next_step": step + 1 if step < LAST_STEP else None,
            "previous_url": _step_url(funding_request, step - 1) if step > 1 else None,
            **context,
        },
        status=status,
    )


def _model_step(
    request: HttpRequest,
    funding_request: FundingRequest,
    step: int,
    form: forms.ModelForm[FundingRequest],
    *,
    fixed: dict[str, Any] | None = None,
    with_goals: bool = False,
    template: str = "funding/step_form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A step whose form holds fields of the request, saved through services.request_update."""
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name]
            for name in form._meta.fields or ()
            if name in form.cleaned_data
        }
        fields.update(fixed or {})
        goals = form.cleaned_data["goals"] if with_goals else None
        try:
            services.request_update(request=funding_request, step=step, goals=goals, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _after_save(request, funding_request, step)
    return _render_step(request, funding_request, step, template, {"form": form, **(context or {})})


def _step_project(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    form = ProjectForm(_post(request), instance=funding_request)
    return _model_step(request, funding_request, 1, form)


def _step_aims(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    linkable = services.linkable_goals(funding_request)
    form = AimsForm(
        _post(request),
        instance=funding_request,
        goals=linkable,
        initial={"goals": [goal.pk for goal in services.request_goals(funding_request)]},
    )
    return _model_step(request, funding_request, 2, form, with_goals=True)


def _step_period(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    form = PeriodForm(_post(request), instance=funding_request)
    programme = funding_request.programme
    fixed = {} if programme.allows_early_start else {"early_start": False}
    return _model_step(request, funding_request, 3, form, fixed=fixed)


def _financing_form_with_rules(
    funding_request: FundingRequest, saved: FundingRequest, rule_errors: dict[str, list[str]]
) -> FinancingForm:
    """The saved financing plan as a bound form that shows the programme's rules at its fields."""
    data = {
        "tier": saved.tier_id or "",
        "own_contribution": f"{saved.own_contribution:.2f}",
        "third_party_funds": f"{saved.third_party_funds:.2f}",
    }
    form = FinancingForm(data, instance=funding_request)
    form.is_valid()
    for field, field_messages in rule_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    return form


def _step_financing(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    """Step 5; the tier limit and the minimum own share are shown at their fields when the
    saved plan breaks them (after a save, and when the check page links here)."""
    form = FinancingForm(_post(request), instance=funding_request)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.FINANCING_FIELDS}
        try:
            updated = services.request_update(request=funding_request, step=5, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if services.financing_rule_errors(updated):
                messages.warning(
                    request,
                    _(
                        "The draft was saved, but the financing plan does not meet the "
                        "programme's rules yet; see the notes at the fields."
                    ),
                )
                return redirect(_step_url(funding_request, 5))
            return _after_save(request, funding_request, 5)
    saved = FundingRequest.objects.select_related("tier", "programme").get(pk=funding_request.pk)
    if request.method != "POST" and (saved.total_costs or saved.tier_id):
        rule_errors = services.financing_rule_errors(saved)
        if rule_errors:
            form = _financing_form_with_rules(funding_request, saved, rule_errors)
    tiers = list(funding_request.programme.tiers.all())
    return _render_step(
        request,
        funding_request,
        5,
        "funding/step_financing.html",
        {"form": form, "saved": saved, "tiers": tiers},
    )


def _step_costs(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    categories = funding_request.programme.eligible_categories
    lines = list(funding_request.cost_lines.all())
    errors: list[str] = []
    if request.method == "POST":
        data = request.POST.copy()
        if "add_line" in request.POST:
            try:
                total = int(data.get("form-TOTAL_FORMS", "0"))
            except ValueError:
                total = 0
            data["form-TOTAL_FORMS"] = str(min(total + 1, 200))
            formset = cost_line_formset(0)(data, categories=categories)
        else:
            formset = cost_line_formset(0)(data, categories=categories)
            if formset.is_valid():
                try:
                    services.cost_lines_replace(
                        request=funding_request,
                        lines=[
                            services.CostLineData(
                                category=line["category"],
                                description=line["description"],
                                amount=line["amount"],
                            )
                            for line in formset.lines()
                        ],
                        step=4,
                    )
                except ValidationError as exc:
                    errors.extend(exc.messages)
                else:
                    return _after_save(request, funding_request, 4)
    else:
        initial = [
            {"category": line.category, "description": line.description, "amount": line.amount}
            for line in lines
        ]
        formset = cost_line_formset(1 if lines else 3)(initial=initial, categories=categories)
    return _render_step(
        request,
        funding_request,
        4,
        "funding/step_costs.html",
        {"formset": formset, "lines": lines, "service_errors": errors},
    )


def _step_attachments(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    uploading = request.method == "POST" and request.POST.get("action") == "upload"
    form = AttachmentForm(request.POST, request.FILES) if uploading else AttachmentForm()
    if uploading and form.is_valid():
        try:
            services.attachment_add(
                request=funding_request,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                by=acting_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was attached."))
            return redirect(_step_url(funding_request, 6))
    elif request.method == "POST" and not uploading:
        try:
            services.request_update(request=funding_request, step=6)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _after_save(request, funding_request, 6)
    attachments = list(funding_request.attachments.all())
    return _render_step(
        request,
        funding_request,
        6,
        "funding/step_attachments.html",
        {"form": form, "attachments": attachments},
    )


def _error_rows(
    funding_request: FundingRequest, errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Each submission error with the label of its field and the step where it is fixed."""
    labels = {
        "cost_lines": _("Cost plan"),
        "goals": _("Strategy goals"),
        "programme": _("Funding programme"),
        "__all__": _("Request"),
    }
    rows = []
    for field, field_messages in errors.items():
        if field in labels:
            label = labels[field]
        else:
            try:
                label = str(FundingRequest._meta.get_field(field).verbose_name)
            except Exception:  # an unknown key: show it under the request as a whole
                label = labels["__all__"]
        label = label[:1].upper() + label[1:]
        step = FIELD_STEPS.get(field)
        rows.append(
            {
                "field": field,
                "label": label,
                "messages": field_messages,
                "step": step,
                "url": f"{_step_url(funding_request, step)}#id_{field}" if step else None,
            }
        )
    rows.sort(key=lambda row: row["step"] or 0)
    return rows


def _summary_context(funding_request: FundingRequest) -> dict[str, Any]:
    return {
        "cost_lines": list(funding_request.cost_lines.all()),
        "attachments": list(funding_request.attachments.all()),
        "goals": services.request_goals(funding_request),
    }


def _render_check(
    request: HttpRequest,
    funding_request: FundingRequest,
    errors: dict[str, list[str]],
    *,
    attempted: bool = False,
) -> HttpResponse:
    return _render_step(
        request,
        funding_request,
        LAST_STEP,
        "funding/step_check.html",
        {
            "errors": _error_rows(funding_request, errors),
            "attempted": attempted,
            **_summary_context(funding_request),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    """One step of the request form; drafts save at every step."""
    if not 1 <= step <= LAST_STEP:
        raise Http404
    funding_request = _get_editable(request, pk)
    if step == LAST_STEP:
        if request.method == "POST":
            return redirect(_step_url(funding_request, LAST_STEP))
        return _render_check(request, funding_request, services.submission_errors(funding_request))
    handlers = {
        1: _step_project,
        2: _step_aims,
        3: _step_period,
        4: _step_costs,
        5: _step_financing,
        6: _step_attachments,
    }
    return handlers[step](request, funding_request)


# Submitting and withdrawing ------------------------------------------------------------------


def _current_status(funding_request: FundingRequest) -> str | None:
    status: str | None = (
        FundingRequest.objects.filter(pk=funding_request.pk)
        .values_list("status", flat=True)
        .first()
    )
    return status


@require_POST
@login_required
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit (or resubmit) the request; a second click finds it submitted and does nothing."""
    funding_request = get_request_for_user(request.user, pk)
    if not is_applicant(request.user, funding_request):
        raise PermissionDenied
    if not funding_request.is_editable:
        messages.info(request, _("This request has already been submitted."))
        return redirect(funding_request)
    try:
        services.request_submit(request=funding_request, by=acting_user(request))
    except ValidationError as exc:
        if _current_status(funding_request) not in EDITABLE:
            messages.info(request, _("This request has already been submitted."))
            return redirect(funding_request)
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _render_check(request, funding_request, errors, attempted=True)
    messages.success(request, _("The request was submitted. The state office will check it."))
    return redirect(funding_request)


@require_http_methods(["GET", "POST"])
@login_required
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and withdraw (POST) a request the state office has not started on."""
    funding_request = get_request_for_user(request.user, pk)
    if not is_applicant(request.user, funding_request):
        raise PermissionDenied
    if funding_request.status not in WITHDRAWABLE:
        raise PermissionDenied(_("The request can no longer be withdrawn."))
    form = WithdrawForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.request_withdraw(
                request=funding_request, by=acting_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The request was withdrawn."))
        return redirect(funding_request)
    return render(
        request,
        "funding/request_withdraw.html",
        {"funding_request": funding_request, "form": form},
    )


# The request's page --------------------------------------------------------------------------


def _load_details(funding_request: FundingRequest) -> None:
    """Everything the page lists, in one query per kind of row."""
    prefetch_related_objects(
        [funding_request],
        "cost_lines",
        "attachments",
        Prefetch("status_changes", queryset=StatusChange.objects.select_related("by")),
        Prefetch(
            "submissions",
            queryset=Submission.objects.defer("data").select_related("submitted_by"),
        ),
    )


@require_GET
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The request's page: status, next step, the plans, documents, history and the panels."""
    funding_request = get_request_for_user(request.user, pk)
    _load_details(funding_request)
    changes = list(funding_request.status_changes.all())
    returned = None
    if funding_request.status == S.RETURNED:
        returned = next((c for c in reversed(changes) if c.to_status == S.RETURNED), None)
    applicant = is_applicant(request.user, funding_request)
    context: dict[str, Any] = {
        "funding_request": funding_request,
        "programme": funding_request.programme,
        "status_badge": STATUS_BADGES.get(funding_request.status, "text-bg-light border"),
        "is_applicant": applicant,
        "can_edit": applicant and funding_request.is_editable,
        "can_withdraw": applicant and funding_request.status in WITHDRAWABLE,
        "with_staff": funding_request.status in WITH_STAFF,
        "resume_url": _step_url(funding_request, resume_step(funding_request)),
        "check_url": _step_url(funding_request, LAST_STEP),
        "returned": returned,
        "changes": changes,
        "submissions": list(funding_request.submissions.all()),
        "cost_lines": list(funding_request.cost_lines.all()),
        "attachments": list(funding_request.attachments.all()),
        "goals": services.request_goals(funding_request),
    }
    context.update(review_panel(request, funding_request))
    context.update(money_panel(request, funding_request))
    return render(request, "funding/request_detail.html", context)


# Attachments ---------------------------------------------------------------------------------


def _get_attachment(funding_request: FundingRequest, attachment_pk: int) -> Attachment:
    attachment = Attachment.objects.filter(request=funding_request, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    attachment.request = funding_request
    return attachment


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A request's document for whoever may read the request; never a public URL."""
    funding_request = get_request_for_user(request.user, pk)
    attachment = _get_attachment(funding_request, attachment_pk)
    return serve_file(attachment.file)


@require_http_methods(["GET", "POST"])
@login_required
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Confirm (GET) and remove (POST) a document while the request can be changed."""
    funding_request = _get_editable(request, pk)
    attachment = _get_attachment(funding_request, attachment_pk)
    return confirm_delete(
        request,
        delete=lambda: services.attachment_delete(attachment=attachment),
        template="funding/request_attachment_delete.html",
        context={"funding_request": funding_request, "attachment": attachment},
        next_url=_step_url(funding_request, 6),
        success_message=_("The document was removed."),
    )
