"""Forms of the working groups: the group, an expert's invitation, a meeting, the result."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.uploads import DOCUMENTS, UploadValidator, upload_help_text
from councils.models import User
from strategy.goal_picker import GoalChoiceField
from strategy.models import Goal

from ..models import WorkingGroup, WorkingGroupStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class WorkingGroupForm(forms.ModelForm[WorkingGroup]):
    """Topic, mandate, dates, lead, the council's members and the strategy goals."""

    lead = PersonChoiceField(
        label=_("Lead"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— nobody yet —"),
    )
    members = PeopleChoiceField(
        label=_("Members of the council"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People of other organisations are invited by e-mail on the group's page."),
    )
    goals = GoalChoiceField(
        label=_("Strategy goals the group serves"), queryset=Goal.objects.none(), required=False
    )

    class Meta:
        model = WorkingGroup
        fields = ["topic", "mandate", "starts_on", "planned_end", "lead", "members"]
        widgets = {
            "starts_on": DateInput(),
            "planned_end": DateInput(),
            "mandate": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self,
        *args: Any,
        people: QuerySet[User],
        leads: QuerySet[User],
        goals: QuerySet[Goal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        lead = self.fields["lead"]
        assert isinstance(lead, forms.ModelChoiceField)
        lead.queryset = leads
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = people
        goal_field = self.fields["goals"]
        assert isinstance(goal_field, forms.ModelMultipleChoiceField)
        goal_field.queryset = goals

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The planned end cannot be before the start."))
        return data

    def _post_clean(self) -> None:
        """The service validates the model; the form only checks its own fields."""


class ExpertInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the expert"),
        max_length=254,
        help_text=_(
            "A person of another organisation of the state (e.g. an NGO), who then sees this "
            "group only."
        ),
    )


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.FileField(
        label=_("Minutes (optional)"),
        required=False,
        help_text=upload_help_text(DOCUMENTS),
        validators=[UploadValidator(DOCUMENTS)],
    )


class ResultForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the result"),
        max_length=200,
        help_text=_("For example: Action concept road safety 2027"),
    )
    file = forms.FileField(
        label=_("Result document"),
        help_text=upload_help_text(DOCUMENTS),
        validators=[UploadValidator(DOCUMENTS)],
    )


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label=_("Note (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WorkingGroupFilterForm(forms.Form):
    """The list's filters and sorting (all optional, read from the query string)."""

    SORTS = {
        "end": ("planned_end", "pk"),
        "-end": ("-planned_end", "-pk"),
        "topic": ("topic", "pk"),
        "start": ("starts_on", "pk"),
    }

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *WorkingGroupStatus.choices, ("overdue", _("Overdue"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("end", _("Planned end, earliest first")),
            ("-end", _("Planned end, latest first")),
            ("topic", _("Topic")),
            ("start", _("Start")),
        ],
    )
