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

from councils.choosers import ChooserField, MultipleChooserField, connect_chooser, search_field
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


#: A person is found by any part of the name, the username or the e-mail address.
PERSON_SEARCH = ("first_name", "last_name", "username", "email")
PERSON_ORDER = ("last_name", "first_name", "username")


def _person_label(obj: Any) -> str:
    name = obj.get_full_name() or obj.username
    return f"{name} ({obj.email})" if obj.email else str(name)


class _PersonChoice(ChooserField):
    """One person among the thousands of a state network: a search and at most 20 matches."""

    def label_from_instance(self, obj: Any) -> str:
        return _person_label(obj)


class _PeopleChoice(MultipleChooserField):
    """Several people among the thousands of a state network."""

    def label_from_instance(self, obj: Any) -> str:
        return _person_label(obj)


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


#: The name of the button that shows the matches of the search without saving.
SEARCH_ACTION = "search"


class StartReviewForm(forms.Form):
    """The formal check passed: choose who reviews (may be left for later).

    The state network has thousands of people: the page shows the ticked ones and the matches
    of a search (its own button, which saves nothing), not a checkbox for everyone.
    """

    reviewers_search = search_field(_("Search people by name or e-mail address"))
    reviewers = _PeopleChoice(
        label=_("Reviewers"),
        queryset=User.objects.none(),
        required=False,
        search_fields=PERSON_SEARCH,
        ordering=PERSON_ORDER,
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewers"]
        assert isinstance(field, MultipleChooserField)
        field.queryset = candidates
        if self.is_bound:
            field.search = self.data.get("reviewers_search", "")
            field.chosen = list(self.data.getlist("reviewers"))  # type: ignore[attr-defined]
        field.offered()
        field.help_text = "{} {}".format(
            _("State staff or experts of other organisations of the state network."),
            field.status,
        )

    @property
    def searching(self) -> bool:
        """The search button was pressed: show the matches, save nothing."""
        return self.is_bound and self.data.get("action") == SEARCH_ACTION

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned.pop("reviewers_search", None)
        return cleaned


class ReviewerAssignForm(forms.Form):
    """One more reviewer, chosen by a name search (htmx suggestions while one types)."""

    reviewer_search = search_field(_("Search people by name or e-mail address"))
    reviewer = _PersonChoice(
        label=_("Reviewer"),
        queryset=User.objects.none(),
        empty_label=_("Choose a person"),
        search_fields=PERSON_SEARCH,
        ordering=PERSON_ORDER,
    )

    def __init__(
        self,
        *args: Any,
        candidates: QuerySet[User],
        suggest_url: str | None = None,
        choose_from: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates  # type: ignore[attr-defined]
        values = self.data if self.is_bound else (choose_from or {})
        connect_chooser(self, "reviewer_search", "reviewer", values, suggest_url)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.pop("reviewer_search", "") and "reviewer" in self.errors:
            # Without JavaScript the search narrows the select on the next page.
            self.errors["reviewer"] = self.error_class(
                [str(_("Choose the person among the matches of your search."))]
            )
        return cleaned


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
