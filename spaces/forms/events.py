"""Forms of the events: the event itself, its agenda and minutes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.uploads import DOCUMENTS, check_upload, upload_help_text
from strategy.goal_picker import GoalChoiceField
from strategy.models import Goal

from ..models import Event

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError at the fields it names (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class EventForm(forms.ModelForm[Event]):
    """What the organiser says about an event; the council and state come from the address."""

    goals = GoalChoiceField(
        label=_("Strategy goals the event serves"),
        queryset=Goal.objects.none(),
        required=False,
        help_text=_("Optional: the goals of the state strategy this event contributes to."),
    )

    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For online or hybrid events."),
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "description",
            "audience",
            "capacity",
            "registration_open",
            "goals",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "audience": _(
                "Council members only: your council and the state office. Network: everyone of "
                "the organisations of your state. Public: also in the public calendar."
            ),
            "registration_open": _("People can register until the event starts."),
        }

    def __init__(self, *args: Any, goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        goal_field = self.fields["goals"]
        assert isinstance(goal_field, forms.ModelMultipleChoiceField)
        goal_field.queryset = goals
        if not goals.exists():
            del self.fields["goals"]

    def event_fields(self) -> dict[str, Any]:
        """The cleaned values the services take (goals separately)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "goals"}


def validate_event_file(upload: Any) -> None:
    """Documents and pictures, checked by their content (core.uploads), within the size limit."""
    check_upload(upload, DOCUMENTS)


class EventFileForm(forms.Form):
    which = forms.ChoiceField(
        label=_("Document"),
        choices=[("agenda", _("Agenda")), ("minutes", _("Minutes"))],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=upload_help_text(DOCUMENTS),
        validators=[validate_event_file],
    )
