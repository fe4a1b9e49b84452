"""Forms of the state office's check, the review and the decision.

None of them carries a status, an approved amount or a tenant: the services take those from
the locked request. The amounts asked here are only the reviewer's recommendation and the
reduced amount of a decision, both checked again by the service.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from councils.models import User

from .forms_requests import MoneyField
from .models import Decision, Vote

CENT = Decimal("0.01")


def show_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError at the fields it names (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class _PersonChoice(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.email})" if obj.email else str(name)


class _PeopleChoice(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.email})" if obj.email else str(name)


class ReasonForm(forms.Form):
    """The reason for returning a request, or for not confirming a proposed decision."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )

    def __init__(self, *args: Any, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if help_text:
            self.fields["reason"].help_text = help_text


class StartReviewForm(forms.Form):
    """The formal check passed: choose who reviews (may be left for later)."""

    reviewers = _PeopleChoice(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("State staff or experts of other organisations of the state network."),
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = candidates  # type: ignore[attr-defined]


class ReviewerAssignForm(forms.Form):
    reviewer = _PersonChoice(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    """A reviewer's vote on the current submission."""

    vote = forms.ChoiceField(label=_("Vote"), choices=Vote.choices, widget=forms.RadioSelect)
    recommended_amount = MoneyField(
        label=_("Recommended amount (for a reduction)"),
        required=False,
        minimum=CENT,
        help_text=_("Only when you recommend a reduced amount."),
    )
    comment = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_(
            "Visible to the state office and the assigned reviewers, not to the applicant."
        ),
    )


class DecisionForm(forms.Form):
    """The decision; the amount is only asked for a reduction and checked by the service."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    amount = MoneyField(
        label=_("Reduced amount"),
        required=False,
        minimum=CENT,
        help_text=_(
            "Only for a reduced approval: the amount granted instead of the requested one."
        ),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Printed in the approval letter."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
        help_text=_("Required for a reduction or a rejection; printed in the letter."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the summary: apply this decision."),
        required=False,
    )

    def reduced_amount(self) -> Decimal | None:
        """The form's amount, and only for a reduction."""
        if self.cleaned_data.get("decision") != Decision.REDUCE:
            return None
        amount: Decimal | None = self.cleaned_data.get("amount")
        return amount
