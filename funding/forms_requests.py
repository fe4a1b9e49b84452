"""Forms of the applicant's side: starting a request and the steps of the request form.

The forms only carry the fields the applicant may set; status, computed amounts, programme
and applicant are never taken from a form after the request exists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.uploads import DOCUMENTS, PDF, RECEIPTS, check_upload, upload_help_text
from councils.models import Organisation, Region
from strategy.goal_picker import GoalChoiceField
from strategy.models import Goal

from .formatting import money
from .models import CostCategory, FundingRequest, Programme, Tier

#: Files a request may carry, and their size limit.

CENT = Decimal("0.01")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


_AMOUNT = re.compile(r"^[+-]?[0-9][0-9.,]*$")


def parse_local_decimal(text: str) -> Decimal:
    """A number typed in German (1.250,50) or English (1,250.50) notation.

    Only the ASCII digits 0-9 count as digits. With both separators the last one is the
    decimal mark; a single separator is a thousands separator when it repeats or when
    exactly three digits follow it (1.250 and 1,250 are 1250: amounts have two places),
    otherwise it is the decimal mark (12,5 and 12.5).
    """
    text = text.replace("\N{NO-BREAK SPACE}", "").replace("\N{NARROW NO-BREAK SPACE}", "")
    text = text.replace(" ", "").replace("'", "")
    if any(ch.isdigit() and ch not in "0123456789" for ch in text):
        raise ValidationError(_("Use the digits 0 to 9."), code="digits")
    if not _AMOUNT.match(text):
        raise ValidationError(_("Enter a number such as 1.250,50."), code="invalid")
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("+-")
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        digits = digits.replace(grouping, "").replace(decimal_mark, ".")
    else:
        mark = "," if "," in digits else "." if "." in digits else ""
        if mark and (digits.count(mark) > 1 or len(digits) - digits.index(mark) - 1 == 3):
            digits = digits.replace(mark, "")
        elif mark:
            digits = digits.replace(mark, ".")
    try:
        value = Decimal(sign + digits)
    except InvalidOperation as exc:
        raise ValidationError(_("Enter a number such as 1.250,50."), code="invalid") from exc
    if not value.is_finite():
        raise ValidationError(_("Enter a number such as 1.250,50."), code="invalid")
    return value


class MoneyField(forms.CharField):
    """An amount in euros in German or English notation (1.250,00 or 1,250.00; a € sign is
    fine); only the digits 0-9; never below the minimum, two places at most."""

    def __init__(self, *, minimum: Decimal = Decimal("0.00"), **kwargs: Any) -> None:
        self.minimum = minimum
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("maxlength", "20")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, Decimal):
            number: Decimal | None = value
        else:
            text = str(value or "").replace("€", "").strip()
            if not text:
                return None
            if len(text) > 20:
                raise ValidationError(_("The amount is too large."), code="max_value")
            try:
                number = parse_local_decimal(text)
            except ValidationError as exc:
                if exc.code == "digits":
                    raise
                raise ValidationError(
                    _("Enter an amount such as 1.250,00."), code="invalid"
                ) from exc
        if number is None:
            return None
        if number < self.minimum:
            if self.minimum > 0:
                raise ValidationError(_("Enter an amount above zero."), code="min_value")
            raise ValidationError(_("Enter an amount of zero or more."), code="min_value")
        if number != number.quantize(CENT):
            raise ValidationError(_("Enter at most two decimal places."), code="places")
        if number >= Decimal("10000000000"):
            raise ValidationError(_("The amount is too large."), code="max_value")
        return number.quantize(CENT)

    def validate(self, value: Any) -> None:
        if value in self.empty_values and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:
        """The max_length of the typed text is checked in to_python, not on the Decimal."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return number_format(value, decimal_pos=2, use_l10n=True)
        return value


class RequestCreateForm(forms.Form):
    """Programme, applicant council and title: enough to start a draft."""

    programme = forms.ModelChoiceField(
        label=_("Funding programme"), queryset=Programme.objects.none()
    )
    applicant = forms.ModelChoiceField(
        label=_("Applicant council"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Project title"), max_length=200)
    carrier_name = forms.CharField(
        label=_("Local project carrier"),
        max_length=200,
        required=False,
        help_text=_("Leave empty when the council itself carries the project."),
    )

    def __init__(
        self,
        *args: Any,
        programmes: QuerySet[Programme],
        councils: Sequence[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        programme_field = self.fields["programme"]
        assert isinstance(programme_field, forms.ModelChoiceField)
        programme_field.queryset = programmes
        applicant_field = self.fields["applicant"]
        assert isinstance(applicant_field, forms.ModelChoiceField)
        applicant_field.queryset = Organisation.objects.filter(pk__in=[c.pk for c in councils])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme, applicant = data.get("programme"), data.get("applicant")
        if programme and applicant and programme.state_id != applicant.state_id:
            self.add_error("programme", _("Choose a programme of the applicant council's state."))
        return data


class ProjectForm(forms.ModelForm[FundingRequest]):
    """Step 1: the project and who carries it."""

    class Meta:
        model = FundingRequest
        fields = [
            "title",
            "applicant_street",
            "applicant_postcode",
            "applicant_city",
            "carrier_name",
            "carrier_contact",
            "carrier_street",
            "carrier_postcode",
            "carrier_city",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "applicant_street": _("The council's postal address: the decision letter goes there."),
            "carrier_street": _("Needed when a local project carrier is named."),
        }


class TierChoiceField(forms.ModelChoiceField[Tier]):
    def label_from_instance(self, obj: Tier) -> str:
        return str(
            _("%(name)s (up to %(limit)s)") % {"name": obj.name, "limit": money(obj.max_amount)}
        )


class AimsForm(forms.ModelForm[FundingRequest]):
    """Step 2: aims, target group, topic, region and the strategy goals the project serves."""

    goals = GoalChoiceField(
        label=_("Strategy goals the project serves"),
        queryset=Goal.objects.none(),
        required=False,
    )

    class Meta:
        model = FundingRequest
        fields = ["aims", "target_group", "topic", "region"]
        widgets = {"aims": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = Region.objects.filter(state_id=self.instance.programme.state_id)
        goal_field = self.fields["goals"]
        assert isinstance(goal_field, forms.ModelMultipleChoiceField)
        goal_field.queryset = goals


class PeriodForm(forms.ModelForm[FundingRequest]):
    """Step 3: the project period and, where the programme allows it, an early start."""

    class Meta:
        model = FundingRequest
        fields = ["start_date", "end_date", "early_start"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.programme.allows_early_start:
            del self.fields["early_start"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project cannot end before it starts."))
        return data


class CostLineForm(forms.Form):
    """One line of the cost plan."""

    category = forms.ChoiceField(
        label=_("Category"), choices=(), widget=forms.Select(attrs={"class": "form-select"})
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    amount = MoneyField(
        label=_("Amount (€)"),
        minimum=CENT,
        widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, categories: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(c, CostCategory(c).label) for c in categories if c in CostCategory.values]
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "---------"), *choices]


class BaseCostLineFormSet(forms.BaseFormSet[CostLineForm]):
    def __init__(self, *args: Any, categories: Sequence[str] = (), **kwargs: Any) -> None:
        self.categories = list(categories)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "categories": self.categories}

    def add_fields(self, form: CostLineForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def lines(self) -> list[dict[str, Any]]:
        """The filled rows that are not marked for removal."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def cost_line_formset(extra: int) -> type[BaseCostLineFormSet]:
    return forms.formset_factory(  # type: ignore[return-value]
        CostLineForm,
        formset=BaseCostLineFormSet,
        extra=extra,
        can_delete=True,
        max_num=200,
        validate_max=True,
    )


class FinancingForm(forms.ModelForm[FundingRequest]):
    """Step 5: tier, own contribution and third-party funds (the requested amount follows)."""

    own_contribution = MoneyField(label=_("Own contribution (€)"))
    third_party_funds = MoneyField(
        label=_("Third-party funds (€)"),
        required=False,
        help_text=_("Grants or donations from others for this project."),
    )

    class Meta:
        model = FundingRequest
        fields = ["tier", "own_contribution", "third_party_funds"]
        field_classes = {"tier": TierChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tier = self.fields["tier"]
        assert isinstance(tier, forms.ModelChoiceField)
        tier.queryset = Tier.objects.filter(programme_id=self.instance.programme_id)

    def clean_third_party_funds(self) -> Decimal:
        return self.cleaned_data.get("third_party_funds") or Decimal("0.00")


def _tier_label(tier: Tier) -> str:
    from .formatting import money

    return str(
        _("%(name)s (up to %(limit)s)") % {"name": tier.name, "limit": money(tier.max_amount)}
    )


def validate_attachment(upload: UploadedFile[bytes]) -> None:
    """Documents and pictures, checked by their content (core.uploads), within the size limit."""
    check_upload(upload, DOCUMENTS)


def validate_conditions_file(upload: UploadedFile[bytes]) -> None:
    """The general conditions are appended to the letter: a PDF, checked by its content."""
    check_upload(upload, frozenset({PDF}))


def validate_receipt_file(upload: UploadedFile[bytes]) -> None:
    """A receipt is a scan or photo (PDF or picture), checked by its content."""
    check_upload(upload, RECEIPTS)


class AttachmentForm(forms.Form):
    """Step 6: one document with a title."""

    title = forms.CharField(label=_("Title of the document"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=upload_help_text(DOCUMENTS),
        validators=[validate_attachment],
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
