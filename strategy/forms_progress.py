"""Forms of indicators, measured values, progress reports and the measure filters."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from core.uploads import DOCUMENTS, check_upload, upload_help_text

from .models import Indicator, IndicatorValue, MeasureStatus, ProgressReport, Strategy

#: Evidence files a report may carry.

_NUMBER_WITH_SUFFIX = re.compile(r"^\s*([+-]?\d[\d.,]*)\s*(.*?)\s*$")
_GERMAN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


class NumberError(ValueError):
    """The text is not a number."""


def parse_number(text: str) -> tuple[Decimal, str]:
    """A number typed in German or English notation, and whatever follows it (a unit)."""
    match = _NUMBER_WITH_SUFFIX.match(text or "")
    if not match:
        raise NumberError(text)
    number, suffix = match.groups()
    if "," in number:
        number = number.replace(".", "").replace(",", ".")
    elif _GERMAN_THOUSANDS.match(number):
        number = number.replace(".", "")
    try:
        value = Decimal(number)
    except InvalidOperation as exc:
        raise NumberError(text) from exc
    if not value.is_finite():
        raise NumberError(text)
    return value, suffix


class LocalDecimalField(forms.CharField):
    """A decimal typed with a comma or a point, without a unit."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            number, suffix = parse_number(text)
        except NumberError as exc:
            raise ValidationError(_("Enter a number."), code="invalid") from exc
        if suffix:
            raise ValidationError(_("Enter a number."), code="invalid")
        return number


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class IndicatorForm(forms.ModelForm[Indicator]):
    """Name, unit, baseline and target of an indicator; the target date follows the baseline's."""

    baseline = LocalDecimalField(label=_("Baseline"))
    target = LocalDecimalField(label=_("Target"))

    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "baseline_date", "target", "target_date"]
        widgets = {"baseline_date": _DateInput(), "target_date": _DateInput()}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        baseline_date, target_date = data.get("baseline_date"), data.get("target_date")
        if baseline_date and target_date and target_date <= baseline_date:
            self.add_error("target_date", _("The target date must be after the baseline date."))
        return data


class IndicatorValueForm(forms.ModelForm[IndicatorValue]):
    """A measured value; a unit typed after the number must be the indicator's unit."""

    value = forms.CharField(
        label=_("Value"),
        max_length=60,
        help_text=_("A number; a decimal comma is fine."),
    )

    class Meta:
        model = IndicatorValue
        fields = ["value", "measured_on", "source"]
        widgets = {"measured_on": _DateInput()}

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["value"].help_text = _("A number in %(unit)s; a decimal comma is fine.") % {
            "unit": indicator.unit
        }

    def clean_value(self) -> Decimal:
        text = self.cleaned_data["value"]
        try:
            number, suffix = parse_number(text)
        except NumberError as exc:
            raise ValidationError(_("Enter a number."), code="invalid") from exc
        if suffix and suffix.casefold() != self.indicator.unit.strip().casefold():
            raise ValidationError(
                _("The value must be given in %(unit)s."),
                code="wrong_unit",
                params={"unit": self.indicator.unit},
            )
        return number


def validate_evidence(upload: UploadedFile[bytes]) -> None:
    """Documents and pictures, checked by their content (core.uploads), within the size limit."""
    check_upload(upload, DOCUMENTS)


class ProgressReportForm(forms.ModelForm[ProgressReport]):
    """Percent, status, a short text and an optional piece of evidence."""

    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)

    class Meta:
        model = ProgressReport
        fields = ["percent", "status", "text", "evidence"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = upload_help_text(DOCUMENTS)

    def clean_evidence(self) -> Any:
        evidence = self.cleaned_data.get("evidence")
        if isinstance(evidence, UploadedFile):
            validate_evidence(evidence)
        return evidence


_YES = (("", _("All")), ("yes", _("Yes")))


class MeasureFilterForm(forms.Form):
    """Filters of the state staff's list of measures."""

    strategy = forms.ModelChoiceField(
        label=_("Strategy"),
        queryset=Strategy.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *MeasureStatus.choices], required=False
    )
    overdue = forms.ChoiceField(label=_("Overdue"), choices=_YES, required=False)
    unassigned = forms.ChoiceField(
        label=_("Without responsible organisation"), choices=_YES, required=False
    )

    def __init__(self, *args: Any, strategies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = strategies  # type: ignore[attr-defined]
