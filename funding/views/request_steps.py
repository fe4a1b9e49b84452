"""The request form: starting a draft, its steps (each saves the draft) and the check page.

The financing step lives in ``request_financing``, the attachments step in
``request_attachments``; ``request_step`` hands each step to its view.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.web import acting_user, parameter_id
from councils.permissions import acting_organisation

from .. import services
from ..forms_requests import (
    AimsForm,
    PeriodForm,
    ProjectForm,
    RequestCreateForm,
    cost_line_formset,
)
from ..models import FundingRequest, Programme
from ..permissions import applicant_councils
from .request_attachments import step_attachments
from .request_common import (
    FIELD_STEPS,
    LAST_STEP,
    add_service_errors,
    after_save,
    get_editable,
    post_data,
    render_step,
    step_url,
)
from .request_financing import step_financing

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
    chosen = parameter_id(request.GET.get("programme"))
    if chosen is not None:
        initial["programme"] = chosen
    form = RequestCreateForm(
        post_data(request), initial=initial, programmes=programmes, councils=councils
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
            return redirect(step_url(funding_request, 2))
    has_programmes = programmes.exists()
    return render(
        request,
        "funding/request_create.html",
        {"form": form, "has_programmes": has_programmes, "councils": councils},
    )


# The steps -----------------------------------------------------------------------------------


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
            return after_save(request, funding_request, step)
    return render_step(request, funding_request, step, template, {"form": form, **(context or {})})


def _step_project(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    form = ProjectForm(post_data(request), instance=funding_request)
    return _model_step(request, funding_request, 1, form)


def _step_aims(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    linkable = services.linkable_goals(funding_request)
    form = AimsForm(
        post_data(request),
        instance=funding_request,
        goals=linkable,
        initial={"goals": [goal.pk for goal in services.request_goals(funding_request)]},
    )
    return _model_step(request, funding_request, 2, form, with_goals=True)


def _step_period(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    form = PeriodForm(post_data(request), instance=funding_request)
    programme = funding_request.programme
    fixed = {} if programme.allows_early_start else {"early_start": False}
    return _model_step(request, funding_request, 3, form, fixed=fixed)


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
                    return after_save(request, funding_request, 4)
    else:
        initial = [
            {"category": line.category, "description": line.description, "amount": line.amount}
            for line in lines
        ]
        formset = cost_line_formset(1 if lines else 3)(initial=initial, categories=categories)
    return render_step(
        request,
        funding_request,
        4,
        "funding/step_costs.html",
        {"formset": formset, "lines": lines, "service_errors": errors},
    )


# The check page ------------------------------------------------------------------------------


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
                "url": f"{step_url(funding_request, step)}#id_{field}" if step else None,
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


def render_check(
    request: HttpRequest,
    funding_request: FundingRequest,
    errors: dict[str, list[str]],
    *,
    attempted: bool = False,
) -> HttpResponse:
    """The last step: the summary and what still stops the submission, linked to its step."""
    return render_step(
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
    funding_request = get_editable(request, pk)
    if step == LAST_STEP:
        if request.method == "POST":
            return redirect(step_url(funding_request, LAST_STEP))
        return render_check(request, funding_request, services.submission_errors(funding_request))
    handlers = {
        1: _step_project,
        2: _step_aims,
        3: _step_period,
        4: _step_costs,
        5: step_financing,
        6: step_attachments,
    }
    return handlers[step](request, funding_request)
