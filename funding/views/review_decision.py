"""Views of the decision on a request (four-eyes confirmation included) and its letters.

Part of the review views (``funding.views.review``); the decision's amount only ever comes
from the form's reduction field, checked by ``funding.decisions``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.web import acting_user, serve_file

from .. import decisions
from ..formatting import money
from ..forms_review import DecisionForm, ReasonForm, show_errors
from ..models import FundingRequest, Letter
from ..models import RequestStatus as S
from ..permissions import get_request_for_user
from .review import DECIDABLE, _error_message, _not_now, _post, _staff_request

# The decision --------------------------------------------------------------------------------


def _decision_message(funding_request: FundingRequest) -> str:
    if funding_request.status == S.AWAITING_CONFIRMATION:
        return _(
            "Your decision was proposed. A second staff member must confirm it before it applies."
        )
    if funding_request.status == S.APPROVED:
        return _("The request was approved with %(amount)s. The letter is being made.") % {
            "amount": money(funding_request.approved_amount)
        }
    return _("The request was rejected. The letter is being made.")


def _decide_page(
    request: HttpRequest,
    funding_request: FundingRequest,
    form: DecisionForm,
    summary: decisions.DecisionSummary | None = None,
) -> HttpResponse:
    programme = funding_request.programme
    if summary is None:
        # The confirmation is asked on the summary, never on the form itself.
        form.fields.pop("confirm", None)
    return render(
        request,
        "funding/decide_confirm.html" if summary is not None else "funding/decide_form.html",
        {
            "funding_request": funding_request,
            "form": form,
            "summary": summary,
            "programme": programme,
            "remaining": programme.remaining,
            "threshold": programme.four_eyes_threshold,
            "full_needs_second": decisions.needs_second_person(funding_request, None),
            "full_exceeds_budget": funding_request.requested_amount > programme.remaining,
            "reviews": list(
                funding_request.reviews.filter(round=funding_request.round).select_related(
                    "reviewer"
                )
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve in full or reduced, or reject; above the four-eyes threshold only a proposal.

    Two steps, without JavaScript: the form, then a summary of what the decision does
    (requested and granted amount, the budget before and after, the justification) with
    an explicit confirmation; only the confirmed summary acts.
    """
    funding_request = _staff_request(request, pk)
    if funding_request.status not in DECIDABLE:
        return _not_now(request, funding_request)
    form = DecisionForm(_post(request))
    if request.method != "POST" or not form.is_valid():
        return _decide_page(request, funding_request, form)
    data = form.cleaned_data
    try:
        summary = decisions.decision_summary(
            request=funding_request,
            decision=data["decision"],
            amount=form.reduced_amount(),
            conditions=data["conditions"],
            justification=data["justification"],
        )
    except ValidationError as error:
        show_errors(form, error)
        return _decide_page(request, funding_request, form)
    confirming = request.POST.get("step") == "confirm"
    if confirming and request.POST.get("action") == "edit":
        return _decide_page(request, funding_request, DecisionForm(request.POST))
    if not confirming or not data["confirm"]:
        if confirming:
            form.add_error("confirm", _("Tick the box to confirm the decision."))
        return _decide_page(request, funding_request, form, summary)
    try:
        decided = decisions.request_decide(
            request=funding_request,
            by=acting_user(request),
            decision=data["decision"],
            # Only the reduction's field, never a posted approved_amount or status.
            amount=form.reduced_amount(),
            conditions=data["conditions"],
            justification=data["justification"],
        )
    except ValidationError as error:
        show_errors(form, error)
        return _decide_page(request, funding_request, form)
    messages.success(request, _decision_message(decided))
    return redirect(decided)


def _awaiting(request: HttpRequest, pk: int) -> tuple[FundingRequest, HttpResponse | None]:
    funding_request = _staff_request(request, pk)
    if funding_request.status != S.AWAITING_CONFIRMATION:
        return funding_request, _not_now(request, funding_request)
    return funding_request, None


@require_http_methods(["GET", "POST"])
@login_required
def request_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A second staff member confirms the proposed decision; the proposer never can."""
    funding_request, refused = _awaiting(request, pk)
    if refused is not None:
        return refused
    is_proposer = funding_request.proposed_by_id == request.user.pk
    if request.method == "POST":
        if is_proposer:
            messages.error(
                request,
                _("The four-eyes rule: a second staff member must confirm your proposal."),
            )
            return redirect(funding_request)
        try:
            decided = decisions.request_confirm(request=funding_request, by=acting_user(request))
        except ValidationError as error:
            _error_message(request, error)
            return redirect(funding_request)
        messages.success(request, _decision_message(decided))
        return redirect(decided)
    programme = funding_request.programme
    return render(
        request,
        "funding/confirm_decision.html",
        {
            "funding_request": funding_request,
            "is_proposer": is_proposer,
            "proposer": funding_request.proposed_by,
            "remaining": programme.remaining,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Do not confirm the proposed decision: the request goes back to review."""
    funding_request, refused = _awaiting(request, pk)
    if refused is not None:
        return refused
    form = ReasonForm(
        _post(request), help_text=_("The proposer and the other staff members read this.")
    )
    if request.method == "POST" and form.is_valid():
        try:
            decisions.request_discard_proposal(
                request=funding_request, by=acting_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, _("The proposal was discarded; the request is in review again.")
            )
            return redirect(funding_request)
    return render(
        request,
        "funding/confirm_discard.html",
        {
            "funding_request": funding_request,
            "form": form,
            "proposer": funding_request.proposed_by,
        },
    )


# Letters -------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@login_required
def letter_download(request: HttpRequest, pk: int, letter_pk: int) -> FileResponse:
    """A decision letter's PDF, for everyone who may read the request; never a public URL."""
    funding_request = get_request_for_user(request.user, pk)
    letter = Letter.objects.filter(request=funding_request, pk=letter_pk).first()
    if letter is None or not letter.file.name:
        raise Http404
    return serve_file(letter.file, content_type="application/pdf")
