"""The strategy-goal picker: the goals to link, as a tree by strategy and level with a search.

Funding requests and exchange reports link goals of their state's adopted strategies. Instead of
one flat list of checkboxes whose labels repeat the strategy's title, the picker shows a fieldset
per strategy with the goals nested under their parents; a small script (static
``js/goal_picker.js``) adds a search box that filters the tree. Without the script every checkbox
stays usable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms

from .models import Goal, Strategy


@dataclass
class GoalNode:
    """One checkbox of the tree with the goals below it."""

    goal: Goal
    option: dict[str, Any]
    children: list[GoalNode] = field(default_factory=list)


@dataclass
class StrategyGroup:
    """The goals of one strategy, its top items first."""

    strategy: Strategy
    nodes: list[GoalNode] = field(default_factory=list)


def goal_tree(options: list[dict[str, Any]]) -> list[StrategyGroup]:
    """The options of the widget as trees, one per strategy, in the order of the options.

    An item whose parent is not among the options is shown at the top of its strategy.
    """
    nodes: dict[int, GoalNode] = {}
    for option in options:
        goal: Goal = option["value"].instance
        nodes[goal.pk] = GoalNode(goal=goal, option=option)
    groups: dict[int, StrategyGroup] = {}
    for node in nodes.values():
        parent = nodes.get(node.goal.parent_id) if node.goal.parent_id else None
        if parent is not None and parent.goal.strategy_id == node.goal.strategy_id:
            parent.children.append(node)
            continue
        group = groups.get(node.goal.strategy_id)
        if group is None:
            group = groups[node.goal.strategy_id] = StrategyGroup(strategy=node.goal.strategy)
        group.nodes.append(node)
    return list(groups.values())


class GoalTreeWidget(forms.widgets.ChoiceWidget):
    """Checkboxes for goals, nested by strategy and parent, in fieldsets with the strategy."""

    allow_multiple_selected = True
    input_type = "checkbox"
    template_name = "strategy/widgets/goal_tree.html"
    option_template_name = "django/forms/widgets/checkbox_option.html"
    #: The field's label becomes the legend of a fieldset around the tree.
    use_fieldset = True

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # the browser cannot require "at least one" of several checkboxes

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an unticked checkbox sends nothing: nothing sent means none chosen

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        """The legend labels the group; each checkbox has its own label."""
        if index is None:
            return ""
        return super().id_for_label(id_, index)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        attrs.pop("class", None)  # crispy's form-control belongs on no checkbox
        context = super().get_context(name, value, attrs)
        options = [
            option
            for _group, group_options, _index in context["widget"]["optgroups"]
            for option in group_options
        ]
        for option in options:
            option["attrs"]["class"] = "form-check-input"
        context["widget"]["strategies"] = goal_tree(options)
        return context


class GoalChoiceField(forms.ModelMultipleChoiceField[Goal]):
    """Goals to link, shown as a tree (the queryset selects each goal's strategy)."""

    widget = GoalTreeWidget

    def label_from_instance(self, obj: Goal) -> str:
        return obj.title
