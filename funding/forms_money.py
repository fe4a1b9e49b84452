"""Forms of payment requests, the proof of use (with its receipts) and the proof's check."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import RECEIPTS, upload_help_text

from .forms_requests import DateInput, MoneyField, validate_receipt_file
from .models import CostCategory, FundingRequest, ProofOfUse
from .receipts import receipt_date_error


class PaymentRequestForm(forms.Form):
    amount = MoneyField(label=_("Amount"))
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For example what the instalment is for."),
    )


class ProofForm(forms.ModelForm[ProofOfUse]):
    """The report and the actual financing of the proof of use."""

    actual_own_contribution = MoneyField(label=_("Own contribution spent"))
    actual_third_party_funds = MoneyField(label=_("Third-party funds received"), required=False)

    class Meta:
        model = ProofOfUse
        fields = ["report", "actual_own_contribution", "actual_third_party_funds", "participants"]
        widgets = {"report": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].help_text = _(
            "What was done, whom it reached, what worked and what did not."
        )

    def clean_actual_third_party_funds(self) -> Decimal:
        return self.cleaned_data.get("actual_third_party_funds") or Decimal("0.00")


class ReceiptForm(forms.Form):
    """One line of the list of receipts, with the receipt itself as a file."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    payee = forms.CharField(label=_("Payee"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    amount = MoneyField(label=_("Amount"))
    file = forms.FileField(
        label=_("Receipt (PDF or picture)"),
        help_text=upload_help_text(RECEIPTS),
        required=False,
        max_length=300,
        widget=forms.FileInput,
        validators=[validate_receipt_file],
    )
    # The saved receipt this line shows: its file stays unless a new one is uploaded.
    receipt_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, funding_request: FundingRequest | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.funding_request = funding_request
        for name, field in self.fields.items():
            css = "form-select" if name == "category" else "form-control"
            if name == "DELETE":
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if self.funding_request is not None:
            error = receipt_date_error(self.funding_request, day)
            if error:
                raise ValidationError(error, code="outside_period")
        return day

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount <= 0:
            raise ValidationError(_("Enter an amount above zero."))
        return amount


RECEIPTS_PREFIX = "receipts"


def receipt_formset(
    data: Any = None,
    initial: list[dict[str, Any]] | None = None,
    *,
    files: Any = None,
    funding_request: FundingRequest | None = None,
) -> Any:
    """The receipts formset; with no receipts yet it starts with one empty line."""
    extra = 1 if data is None and not initial else 0
    formset_class = forms.formset_factory(
        ReceiptForm, extra=extra, can_delete=True, max_num=500, validate_max=True
    )
    return formset_class(
        data,
        files,
        initial=initial,
        prefix=RECEIPTS_PREFIX,
        form_kwargs={"funding_request": funding_request},
    )


def with_one_more_receipt(data: Any) -> Any:
    """The posted data with room for one more (empty) receipt line."""
    copy = data.copy()
    key = f"{RECEIPTS_PREFIX}-TOTAL_FORMS"
    try:
        total = int(copy.get(key, 0))
    except ValueError:
        total = 0
    copy[key] = str(min(total, 499) + 1)
    return copy


class AcceptForm(forms.Form):
    """Accept the proof of use and close the file."""

    final_payment = MoneyField(
        label=_("Final payment"),
        required=False,
        help_text=_(
            "Paid out with the closing, for example the retained share. Leave empty to pay nothing."
        ),
    )
    note = forms.CharField(
        label=_("Result of the check"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReturnForm(forms.Form):
    """Send the proof back for corrections."""

    reason = forms.CharField(
        label=_("What should be corrected?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RepaymentForm(forms.Form):
    """Demand part of the paid grant back."""

    amount = MoneyField(label=_("Repayment amount"))
    reason = forms.CharField(
        label=_("Reason for the repayment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
