"""The strategy-goal picker: a tree by strategy and level, without the repeated prefix."""

from __future__ import annotations

import re

import pytest
from django import forms

from strategy.goal_picker import GoalChoiceField, GoalTreeWidget
from strategy.models import Goal, Level
from tests.strategy.factories import GoalFactory, StrategyFactory

pytestmark = pytest.mark.django_db


class PickerForm(forms.Form):
    goals = GoalChoiceField(label="Strategieziele", queryset=Goal.objects.none(), required=False)


def _two_strategies() -> dict[str, Goal]:
    first = StrategyFactory(title="Kommunale Prävention")
    second = StrategyFactory(title="NGO-Strategie", state=first.state)
    guiding = GoalFactory(strategy=first, level=Level.GUIDING_GOAL, title="Leitziel A")
    strategic = GoalFactory(
        strategy=first, parent=guiding, level=Level.STRATEGIC_GOAL, title="Handlungsziel A1"
    )
    operational = GoalFactory(
        strategy=first, parent=strategic, level=Level.OPERATIONAL_GOAL, title="Operativ A1a"
    )
    measure = GoalFactory(
        strategy=first, parent=operational, level=Level.MEASURE, title="Maßnahme A1a-i"
    )
    other = GoalFactory(strategy=second, level=Level.GUIDING_GOAL, title="Leitziel B")
    return {
        "guiding": guiding,
        "strategic": strategic,
        "operational": operational,
        "measure": measure,
        "other": other,
    }


def _form(selected: list[int] | None = None) -> PickerForm:
    form = PickerForm(initial={"goals": selected or []})
    field = form.fields["goals"]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    field.queryset = (
        Goal.objects.select_related("strategy")
        .filter(strategy__title__in=["Kommunale Prävention", "NGO-Strategie"])
        .order_by("strategy__title", "level", "position", "pk")
    )
    return form


def test_the_picker_groups_the_goals_by_strategy_in_fieldsets():
    _two_strategies()
    html = str(_form()["goals"])

    legends = re.findall(r"<legend>([^<]+)</legend>", html)
    assert legends == ["Kommunale Prävention", "NGO-Strategie"]
    # The strategy is the legend, not a prefix repeated in every label.
    assert "Kommunale Prävention:" not in html
    assert html.count("Kommunale Prävention") == 1
    assert html.count('type="checkbox"') == 5


def test_the_goals_are_nested_under_their_parents_by_level():
    goals = _two_strategies()
    html = str(_form()["goals"])

    def position(goal: Goal) -> int:
        return html.index(f'value="{goal.pk}"')

    # Each level is one list deeper than its parent: the measure sits in the fourth nested list.
    first_fieldset = html[: html.index("NGO-Strategie")]
    assert first_fieldset.count("<ul>") == 4
    assert (
        position(goals["guiding"])
        < position(goals["strategic"])
        < position(goals["operational"])
        < position(goals["measure"])
        < position(goals["other"])
    )
    between = html[position(goals["guiding"]) : position(goals["measure"])]
    assert between.count("<ul>") == 3
    assert "(Measure)" in html or "(Maßnahme)" in html


def test_the_labels_are_the_titles_and_the_choice_is_kept():
    goals = _two_strategies()
    form = _form(selected=[goals["measure"].pk])
    html = str(form["goals"])

    label = re.search(r'<label class="form-check-label" for="[^"]+">Maßnahme A1a-i ', html)
    assert label is not None
    checked = re.search(rf'value="{goals["measure"].pk}"[^>]*checked', html)
    assert checked is not None
    assert re.search(rf'value="{goals["other"].pk}"[^>]*checked', html) is None


def test_the_search_box_is_hidden_until_the_script_shows_it():
    _two_strategies()
    html = str(_form()["goals"])

    assert re.search(r'<div class="goal-picker-search mb-2" hidden>', html)
    assert 'type="search"' in html
    assert "data-goal-picker" in html


def test_the_picker_validates_like_a_multiple_choice():
    goals = _two_strategies()
    form = PickerForm(data={"goals": [str(goals["measure"].pk), str(goals["other"].pk)]})
    field = form.fields["goals"]
    assert isinstance(field, forms.ModelMultipleChoiceField)
    field.queryset = Goal.objects.select_related("strategy").filter(pk__in=[goals["measure"].pk])

    assert not form.is_valid()
    assert "goals" in form.errors
    assert isinstance(field.widget, GoalTreeWidget)
    assert field.label_from_instance(goals["measure"]) == "Maßnahme A1a-i"


def test_the_funding_aims_step_and_the_report_form_use_the_picker():
    from exchange.forms_reports import ReportForm
    from funding.forms_requests import AimsForm

    assert isinstance(AimsForm.base_fields["goals"].widget, GoalTreeWidget)
    assert isinstance(ReportForm.base_fields["goals"].widget, GoalTreeWidget)
