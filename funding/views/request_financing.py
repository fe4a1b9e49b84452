"""Step 5 of the request form: the financing plan, with the programme's rules at the fields.

The rules (tier limit, minimum own share: ``services.financing_rule_errors``) are shown in a
feedback region under each field. They show after a save, when the check page links here, and
live while the applicant types: htmx posts the form to ``financing_check``, which answers the
regions' new content and never saves (the inputs themselves are never replaced).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms_requests import FinancingForm
from ..models import FundingRequest
from .request_common import (
    add_service_errors,
    after_save,
    get_editable,
    post_data,
    render_step,
    step_url,
)

FEEDBACK_TEMPLATE = "funding/includes/financing_feedback.html"


def _add_rule_errors(form: FinancingForm, rule_errors: dict[str, list[str]]) -> None:
    last = list(form.fields)[-1]
    for field, field_messages in rule_errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else last, message)


def _describe_feedback(form: FinancingForm) -> FinancingForm:
    """Tie each field to its help text and to its feedback region (``<id>_error``), which is
    always on the page so that the live check can fill it."""
    for name in form.fields:
        bound = form[name]
        ids = [f"{bound.auto_id}_helptext"] if bound.help_text else []
        ids.append(f"{bound.auto_id}_error")
        form.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)
    return form


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
    _add_rule_errors(form, rule_errors)
    return form


def step_financing(request: HttpRequest, funding_request: FundingRequest) -> HttpResponse:
    """Step 5; the tier limit and the minimum own share are shown at their fields when the
    saved plan breaks them (after a save, and when the check page links here)."""
    form = FinancingForm(post_data(request), instance=funding_request)
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
                return redirect(step_url(funding_request, 5))
            return after_save(request, funding_request, 5)
    saved = FundingRequest.objects.select_related("tier", "programme").get(pk=funding_request.pk)
    if request.method != "POST" and (saved.total_costs or saved.tier_id):
        rule_errors = services.financing_rule_errors(saved)
        if rule_errors:
            form = _financing_form_with_rules(funding_request, saved, rule_errors)
    tiers = list(funding_request.programme.tiers.all())
    return render_step(
        request,
        funding_request,
        5,
        "funding/step_financing.html",
        {"form": _describe_feedback(form), "saved": saved, "tiers": tiers},
    )


def checked_financing_form(
    funding_request: FundingRequest, data: Mapping[str, Any]
) -> FinancingForm:
    """The typed financing plan, checked like a save would check it, without saving anything.

    Fields that do not parse show their own error; a plan whose fields all parse is checked
    against the programme's rules on an unsaved copy of the request.
    """
    form = FinancingForm(data, instance=funding_request)
    if form.is_valid():
        preview = FundingRequest.objects.select_related("tier", "programme").get(
            pk=funding_request.pk
        )
        for name in services.FINANCING_FIELDS:
            setattr(preview, name, form.cleaned_data[name])
        services.recalculate(preview)
        _add_rule_errors(form, services.financing_rule_errors(preview))
    return form


@require_POST
@login_required
def financing_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The live check of step 5: the feedback of each field for what is typed, no write.

    Access is the step's own: the applicant's coordinator, while the request can be changed.
    """
    funding_request = get_editable(request, pk)
    form = checked_financing_form(funding_request, request.POST)
    return render(request, FEEDBACK_TEMPLATE, {"form": _describe_feedback(form), "swap_oob": True})
