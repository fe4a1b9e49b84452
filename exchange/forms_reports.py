"""Forms of the reporting periods and the exchange reports.

The forms only carry what the user may set: a report's status, NGO and period, and a period's
state after it exists, never come from a form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.uploads import DOCUMENTS, check_upload, upload_help_text
from councils.models import Region, StateNetwork
from councils.topics import Topic
from strategy.goal_picker import GoalChoiceField
from strategy.models import Goal

from .models import ExchangeReport, ReportingPeriod, ResourceKind
from .reports import MAX_RESOURCES, PERIOD_FIELDS, REPORT_TEXT_FIELDS, ResourceData

#: Files a report may carry, and their size limit.


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError at the fields it names (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# Reporting periods ---------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """Title and dates of a period; a new one also asks for the state when there is a choice."""

    state = forms.ModelChoiceField(label=_("State network"), queryset=StateNetwork.objects.none())
    title = forms.CharField(label=_("Title"), max_length=100, help_text=_("e.g. 1st half of 2026"))
    starts_on = forms.DateField(label=_("Period from"), widget=DateInput())
    ends_on = forms.DateField(label=_("Period until"), widget=DateInput())
    due_on = forms.DateField(
        label=_("Reports due on"),
        widget=DateInput(),
        help_text=_("Reminders go out two weeks before and once after this date."),
    )

    def __init__(
        self, *args: Any, states: QuerySet[StateNetwork] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if states is None or len(states) < 2:
            del self.fields["state"]
        else:
            state = self.fields["state"]
            assert isinstance(state, forms.ModelChoiceField)
            state.queryset = states

    @classmethod
    def initial_of(cls, period: ReportingPeriod) -> dict[str, Any]:
        return {name: getattr(period, name) for name in PERIOD_FIELDS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, due = data.get("starts_on"), data.get("ends_on"), data.get("due_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The period cannot end before it starts."))
        if start and due and due < start:
            self.add_error("due_on", _("The reports cannot be due before the period starts."))
        return data

    def period_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERIOD_FIELDS}


# Reports -------------------------------------------------------------------------------------


class ReportForm(forms.Form):
    """The texts, topics, regions and goals of a report, with the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    activities = forms.CharField(
        label=_("Activities"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What did your organisation do in the period? Required to submit."),
    )
    findings = forms.CharField(
        label=_("Experiences and findings"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What did you learn, what worked, what did not? Required to submit."),
    )
    needs = forms.CharField(
        label=_("Needs"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What would help your work: contacts, rooms, speakers, funding …"),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one topic is needed for the submission."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The regions the report is about."),
    )
    goals = GoalChoiceField(
        label=_("Strategy goals the work serves"),
        queryset=Goal.objects.none(),
        required=False,
    )

    def __init__(
        self, *args: Any, report: ExchangeReport, goals: QuerySet[Goal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        regions = self.fields["regions"]
        assert isinstance(regions, forms.ModelMultipleChoiceField)
        regions.queryset = Region.objects.filter(state_id=report.period.state_id).order_by("name")
        goal_field = self.fields["goals"]
        assert isinstance(goal_field, forms.ModelMultipleChoiceField)
        goal_field.queryset = goals

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in REPORT_TEXT_FIELDS}


class ResourceForm(forms.Form):
    """One resource the NGO offers to the network."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", "---------"), *ResourceKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class BaseResourceFormSet(forms.BaseFormSet[ResourceForm]):
    """The resources as rows that may all be left empty: an emptied row is simply dropped."""

    def initial_form_count(self) -> int:
        return 0

    def add_fields(self, form: ResourceForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def resources(self) -> list[ResourceData]:
        """The filled rows that are not marked for removal, in their order."""
        return [
            ResourceData(
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data.get("description", ""),
            )
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def resource_formset(extra: int) -> type[BaseResourceFormSet]:
    return forms.formset_factory(  # type: ignore[return-value]
        ResourceForm,
        formset=BaseResourceFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_RESOURCES,
        validate_max=True,
    )


RESOURCE_PREFIX = "resources"


def resource_initial(resources: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"kind": r.kind, "title": r.title, "description": r.description} for r in resources]


class SubmitForm(forms.Form):
    """The answer to the state office's question, when a returned report is resubmitted."""

    answer = forms.CharField(
        label=_("Your answer to the question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, resubmission: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not resubmission:
            del self.fields["answer"]


class ReturnForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the NGO"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The NGO sees the question and answers it when it submits the report again."),
    )


class AcceptForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the NGO (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def validate_attachment(upload: UploadedFile[bytes]) -> None:
    """Documents and pictures, checked by their content (core.uploads), within the size limit."""
    check_upload(upload, DOCUMENTS)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=upload_help_text(DOCUMENTS),
        validators=[validate_attachment],
    )
