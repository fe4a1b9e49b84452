"""Writes of the strategy tree: strategies, goals, moves, adoption, versions and goal links."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.log import Action, record
from core.transitions import fire
from councils.models import Organisation, StateNetwork, User

from .models import (
    Goal,
    GoalLink,
    Indicator,
    Level,
    MeasureStatus,
    Strategy,
    StrategyStatus,
    StrategyStatusChange,
)

#: The fields of an item that goal_create and goal_update set.
GOAL_FIELDS = ("title", "description", "start_date", "end_date", "status", "weight")


def _title_taken() -> str:
    return _("The state network already has a strategy of this title.")


def _fire(
    strategy: Strategy, name: str, *, by: User | None, update_fields: list[str], reason: str = ""
) -> None:
    """Run a transition of the strategy's state machine, save it and record it."""
    fire(
        strategy,
        name,
        log=StrategyStatusChange,
        by=by,
        reason=reason,
        refused=_("This step is not possible while the strategy is “%(status)s”."),
        conflict=_("Someone else changed the strategy at the same moment. Please reload the page."),
        update_fields=update_fields,
    )


def _require_draft(strategy: Strategy) -> None:
    if not strategy.is_editable:
        raise ValidationError(_("An adopted or archived strategy cannot be changed."))


def _check_responsible(
    strategy: Strategy, responsible: Iterable[Organisation]
) -> list[Organisation]:
    organisations = list(responsible)
    if any(org.state_id != strategy.state_id for org in organisations):
        raise ValidationError(
            {"responsible": _("Choose organisations of the strategy's state network.")}
        )
    return organisations


def _check_fields(level: int, fields: dict[str, Any]) -> dict[str, Any]:
    """Clean the item fields: no negative weight, no end before start, status only on measures."""
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown goal fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    weight: Decimal | None = fields.get("weight")
    if weight is not None and weight < 0:
        errors["weight"] = _("The weight cannot be below zero.")
    start: date | None = fields.get("start_date")
    end: date | None = fields.get("end_date")
    if start and end and end < start:
        errors["end_date"] = _("The end cannot be before the start.")
    if errors:
        raise ValidationError(errors)
    cleaned = dict(fields)
    if "status" in cleaned:
        status = cleaned["status"]
        if level != Level.MEASURE:
            cleaned["status"] = ""
        elif status not in MeasureStatus.values:
            cleaned["status"] = MeasureStatus.PLANNED
    if level == Level.GUIDING_GOAL:
        cleaned.pop("weight", None)
    return cleaned


def _next_position(strategy: Strategy, parent: Goal | None) -> int:
    top = Goal.objects.filter(strategy=strategy, parent=parent).aggregate(top=Max("position"))
    return 0 if top["top"] is None else top["top"] + 1


# Strategies ----------------------------------------------------------------------------------


def strategy_create(
    *,
    state: StateNetwork,
    title: str,
    audience: str,
    guiding_goal_title: str,
    guiding_goal_description: str = "",
    by: User | None = None,
) -> Strategy:
    """Create a draft strategy (version 1) together with its guiding goal."""
    if not guiding_goal_title.strip():
        raise ValidationError({"guiding_goal_title": _("A strategy needs a guiding goal.")})
    if Strategy.objects.filter(state=state, title=title, version=1).exists():
        raise ValidationError(
            {"title": _("The state network already has a strategy of this title.")}
        )
    with transaction.atomic():
        strategy: Strategy = Strategy.objects.create(
            state=state, title=title, audience=audience, version=1
        )
        StrategyStatusChange.record(strategy, by=by, source="", target=strategy.status)
        Goal.objects.create(
            strategy=strategy,
            level=Level.GUIDING_GOAL,
            title=guiding_goal_title,
            description=guiding_goal_description,
        )
    return strategy


def strategy_update(*, strategy: Strategy, title: str, audience: str) -> Strategy:
    """Change the title and audience of a draft."""
    _require_draft(strategy)
    clash = Strategy.objects.filter(
        state_id=strategy.state_id, title=title, version=strategy.version
    )
    if clash.exclude(pk=strategy.pk).exists():
        raise ValidationError(
            {"title": _("The state network already has a strategy of this title.")}
        )
    with transaction.atomic():
        strategy.title = title
        strategy.audience = audience
        strategy.save(update_fields=["title", "audience"])
    return strategy


def strategy_adopt(*, strategy: Strategy, user: User) -> Strategy:
    """Adopt a draft: it is frozen, and the adopted version before it is archived."""
    with transaction.atomic():
        strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
        _require_draft(strategy)
        previous = strategy.predecessor
        while previous is not None:
            if previous.status == StrategyStatus.ADOPTED:
                reason = _("Version %(version)s was adopted.") % {"version": strategy.version}
                _fire(previous, "archive", by=user, reason=reason, update_fields=["status"])
            previous = previous.predecessor
        strategy.adopted_on = timezone.localdate()
        strategy.adopted_by = user
        _fire(strategy, "adopt", by=user, update_fields=["status", "adopted_on", "adopted_by"])
        record(Action.STRATEGY_ADOPTED, actor=user, state=strategy.state_id, target=strategy)
    return strategy


def strategy_new_version(*, strategy: Strategy, by: User | None = None) -> Strategy:
    """Start a draft copy of an adopted strategy: the tree, responsibilities and indicators."""
    with transaction.atomic():
        strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
        if strategy.status != StrategyStatus.ADOPTED:
            raise ValidationError(_("Only an adopted strategy can get a new version."))
        if Strategy.objects.filter(predecessor=strategy).exists():
            raise ValidationError(_("This version already has a successor; edit that one."))
        copy: Strategy = Strategy.objects.create(
            state_id=strategy.state_id,
            title=strategy.title,
            audience=strategy.audience,
            version=strategy.version + 1,
            predecessor=strategy,
        )
        StrategyStatusChange.record(
            copy,
            by=by,
            source="",
            target=copy.status,
            reason=_("New version of version %(version)s") % {"version": strategy.version},
        )
        old_goals = list(strategy.goals.order_by("level", "position", "pk"))
        new_by_old: dict[int, Goal] = {}
        for level in Level.values:
            batch = [
                Goal(
                    strategy=copy,
                    parent=new_by_old[goal.parent_id] if goal.parent_id else None,
                    level=goal.level,
                    position=goal.position,
                    title=goal.title,
                    description=goal.description,
                    start_date=goal.start_date,
                    end_date=goal.end_date,
                    status=goal.status,
                    weight=goal.weight,
                    progress=goal.progress,
                    copied_from=goal,
                )
                for goal in old_goals
                if goal.level == level
            ]
            for new in Goal.objects.bulk_create(batch):
                assert new.copied_from is not None
                new_by_old[new.copied_from.pk] = new
        through = Goal.responsible.through
        through.objects.bulk_create(
            through(goal_id=new_by_old[row.goal_id].pk, organisation_id=row.organisation_id)
            for row in through.objects.filter(goal__strategy=strategy)
        )
        Indicator.objects.bulk_create(
            Indicator(
                goal=new_by_old[indicator.goal_id],
                name=indicator.name,
                unit=indicator.unit,
                baseline=indicator.baseline,
                baseline_date=indicator.baseline_date,
                target=indicator.target,
                target_date=indicator.target_date,
            )
            for indicator in Indicator.objects.filter(goal__strategy=strategy)
        )
    return copy


# Goals ---------------------------------------------------------------------------------------


def goal_create(
    *,
    strategy: Strategy,
    parent: Goal,
    responsible: Iterable[Organisation] = (),
    **fields: Any,
) -> Goal:
    """Add an item one level below its parent, at the end of its siblings."""
    _require_draft(strategy)
    if parent.strategy_id != strategy.pk:
        raise ValidationError({"parent": _("Choose a parent of the same strategy.")})
    if parent.level >= Level.MEASURE:
        raise ValidationError({"parent": _("A measure cannot have items below it.")})
    level = parent.level + 1
    if level == Level.MEASURE:
        fields.setdefault("status", MeasureStatus.PLANNED)
    cleaned = _check_fields(level, fields)
    organisations = _check_responsible(strategy, responsible)
    with transaction.atomic():
        goal = Goal.objects.create(
            strategy=strategy,
            parent=parent,
            level=level,
            position=_next_position(strategy, parent),
            **cleaned,
        )
        goal.responsible.set(organisations)
    return goal


def goal_update(
    *, goal: Goal, responsible: Iterable[Organisation] | None = None, **fields: Any
) -> Goal:
    """Change an item's text, period, status, weight and responsible organisations."""
    _require_draft(goal.strategy)
    cleaned = _check_fields(goal.level, fields)
    organisations = None if responsible is None else _check_responsible(goal.strategy, responsible)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(goal, name, value)
        goal.save(update_fields=list(cleaned))
        if organisations is not None:
            goal.responsible.set(organisations)
    return goal


def descendant_ids(goal: Goal) -> set[int]:
    """The pks of every item below the goal (one query over the strategy)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in goal.strategy.goals.values_list("pk", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = [goal.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def goal_delete(*, goal: Goal) -> int:
    """Delete an item with everything below it; returns how many items went."""
    _require_draft(goal.strategy)
    if goal.level == Level.GUIDING_GOAL:
        raise ValidationError(_("The guiding goal cannot be deleted."))
    with transaction.atomic():
        count = 1 + len(descendant_ids(goal))
        goal.delete()
    return count


def valid_parents(goal: Goal) -> QuerySet[Goal]:
    """Where an item may move: goals of its strategy exactly one level above it."""
    if goal.level == Level.GUIDING_GOAL:
        return Goal.objects.none()
    return (
        Goal.objects.filter(strategy_id=goal.strategy_id, level=goal.level - 1)
        .select_related("parent")
        .order_by("parent__position", "parent_id", "position", "pk")
    )


def goal_move(*, goal: Goal, direction: str = "", parent: Goal | None = None) -> Goal:
    """Move an item up or down among its siblings, or below another parent (at the end)."""
    _require_draft(goal.strategy)
    if direction not in ("", "up", "down"):
        raise ValidationError({"direction": _("Move up or down.")})
    if parent is not None:
        if parent.strategy_id != goal.strategy_id:
            raise ValidationError({"parent": _("Choose a parent of the same strategy.")})
        if parent.pk == goal.pk or parent.pk in descendant_ids(goal):
            raise ValidationError({"parent": _("An item cannot move below itself.")})
        if parent.level != goal.level - 1:
            raise ValidationError(
                {"parent": _("Choose a parent exactly one level above the item.")}
            )
        with transaction.atomic():
            if parent.pk != goal.parent_id:
                goal.parent = parent
                goal.position = _next_position(goal.strategy, parent)
                goal.save(update_fields=["parent", "position"])
        return goal
    if not direction:
        raise ValidationError({"parent": _("Choose a new parent or a direction.")})
    with transaction.atomic():
        siblings = list(
            Goal.objects.select_for_update()
            .filter(strategy_id=goal.strategy_id, parent_id=goal.parent_id)
            .order_by("position", "pk")
        )
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == goal.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
            changed = [s for i, s in enumerate(siblings) if s.position != i]
            for i, sibling in enumerate(siblings):
                sibling.position = i
            Goal.objects.bulk_update(changed, ["position"])
        goal.refresh_from_db(fields=["position"])
    return goal


# Version comparison --------------------------------------------------------------------------


@dataclass
class ItemChange:
    """An item of both versions whose fields differ."""

    goal: Goal
    fields: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class VersionComparison:
    previous: Strategy | None
    added: list[Goal] = field(default_factory=list)
    removed: list[Goal] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _display(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _label(name: str) -> str:
    model_field = Goal._meta.get_field(name)
    return str(getattr(model_field, "verbose_name", name))


def _tree_goals(strategy: Strategy) -> list[Goal]:
    return list(
        strategy.goals.select_related("parent")
        .prefetch_related("responsible")
        .order_by("level", "position", "pk")
    )


def strategy_compare(strategy: Strategy) -> VersionComparison:
    """What changed from the previous version: items added, removed and changed."""
    previous = strategy.predecessor
    result = VersionComparison(previous=previous)
    if previous is None:
        return result
    old = {goal.pk: goal for goal in _tree_goals(previous)}
    new = _tree_goals(strategy)
    matched: set[int] = set()
    for goal in new:
        before = old.get(goal.copied_from_id) if goal.copied_from_id else None
        if before is None:
            result.added.append(goal)
            continue
        matched.add(before.pk)
        change = ItemChange(goal)
        for name in ("title", "description", "weight", "start_date", "end_date", "status"):
            was, now = getattr(before, name), getattr(goal, name)
            if was != now:
                label = _label(name)
                if name == "status":
                    was, now = before.get_status_display(), goal.get_status_display()
                change.fields.append((label, _display(was), _display(now)))
        was_orgs = sorted(org.name for org in before.responsible.all())
        now_orgs = sorted(org.name for org in goal.responsible.all())
        if was_orgs != now_orgs:
            change.fields.append(
                (
                    _label("responsible"),
                    ", ".join(was_orgs) or "–",
                    ", ".join(now_orgs) or "–",
                )
            )
        parent_before = before.parent_id
        parent_now = goal.parent.copied_from_id if goal.parent else None
        if parent_before != parent_now:
            change.fields.append(
                (
                    _label("parent"),
                    _display(before.parent),
                    _display(goal.parent),
                )
            )
        if change.fields:
            result.changed.append(change)
    result.removed = [goal for pk, goal in old.items() if pk not in matched]
    return result


# Links from other parts of the portal ---------------------------------------------------------


def goal_link_add(*, goal: Goal, obj: models.Model) -> GoalLink:
    """Link any object of the portal (funding request, exchange report, event) to a goal."""
    content_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        link, _created = GoalLink.objects.get_or_create(
            goal=goal, content_type=content_type, object_id=obj.pk
        )
    return link


def goal_link_remove(*, goal: Goal, obj: models.Model) -> bool:
    """Remove the link between the object and the goal; True when there was one."""
    content_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        deleted, _rows = GoalLink.objects.filter(
            goal=goal, content_type=content_type, object_id=obj.pk
        ).delete()
    return bool(deleted)


def goals_linked_to(obj: models.Model) -> QuerySet[Goal]:
    """The goals an object is linked to, with their strategy."""
    return (
        Goal.objects.linked_to(obj)
        .select_related("strategy")
        .order_by("strategy_id", "level", "position", "pk")
    )
