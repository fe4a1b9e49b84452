"""Step 5 of the request form: the financing plan, with the programme's rules at the fields."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .. import services
from ..forms_requests import FinancingForm
from ..models import FundingRequest
from .request_common import add_service_errors, after_save, post_data, render_step, step_url


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
        {"form": form, "saved": saved, "tiers": tiers},
    )
