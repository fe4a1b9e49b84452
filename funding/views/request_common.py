"""What the views of a funding request share: the steps of the form, the status badges and the
helpers that fetch an editable request and render a step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import FundingRequest
from ..models import RequestStatus as S
from ..permissions import get_request_for_user, is_applicant


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


def post_data(request: HttpRequest) -> Any:
    """The submitted data on a POST, else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError at the form's fields (the rest above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def get_editable(request: HttpRequest, pk: int) -> FundingRequest:
    """A request the applicant edits: 404 when unseen, 403 when not theirs or locked."""
    funding_request = get_request_for_user(request.user, pk)
    if not is_applicant(request.user, funding_request):
        raise PermissionDenied
    if not funding_request.is_editable:
        raise PermissionDenied(_("Only a draft or a returned request can be changed."))
    return funding_request


def step_url(funding_request: FundingRequest, step: int) -> str:
    return reverse("funding:request_step", kwargs={"pk": funding_request.pk, "step": step})


def resume_step(funding_request: FundingRequest) -> int:
    """Where the applicant continues: the step after the last one saved."""
    return min(funding_request.last_step + 1, LAST_STEP)


def after_save(request: HttpRequest, funding_request: FundingRequest, step: int) -> HttpResponse:
    """Go on to the next step (the "continue" button), or stay on the step with a note."""
    if request.POST.get("action") == "continue" and step < LAST_STEP:
        return redirect(step_url(funding_request, step + 1))
    messages.success(request, _("The draft was saved."))
    return redirect(step_url(funding_request, step))


def render_step(
    request: HttpRequest,
    funding_request: FundingRequest,
    step: int,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """A step's page with the step indicator and the links back and on."""
    steps = [
        {"number": s.number, "label": s.label, "url": step_url(funding_request, s.number)}
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
            "previous_url": step_url(funding_request, step - 1) if step > 1 else None,
            **context,
        },
        status=status,
    )
