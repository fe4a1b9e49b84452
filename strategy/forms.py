"""Forms of the strategy tree; choices are limited to the strategy's own state network."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from councils.models import Organisation, StateNetwork

from .models import Audience, Goal, Level, MeasureStatus, Strategy
from .services import valid_parents


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class StrategyForm(forms.Form):
    """Title and audience of a strategy; on creation also its guiding goal (and state)."""

    state = forms.ModelChoiceField(
        label=_("State network"), queryset=StateNetwork.objects.none(), required=True
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    guiding_goal_title = forms.CharField(label=_("Guiding goal"), max_length=300)
    guiding_goal_description = forms.CharField(
        label=_("Description of the guiding goal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        states: Any = None,
        strategy: Strategy | None = None,
        **kwargs: Any,
    ) -> None:
        if strategy is not None:
            kwargs.setdefault("initial", {"title": strategy.title, "audience": strategy.audience})
        super().__init__(*args, **kwargs)
        if strategy is not None:
            # Editing a draft: the guiding goal is edited in the tree, the state never changes.
            for name in ("state", "guiding_goal_title", "guiding_goal_description"):
                del self.fields[name]
        elif states is None:
            del self.fields["state"]
        else:
            state_field = self.fields["state"]
            assert isinstance(state_field, forms.ModelChoiceField)
            state_field.queryset = states


def _parent_label(goal: Goal) -> str:
    return f"{goal.get_level_display()}: {goal.title}"


class GoalForm(forms.ModelForm[Goal]):
    """An item of the tree; the fields depend on its level, organisations on the state."""

    parent = forms.ModelChoiceField(label=_("Parent"), queryset=Goal.objects.none(), required=True)

    class Meta:
        model = Goal
        fields = [
            "title",
            "description",
            "responsible",
            "start_date",
            "end_date",
            "status",
            "weight",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "responsible": forms.SelectMultiple(attrs={"size": 8}),
            "start_date": _DateInput,
            "end_date": _DateInput,
        }

    def __init__(
        self,
        *args: Any,
        strategy: Strategy,
        parent: Goal | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        organisations = self.fields["responsible"]
        assert isinstance(organisations, forms.ModelMultipleChoiceField)
        organisations.queryset = Organisation.objects.filter(
            state_id=strategy.state_id, is_active=True
        ).order_by("name")
        organisations.help_text = _("Hold Ctrl (or Cmd) to choose several.")
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        if self.instance.pk:
            del self.fields["parent"]
            level = self.instance.level
        else:
            parent_field.queryset = strategy.goals.filter(level__lt=Level.MEASURE).order_by(
                "level", "position", "pk"
            )
            parent_field.label_from_instance = _parent_label  # type: ignore[method-assign,assignment]
            if parent is not None:
                parent_field.initial = parent.pk
                parent_field.widget = forms.HiddenInput()
                level = parent.level + 1
            else:
                level = -1  # not known yet: offer every field
        self.level = level
        status = self.fields["status"]
        if level == Level.MEASURE:
            status.required = True
            assert isinstance(status, forms.ChoiceField)
            status.choices = MeasureStatus.choices
            if not self.instance.pk:
                status.initial = MeasureStatus.PLANNED
        elif level >= 0:
            del self.fields["status"]
        else:
            status.help_text = _("Measures only.")
        if level == Level.GUIDING_GOAL:
            del self.fields["weight"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot be before the start."))
        parent: Goal | None = cleaned.get("parent")
        if "status" in self.fields and parent is not None and parent.level + 1 != Level.MEASURE:
            cleaned["status"] = ""
        return cleaned

    def item_fields(self) -> dict[str, Any]:
        """The cleaned values the services take as item fields."""
        names = ("title", "description", "start_date", "end_date", "status", "weight")
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class GoalMoveForm(forms.Form):
    """A new parent for an item: a goal of the same strategy exactly one level above."""

    parent = forms.ModelChoiceField(label=_("New parent"), queryset=Goal.objects.none())

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        # Any goal of the strategy is accepted here, so that the service explains a wrong one.
        parent_field.queryset = Goal.objects.filter(strategy_id=goal.strategy_id)
        parent_field.initial = goal.parent_id
        self.choices = list(valid_parents(goal))
