"""Forms of the programme pages: a programme with its tiers, the list's filter, letter texts.

The state of a programme is never a free field: a new programme's state is the user's staff
state (a choice among them for staff of several states); committed and paid are not fields.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from core.uploads import DOCUMENTS, upload_help_text
from councils.filters import OrderingFilter
from councils.models import StateNetwork

from .forms_requests import (
    DateInput,
    MoneyField,
    parse_local_decimal,
    validate_attachment,
    validate_conditions_file,
)
from .models import CostCategory, FundingSource, LetterTemplate, Programme
from .programmes import PROGRAMME_FIELDS, TierData, letter_text_errors, rule_errors

CENT = Decimal("0.01")

TIERS_PREFIX = "tiers"
#: A programme has a handful of tiers; the limit keeps a forged form small.
MAX_TIERS = 20


class PercentField(forms.CharField):
    """A percentage from 0 to 100 typed with a comma or a point (only the digits 0-9), two
    places at most."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, Decimal):
            number = value
        else:
            text = str(value or "").replace("%", "").strip()
            if not text:
                return None
            try:
                number = parse_local_decimal(text)
            except ValidationError as exc:
                if exc.code == "digits":
                    raise
                raise ValidationError(_("Enter a number."), code="invalid") from exc
        if not Decimal(0) <= number <= Decimal(100):
            raise ValidationError(_("Enter a percentage between 0 and 100."), code="range")
        if number != number.quantize(CENT):
            raise ValidationError(_("Enter at most two decimal places."), code="places")
        return number.quantize(CENT)

    def run_validators(self, value: Any) -> None:
        """The length of the typed text was checked before it became a number."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return number_format(value.normalize(), use_l10n=True)
        return value


class ProgrammeForm(forms.ModelForm[Programme]):
    """Every rule of a programme; its tiers come in their own formset."""

    budget = MoneyField(
        label=_("Budget (€)"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    min_own_share = PercentField(
        label=_("Minimum own contribution (%)"),
        help_text=_(
            "Share of a project's total costs the applicant must carry. A change applies only "
            "to requests not yet decided."
        ),
    )
    four_eyes_threshold = MoneyField(
        label=_("Four-eyes threshold (€)"),
        help_text=_("Decisions above this amount need a second staff member."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    retained_share = PercentField(
        label=_("Retained until the proof of use (%)"),
        help_text=_(
            "Share of an approved grant paid only after the proof of use is checked. A change "
            "applies only to requests not yet decided; decided grants keep their share."
        ),
    )
    eligible_categories = forms.MultipleChoiceField(
        label=_("Eligible cost categories"),
        choices=CostCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one cost category.")},
    )
    # A plain file input: the stored file is not public, so there is no link to show.
    guideline = forms.FileField(
        label=_("Funding guideline"),
        required=False,
        max_length=300,
        widget=forms.FileInput,
        validators=[validate_attachment],
        help_text=upload_help_text(DOCUMENTS),
    )

    deviation_share = PercentField(
        label=_("Flagged deviation from the cost plan (%)"),
        help_text=_(
            "In the proof of use, a cost category whose receipts differ from the plan by more "
            "than this share is flagged."
        ),
    )
    conditions_file = forms.FileField(
        label=_("General conditions (PDF)"),
        required=False,
        max_length=300,
        widget=forms.FileInput,
        validators=[validate_conditions_file],
        help_text=_(
            "Optional: attached to every approval letter. Without a file the letter names the "
            "conditions by name and version."
        ),
    )

    class Meta:
        model = Programme
        fields = [*PROGRAMME_FIELDS, "guideline", "conditions_file"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "application_start": DateInput(),
            "deadline": DateInput(),
        }

    def __init__(
        self,
        *args: Any,
        states: Sequence[StateNetwork] = (),
        state: StateNetwork | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        #: The state of a new programme when the user runs programmes in one state only.
        self.state = self.instance.state if self.instance.pk else state
        if self.instance.pk is None and len(states) > 1:
            self.fields["state"] = forms.ModelChoiceField(
                label=_("State network"),
                queryset=StateNetwork.objects.filter(pk__in=[s.pk for s in states]).order_by(
                    "name"
                ),
                initial=state.pk if state else None,
            )
            self.order_fields(["state"])
        if self.instance.guideline:
            current = os.path.basename(str(self.instance.guideline.name))
            self.fields["guideline"].help_text = _(
                "Current file: %(name)s. Upload a new file to replace it."
            ) % {"name": escape(current)}
            self.fields["remove_guideline"] = forms.BooleanField(
                label=_("Remove the current guideline"), required=False
            )

        if self.instance.conditions_file:
            current = os.path.basename(str(self.instance.conditions_file.name))
            self.fields["conditions_file"].help_text = _(
                "Current file: %(name)s. Upload a new file to replace it."
            ) % {"name": escape(current)}
            self.fields["remove_conditions_file"] = forms.BooleanField(
                label=_("Remove the current conditions file"), required=False
            )

    def chosen_state(self) -> StateNetwork | None:
        """The state the programme belongs to: the fixed one or the one chosen."""
        if "state" in self.fields:
            return getattr(self, "cleaned_data", {}).get("state")
        return self.state

    def clean_eligible_categories(self) -> list[str]:
        chosen = set(self.cleaned_data["eligible_categories"])
        return [value for value in CostCategory.values if value in chosen]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        state = self.chosen_state()
        errors = rule_errors(
            state_id=state.pk if state else None,
            pk=self.instance.pk,
            title=data.get("title"),
            year=data.get("year"),
            application_start=data.get("application_start"),
            deadline=data.get("deadline"),
            budget=data.get("budget"),
            committed=self.instance.committed,
        )
        for field, messages in errors.items():
            self.add_error(field, messages)
        return data

    def rule_values(self) -> dict[str, Any]:
        """The cleaned rule fields, as the services take them."""
        return {name: self.cleaned_data[name] for name in PROGRAMME_FIELDS}


class TierForm(forms.Form):
    """One tier: its name and the largest amount a request of it may ask for."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label=_("Name"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    max_amount = MoneyField(
        label=_("Maximum amount (€)"),
        minimum=CENT,
        widget=forms.TextInput(attrs={"class": "form-control text-end", "inputmode": "decimal"}),
    )


class BaseTierFormSet(forms.BaseFormSet[TierForm]):
    """The tiers of a programme: at least one, each name once, only the programme's own ids."""

    def __init__(self, *args: Any, tier_ids: Collection[int] = (), **kwargs: Any) -> None:
        self.tier_ids = set(tier_ids)
        super().__init__(*args, **kwargs)

    def add_fields(self, form: TierForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def _kept_forms(self) -> list[forms.Form]:
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = self._kept_forms()
        if not kept:
            raise ValidationError(_("A programme needs at least one tier."))
        seen: set[str] = set()
        for form in kept:
            pk = form.cleaned_data.get("id")
            if pk is not None and pk not in self.tier_ids:
                raise ValidationError(_("Only this programme's tiers can be changed here."))
            key = form.cleaned_data["name"].strip().casefold()
            if key in seen:
                form.add_error("name", _("Each tier needs its own name."))
            seen.add(key)

    def tiers(self) -> list[TierData]:
        """The tiers to keep, as the services take them."""
        return [
            TierData(
                name=form.cleaned_data["name"].strip(),
                max_amount=form.cleaned_data["max_amount"],
                pk=form.cleaned_data.get("id"),
            )
            for form in self._kept_forms()
        ]


def tier_formset(
    data: Any = None,
    *,
    initial: list[dict[str, Any]] | None = None,
    tier_ids: Collection[int] = (),
    extra: int = 1,
) -> BaseTierFormSet:
    formset_class: type[BaseTierFormSet] = forms.formset_factory(  # type: ignore[assignment]
        TierForm,
        formset=BaseTierFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_TIERS,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix=TIERS_PREFIX, tier_ids=tier_ids)


def posted_values(form: forms.BaseForm) -> dict[str, Any]:
    """What the user typed into a bound form, as initial values of an unbound copy.

    Used to add a tier row without showing errors of a form the user has not finished;
    an uploaded file cannot be kept (browsers never fill a file input).
    """
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
        if not isinstance(field, forms.FileField)
    }


def posted_rows(formset: BaseTierFormSet) -> list[dict[str, Any]]:
    """The typed tier rows of a bound formset, without the blank ones."""
    rows = [posted_values(form) for form in formset.forms]
    return [row for row in rows if row.get("id") or row.get("name") or row.get("max_amount")]


class ProgrammeFilter(django_filters.FilterSet):
    """Filter and sort the programme list."""

    year = django_filters.ChoiceFilter(label=_("Year"), choices=(), empty_label=_("All years"))
    source = django_filters.ChoiceFilter(
        label=_("Source of funds"), choices=FundingSource.choices, empty_label=_("All sources")
    )
    open_now = django_filters.BooleanFilter(
        label=_("Only programmes open now"), method="filter_open_now", widget=forms.CheckboxInput
    )
    o = OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Newest year first"),
        fields=(
            ("title", "title"),
            ("year", "year"),
            ("budget", "budget"),
            ("remaining_amount", "remaining"),
            ("deadline", "deadline"),
        ),
        field_labels={
            "title": _("Title"),
            "year": _("Year"),
            "budget": _("Budget"),
            "remaining_amount": _("Remaining"),
            "deadline": _("Application deadline"),
        },
    )

    class Meta:
        model = Programme
        fields: list[str] = []

    def __init__(self, *args: Any, years: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in years]

    def filter_open_now(
        self, queryset: QuerySet[Programme], name: str, value: bool | None
    ) -> QuerySet[Programme]:
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(is_active=True, application_start__lte=today, deadline__gte=today)


class StateChoiceForm(forms.Form):
    """For staff of several states: whose letter templates to edit."""

    state = forms.ModelChoiceField(
        label=_("State network"), queryset=StateNetwork.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, states: Sequence[StateNetwork], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["state"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = StateNetwork.objects.filter(pk__in=[s.pk for s in states]).order_by("name")


class LetterTemplateForm(forms.ModelForm[LetterTemplate]):
    """The subject and text of a letter; invalid syntax and unknown placeholders are refused."""

    class Meta:
        model = LetterTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 22, "class": "font-monospace"})}
        help_texts = {
            "body": _(
                "Placeholders go in double braces, such as {{ projekt }}. "
                "A blank line starts a new paragraph."
            )
        }

    def _checked(self, name: str) -> str:
        text: str = self.cleaned_data[name]
        errors = letter_text_errors(text)
        if errors:
            raise ValidationError(errors)
        return text

    def clean_subject(self) -> str:
        return self._checked("subject")

    def clean_body(self) -> str:
        return self._checked("body")
