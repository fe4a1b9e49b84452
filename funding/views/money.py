"""Views of payments and the proof of use (owned by the money part)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.web import acting_user, serve_file

from .. import payments as services
from ..formatting import money
from ..forms_money import (
    AcceptForm,
    PaymentRequestForm,
    ProofForm,
    RepaymentForm,
    ReturnForm,
    receipt_formset,
    with_one_more_receipt,
)
from ..models import PAYABLE, ZERO, FundingRequest, Payment, ProofOfUse
from ..models import RequestStatus as S
from ..permissions import (
    get_request_for_user,
    is_applicant,
    is_applicant_member,
    is_staff_for,
    require_applicant,
    require_staff,
)
from ..receipts import cost_deviations, receipt_window


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _to_detail(funding_request: FundingRequest) -> HttpResponse:
    return redirect("funding:request_detail", pk=funding_request.pk)


def add_service_error(form: BaseForm, error: ValidationError) -> None:
    """Show a service's error at its field, or above the form when the form lacks the field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _get_payment(request: HttpRequest, pk: int) -> Payment:
    """A payment of a request the user may read (404 otherwise); acting needs staff (403)."""
    payment: Payment | None = (
        Payment.objects.filter(pk=pk, request__in=FundingRequest.objects.visible_to(request.user))
        .select_related("request__programme__state", "request__applicant")
        .first()
    )
    if payment is None:
        raise Http404
    require_staff(request.user, payment.request)
    return payment


# The panel on the request's page --------------------------------------------------------------


@dataclass
class MoneyPanel:
    """What the request's page shows of payments, the proof of use and a repayment."""

    request: FundingRequest
    payments: list[Payment]
    summary: services.PaymentSummary
    proof: ProofOfUse | None
    proof_due: date | None
    proof_overdue: bool
    proof_due_soon: bool
    is_staff: bool
    is_applicant: bool
    may_request_payment: bool
    may_edit_proof: bool
    may_view_proof: bool
    may_check_proof: bool
    may_confirm_repayment: bool


def money_panel(http_request: HttpRequest, request: FundingRequest) -> dict[str, Any]:
    """Context for funding/includes/panel_money.html on the request's page."""
    if not request.is_funded:
        return {"money_panel": None}
    user = http_request.user
    payments = list(request.payments.select_related(None).order_by("requested_at", "pk"))
    proof = ProofOfUse.objects.filter(request=request).first()
    staff = is_staff_for(user, request)
    applicant = is_applicant(user, request)
    summary = services.payment_summary(request, payments)
    today = timezone.localdate()
    due = request.proof_due
    awaiting = request.status in services.AWAITING_PROOF
    overdue = bool(awaiting and due and today > due)
    due_soon = bool(
        awaiting and due and not overdue and (due - today).days <= services.REMINDER_DAYS_BEFORE
    )
    submitted = proof is not None and proof.submitted_at is not None
    panel = MoneyPanel(
        request=request,
        payments=payments,
        summary=summary,
        proof=proof,
        proof_due=due,
        proof_overdue=overdue,
        proof_due_soon=due_soon,
        is_staff=staff,
        is_applicant=applicant,
        may_request_payment=applicant and request.status in PAYABLE and summary.available > 0,
        may_edit_proof=applicant and request.status in services.PROOF_EDITABLE,
        may_view_proof=proof is not None
        and (is_applicant_member(user, request) or (staff and submitted)),
        may_check_proof=staff and request.status == S.PROOF_SUBMITTED,
        may_confirm_repayment=staff and request.status == S.REPAYMENT_DEMANDED,
    )
    return {"money_panel": panel}


# Payments -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def payment_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant calls an instalment of the approved grant (Mittelabruf)."""
    funding_request = get_request_for_user(request.user, pk)
    require_applicant(request.user, funding_request)
    if funding_request.status not in PAYABLE:
        messages.error(request, _("Payments cannot be requested for this request now."))
        return _to_detail(funding_request)
    form = PaymentRequestForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.payment_request(
                request=funding_request,
                amount=form.cleaned_data["amount"],
                by=acting_user(request),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The payment of %(amount)s was requested.") % {"amount": money(payment.amount)},
            )
            return _to_detail(funding_request)
    return render(
        request,
        "funding/payment_request.html",
        {
            "funding_request": funding_request,
            "form": form,
            "summary": services.payment_summary(funding_request),
        },
    )


@require_POST
@login_required
def payment_release(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff release a requested payment."""
    payment = _get_payment(request, pk)
    try:
        services.payment_release(payment=payment, by=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The payment was released."))
    return _to_detail(payment.request)


@require_POST
@login_required
def payment_mark_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record that a released payment went out."""
    payment = _get_payment(request, pk)
    try:
        services.payment_mark_paid(payment=payment, by=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The payment was marked as paid."))
    return _to_detail(payment.request)


# The proof of use ----------------------------------------------------------------------------


def _receipt_initial(proof: ProofOfUse | None) -> list[dict[str, Any]]:
    if proof is None:
        return []
    return [
        {
            "date": r.date,
            "payee": r.payee,
            "purpose": r.purpose,
            "category": r.category,
            "amount": r.amount,
            "receipt_id": r.pk,
        }
        for r in proof.receipts.all()
    ]


def _receipts_from(formset: Any) -> list[services.ReceiptData]:
    return [
        services.ReceiptData(
            date=form.cleaned_data["date"],
            payee=form.cleaned_data["payee"],
            purpose=form.cleaned_data["purpose"],
            category=form.cleaned_data["category"],
            amount=form.cleaned_data["amount"],
            file=form.cleaned_data.get("file") or None,
            receipt_id=form.cleaned_data.get("receipt_id"),
        )
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


@require_http_methods(["GET", "POST"])
@login_required
def proof_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant writes the proof of use: report, actual financing, receipts; submits it."""
    funding_request = get_request_for_user(request.user, pk)
    require_applicant(request.user, funding_request)
    if funding_request.status in services.PROOF_FINISHED:
        messages.info(request, _("The proof of use has been submitted."))
        return redirect("funding:proof_detail", pk=funding_request.pk)
    if funding_request.status not in services.PROOF_EDITABLE:
        messages.error(request, _("A proof of use is only written for an approved request."))
        return _to_detail(funding_request)
    proof = services.proof_of(funding_request)
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action == "add":
        form = ProofForm(request.POST, instance=proof)
        formset = receipt_formset(
            with_one_more_receipt(request.POST), funding_request=funding_request
        )
    elif request.method == "POST":
        form = ProofForm(request.POST, instance=proof)
        formset = receipt_formset(
            request.POST, files=request.FILES, funding_request=funding_request
        )
        if form.is_valid() and formset.is_valid():
            response = _save_proof(
                request, funding_request, form, formset, submit=action == "submit"
            )
            if response is not None:
                return response
    else:
        initial = None if proof else {"actual_own_contribution": funding_request.own_contribution}
        form = ProofForm(instance=proof, initial=initial)
        formset = receipt_formset(initial=_receipt_initial(proof), funding_request=funding_request)
    proof = services.proof_of(funding_request)
    today = timezone.localdate()
    figures = services.proof_figures(funding_request, proof)
    return render(
        request,
        "funding/proof_edit.html",
        {
            "funding_request": funding_request,
            "form": form,
            "formset": formset,
            "figures": figures,
            **_deviation_context(funding_request, figures),
            "receipt_files": _receipt_files(proof),
            "receipt_window": receipt_window(funding_request),
            "started": bool(funding_request.start_date and funding_request.start_date <= today),
            "summary": services.payment_summary(funding_request),
        },
    )


def _save_proof(
    request: HttpRequest,
    funding_request: FundingRequest,
    form: ProofForm,
    formset: Any,
    *,
    submit: bool,
) -> HttpResponse | None:
    """Save (and submit) the proof; None when an error is to be shown with the input."""
    data = form.cleaned_data
    try:
        services.proof_save(
            request=funding_request,
            by=acting_user(request),
            report=data["report"],
            actual_own_contribution=data["actual_own_contribution"],
            actual_third_party_funds=data["actual_third_party_funds"] or ZERO,
            participants=data["participants"],
            receipts=_receipts_from(formset),
        )
    except ValidationError as error:
        add_service_error(form, error)
        return None
    if not submit:
        messages.success(request, _("The proof of use was saved."))
        return redirect("funding:proof_edit", pk=funding_request.pk)
    try:
        services.proof_submit(request=funding_request, by=acting_user(request))
    except ValidationError as error:
        form.add_error(None, error)
        messages.warning(request, _("The proof of use was saved but not submitted."))
        return None
    messages.success(request, _("The proof of use was submitted to the state office."))
    return _to_detail(funding_request)


def _deviation_context(
    funding_request: FundingRequest, figures: services.ProofFigures
) -> dict[str, Any]:
    """The cost categories that deviate from the plan by more than the programme allows."""
    has_receipts = figures.total_costs.actual > 0
    return {
        "deviations": cost_deviations(funding_request, figures) if has_receipts else [],
        "deviation_share": funding_request.programme.deviation_share,
    }


def _figures_context(funding_request: FundingRequest, proof: ProofOfUse | None) -> dict[str, Any]:
    figures = services.proof_figures(funding_request, proof)
    return {"figures": figures, **_deviation_context(funding_request, figures)}


def _receipt_files(proof: ProofOfUse | None) -> dict[int, str]:
    """The saved receipts' file names by receipt id, to show beside the lines being edited."""
    if proof is None:
        return {}
    return {
        pk: os.path.basename(name)
        for pk, name in proof.receipts.exclude(file="").values_list("pk", "file")
    }


def _readable_proof(request: HttpRequest, funding_request: FundingRequest) -> ProofOfUse:
    """The proof of use for staff once submitted and for the applicant council always."""
    staff = is_staff_for(request.user, funding_request)
    member = is_applicant_member(request.user, funding_request)
    if not (staff or member):
        raise PermissionDenied
    proof = services.proof_of(funding_request)
    if proof is None or (proof.submitted_at is None and not member):
        raise Http404
    return proof


@require_http_methods(["GET"])
@login_required
def receipt_download(request: HttpRequest, pk: int, receipt_pk: int) -> FileResponse:
    """A receipt's file for whoever may read the proof of use; never a public URL."""
    funding_request = get_request_for_user(request.user, pk)
    proof = _readable_proof(request, funding_request)
    receipt = proof.receipts.filter(pk=receipt_pk).exclude(file="").first()
    if receipt is None:
        raise Http404
    return serve_file(receipt.file)


@require_http_methods(["GET"])
@login_required
def proof_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The proof of use, read-only: for staff once submitted, for the applicant council always."""
    funding_request = get_request_for_user(request.user, pk)
    proof = _readable_proof(request, funding_request)
    staff = is_staff_for(request.user, funding_request)
    return render(
        request,
        "funding/proof_detail.html",
        {
            "funding_request": funding_request,
            "proof": proof,
            "receipts": list(proof.receipts.all()),
            **_figures_context(funding_request, proof),
            "may_check": staff and funding_request.status == S.PROOF_SUBMITTED,
        },
    )


CHECK_FORMS = {"accept": AcceptForm, "return": ReturnForm, "repay": RepaymentForm}


@require_http_methods(["GET", "POST"])
@login_required
def proof_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff check the submitted proof: accept and close, return, or demand a repayment."""
    funding_request = get_request_for_user(request.user, pk)
    require_staff(request.user, funding_request)
    if funding_request.status != S.PROOF_SUBMITTED:
        messages.error(request, _("There is no submitted proof of use to check."))
        return _to_detail(funding_request)
    proof = services.proof_of(funding_request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    summary = services.payment_summary(funding_request)
    forms: dict[str, BaseForm] = {
        name: form_class(
            request.POST if name == action else None,
            prefix=name,
            initial=(
                {"final_payment": summary.approved - funding_request.paid_amount}
                if name == "accept"
                else None
            ),
        )
        for name, form_class in CHECK_FORMS.items()
    }
    if action in forms and forms[action].is_valid():
        form = forms[action]
        data = form.cleaned_data
        by = acting_user(request)
        try:
            if action == "accept":
                services.proof_accept(
                    request=funding_request,
                    by=by,
                    note=data["note"],
                    final_payment=data["final_payment"] or ZERO,
                )
                message = _("The proof of use was accepted and the file closed.")
            elif action == "return":
                services.proof_return(request=funding_request, by=by, reason=data["reason"])
                message = _("The proof of use was returned for corrections.")
            else:
                services.proof_demand_repayment(
                    request=funding_request, by=by, amount=data["amount"], reason=data["reason"]
                )
                message = _("The repayment was demanded.")
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, message)
            return _to_detail(funding_request)
    elif request.method == "POST" and action not in forms:
        messages.error(request, _("Choose what to do with the proof of use."))
    return render(
        request,
        "funding/proof_check.html",
        {
            "funding_request": funding_request,
            "proof": proof,
            "receipts": list(proof.receipts.all()) if proof else [],
            **_figures_context(funding_request, proof),
            "summary": summary,
            "accept_form": forms["accept"],
            "return_form": forms["return"],
            "repay_form": forms["repay"],
            "action": action,
        },
    )


@require_POST
@login_required
def repayment_received(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record that the demanded repayment came in; the file is closed."""
    funding_request = get_request_for_user(request.user, pk)
    require_staff(request.user, funding_request)
    try:
        services.repayment_received(request=funding_request, by=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The repayment was recorded and the file closed."))
    return _to_detail(funding_request)
