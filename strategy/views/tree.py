"""Views of the strategy tree: strategies, goals and measures, moves, adoption and versions."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.fragments import lazy, lazy_values
from core.web import acting_user, parameter_id
from councils.models import StateNetwork
from councils.permissions import current_membership, is_state_staff

from .. import services
from ..forms import GoalForm, GoalMoveForm, StrategyForm
from ..history import goal_versions
from ..models import Goal, GoalLink, Level, Strategy, StrategyStatus
from ..permissions import get_goal_for_user, get_strategy_for_user
from ..progress import build_tree


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _editable_strategy(request: HttpRequest, pk: int) -> Strategy:
    """A draft the user may edit: 404 for another tenant, 403 without the role or when frozen."""
    strategy = get_strategy_for_user(request.user, pk, edit=True)
    if not strategy.is_editable:
        raise PermissionDenied
    return strategy


def _editable_goal(request: HttpRequest, pk: int) -> Goal:
    goal = get_goal_for_user(request.user, pk, edit=True)
    if not goal.strategy.is_editable:
        raise PermissionDenied
    return goal


def _creatable_states(request: HttpRequest) -> tuple[StateNetwork | None, bool]:
    """The state a new strategy belongs to, and whether the user chooses it (platform admin)."""
    user = request.user
    if user.is_authenticated and user.is_superuser:
        return None, True
    membership = current_membership(request)
    if membership is not None and is_state_staff(user, membership.organisation.state_id):
        return membership.organisation.state, False
    return None, False


def tree_goals(strategy: Strategy) -> list[Goal]:
    """All items of a strategy in one query, with their responsible organisations."""
    return list(strategy.goals.prefetch_related("responsible").order_by("level", "position", "pk"))


# Strategies ----------------------------------------------------------------------------------


@require_GET
@login_required
def strategy_list(request: HttpRequest) -> HttpResponse:
    """The strategies the user may read, grouped by state network and status."""
    strategies = (
        Strategy.objects.visible_to(request.user)
        .select_related("state")
        .order_by("state__name", "status", "title", "-version")
    )
    groups: OrderedDict[tuple[str, str], list[Strategy]] = OrderedDict()
    for strategy in strategies:
        groups.setdefault((strategy.state.name, strategy.get_status_display()), []).append(strategy)
    state, chooses = _creatable_states(request)
    return render(
        request,
        "strategy/strategy_list.html",
        {
            "groups": list(groups.items()),
            "can_create": bool(state or chooses),
            # The import writes into the state of a state-staff seat; platform admins have none.
            "can_import": state is not None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def strategy_create(request: HttpRequest) -> HttpResponse:
    """Start a draft strategy with its guiding goal."""
    state, chooses = _creatable_states(request)
    if state is None and not chooses:
        raise PermissionDenied
    form = StrategyForm(_post(request), states=StateNetwork.objects.all() if chooses else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            strategy = services.strategy_create(
                state=data["state"] if chooses else cast(StateNetwork, state),
                title=data["title"],
                audience=data["audience"],
                guiding_goal_title=data["guiding_goal_title"],
                guiding_goal_description=data["guiding_goal_description"],
                by=acting_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The draft strategy was created."))
            return redirect(strategy)
    return render(request, "strategy/strategy_form.html", {"form": form, "strategy": None})


@require_http_methods(["GET", "POST"])
@login_required
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the title and audience of a draft."""
    strategy = _editable_strategy(request, pk)
    form = StrategyForm(_post(request), strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_update(
                strategy=strategy,
                title=form.cleaned_data["title"],
                audience=form.cleaned_data["audience"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(strategy)
    return render(request, "strategy/strategy_form.html", {"form": form, "strategy": strategy})


@require_GET
@login_required
def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The tree with rolled-up progress, statuses, responsible organisations and periods."""
    strategy = get_strategy_for_user(request.user, pk)
    is_staff = is_state_staff(request.user, strategy.state_id)
    # Lazy: the tree is a cached fragment (core.fragments), computed on a miss only.
    versions = lazy_values(_versions, strategy, is_staff, names=("can_new_version", "successor"))
    return render(
        request,
        "strategy/strategy_detail.html",
        {
            "strategy": strategy,
            "roots": lazy(_tree, strategy),
            "can_edit": is_staff and strategy.is_editable,
            "can_adopt": is_staff and strategy.status == StrategyStatus.DRAFT,
            **versions,
            "measure_level": Level.MEASURE,
            "status_changes": lazy(list, strategy.status_changes.select_related("by"))
            if is_staff
            else None,
        },
    )


def _tree(strategy: Strategy) -> list[Any]:
    return build_tree(tree_goals(strategy))


def _versions(strategy: Strategy, is_staff: bool) -> dict[str, Any]:
    """Whether staff may start a new version, and the next version the user may see."""
    successor = Strategy.objects.filter(predecessor=strategy).first()
    return {
        "can_new_version": is_staff
        and strategy.status == StrategyStatus.ADOPTED
        and successor is None,
        # A draft successor is shown to state staff only.
        "successor": successor
        if successor is not None and (is_staff or successor.status != StrategyStatus.DRAFT)
        else None,
    }


@require_http_methods(["GET", "POST"])
@login_required
def strategy_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm and adopt a draft; the previously adopted version is archived."""
    strategy = _editable_strategy(request, pk)
    if request.method == "POST":
        try:
            services.strategy_adopt(strategy=strategy, user=acting_user(request))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect(strategy)
        messages.success(request, _("The strategy was adopted. This version is now frozen."))
        return redirect(strategy)
    previous = strategy.predecessor
    while previous is not None and previous.status != StrategyStatus.ADOPTED:
        previous = previous.predecessor
    return render(
        request, "strategy/strategy_adopt.html", {"strategy": strategy, "previous": previous}
    )


@require_POST
@login_required
def strategy_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new draft version as a copy of an adopted strategy."""
    strategy = get_strategy_for_user(request.user, pk, edit=True)
    try:
        copy = services.strategy_new_version(strategy=strategy, by=acting_user(request))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(strategy)
    messages.success(
        request, _("Version %(version)s was started as a draft.") % {"version": copy.version}
    )
    return redirect(copy)


@require_GET
@login_required
def strategy_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed from the previous version."""
    strategy = get_strategy_for_user(request.user, pk)
    comparison = services.strategy_compare(strategy)
    return render(
        request,
        "strategy/strategy_compare.html",
        {"strategy": strategy, "comparison": comparison},
    )


# Goals ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a goal or measure below a parent of a draft strategy."""
    strategy = _editable_strategy(request, pk)
    parent = None
    wanted = parameter_id(request.GET.get("parent"))
    if wanted is not None:
        parent = strategy.goals.filter(pk=wanted, level__lt=Level.MEASURE).first()
    form = GoalForm(_post(request), strategy=strategy, parent=parent)
    if request.method == "POST" and form.is_valid():
        responsible = form.cleaned_data.get("responsible", [])
        try:
            goal = services.goal_create(
                strategy=strategy,
                parent=form.cleaned_data["parent"],
                responsible=responsible,
                **form.item_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(level)s “%(title)s” was added.")
                % {"level": goal.get_level_display(), "title": goal.title},
            )
            return redirect(strategy)
    level_label = Level(parent.level + 1).label if parent is not None else _("Item")
    return render(
        request,
        "strategy/goal_form.html",
        {"form": form, "strategy": strategy, "parent": parent, "goal": None, "level": level_label},
    )


def prefetch_linked_objects(links: list[GoalLink]) -> None:
    """The linked objects, one query per kind, with the relations their names read.

    A model names those relations in ``str_related`` (an exchange report is called by its NGO
    and period), so a goal with many linked reports costs no query per report.
    """
    querysets = []
    for content_type in {link.content_type for link in links}:
        model = content_type.model_class()
        if model is not None:
            related = getattr(model, "str_related", ())
            querysets.append(model._default_manager.select_related(*related))
    prefetch_related_objects(links, GenericPrefetch("linked_object", querysets))


def _goal_details(request: HttpRequest, goal: Goal) -> dict[str, Any]:
    """What the goal's page shows besides the goal and its strategy."""
    links = list(goal.links.select_related("content_type"))
    prefetch_linked_objects(links)
    groups: OrderedDict[str, list[GoalLink]] = OrderedDict()
    for link in links:
        model = link.content_type.model_class()
        label = str(model._meta.verbose_name_plural) if model else link.content_type.model
        groups.setdefault(label, []).append(link)
    strategy = goal.strategy
    staff = is_state_staff(request.user, strategy.state_id)
    return {
        # Its own value: a lazy None is not None in the template.
        "show_history": staff,
        "versions": goal_versions(goal) if staff else [],
        "children": goal.children.order_by("position", "pk"),
        "responsible": goal.responsible.all(),
        "indicators": goal.indicators.all(),
        "link_groups": list(groups.items()),
        "can_edit": strategy.is_editable and staff,
    }


@require_GET
@login_required
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item with its description, children, indicators and what is linked to it."""
    goal = get_goal_for_user(request.user, pk)
    # Lazy: the content is a cached fragment (core.fragments), computed on a miss only.
    details = lazy_values(
        _goal_details,
        request,
        goal,
        names=(
            "show_history",
            "versions",
            "children",
            "responsible",
            "indicators",
            "link_groups",
            "can_edit",
        ),
    )
    return render(
        request,
        "strategy/goal_detail.html",
        {"goal": goal, "strategy": goal.strategy, "measure_level": Level.MEASURE, **details},
    )


@require_http_methods(["GET", "POST"])
@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an item of a draft strategy."""
    goal = _editable_goal(request, pk)
    form = GoalForm(_post(request), instance=goal, strategy=goal.strategy)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(
                goal=goal,
                responsible=form.cleaned_data.get("responsible", []),
                **form.item_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(goal)
    return render(
        request,
        "strategy/goal_form.html",
        {
            "form": form,
            "strategy": goal.strategy,
            "parent": goal.parent,
            "goal": goal,
            "level": goal.get_level_display(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm and delete an item with everything below it."""
    goal = _editable_goal(request, pk)
    strategy = goal.strategy
    if goal.level == Level.GUIDING_GOAL:
        messages.error(request, _("The guiding goal cannot be deleted."))
        return redirect(strategy)
    if request.method == "POST":
        count = services.goal_delete(goal=goal)
        messages.success(request, _("%(count)s item(s) were deleted.") % {"count": count})
        return redirect(strategy)
    return render(
        request,
        "strategy/goal_delete.html",
        {"goal": goal, "strategy": strategy, "below": len(services.descendant_ids(goal))},
    )


@require_http_methods(["GET", "POST"])
@login_required
def goal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an item up or down among its siblings, or below another parent."""
    goal = _editable_goal(request, pk)
    strategy = goal.strategy
    form = GoalMoveForm(_post(request), goal=goal)
    anchor = f"{reverse('strategy:strategy_detail', args=[strategy.pk])}#goal-{goal.pk}"
    if request.method == "POST":
        direction = request.POST.get("direction", "")
        if direction:
            before = goal.position
            try:
                moved = services.goal_move(goal=goal, direction=direction)
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
            else:
                if moved.position != before:
                    messages.success(request, _("The order was changed."))
            return redirect(anchor)
        if form.is_valid():
            try:
                services.goal_move(goal=goal, parent=form.cleaned_data["parent"])
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The item was moved."))
                return redirect(anchor)
    return render(
        request, "strategy/goal_move.html", {"goal": goal, "strategy": strategy, "form": form}
    )
