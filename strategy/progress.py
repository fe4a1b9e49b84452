"""Progress roll-up: computed from the whole tree on every read, never stored on parents.

A measure's progress is its latest report. A parent's progress is the weighted mean of its
children's; an item without a weight counts with weight 1, so a level without any weights is
the plain mean. Dropped measures, items of weight 0 and goals with nothing below them do not
count. Because nothing derived is stored, moving, deleting or re-weighting an item can never
leave a stale value behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .models import Goal, Level, MeasureStatus

ONE = Decimal("1")


@dataclass
class Node:
    goal: Goal
    children: list[Node] = field(default_factory=list)
    progress: Decimal | None = None

    @property
    def weight(self) -> Decimal:
        return ONE if self.goal.weight is None else self.goal.weight

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def build_tree(goals: Iterable[Goal]) -> list[Node]:
    """Nodes for goals loaded in one query (ordered by level and position), with progress."""
    nodes = {goal.pk: Node(goal) for goal in goals}
    roots: list[Node] = []
    for node in sorted(nodes.values(), key=lambda n: (n.goal.level, n.goal.position, n.goal.pk)):
        parent = nodes.get(node.goal.parent_id) if node.goal.parent_id else None
        (parent.children if parent else roots).append(node)
    for root in roots:
        _roll_up(root)
    return roots


def _roll_up(node: Node) -> Decimal | None:
    if node.goal.level == Level.MEASURE:
        dropped = node.goal.status == MeasureStatus.DROPPED
        node.progress = None if dropped else Decimal(node.goal.progress)
        for child in node.children:  # a measure has no children; keep the walk total anyway
            _roll_up(child)
        return node.progress
    counted = [
        (child.weight, value)
        for child in node.children
        if (value := _roll_up(child)) is not None and child.weight > 0
    ]
    total_weight = sum((weight for weight, _ in counted), Decimal(0))
    if not counted or total_weight == 0:
        node.progress = None
    else:
        weighted = sum((weight * value for weight, value in counted), Decimal(0))
        node.progress = (weighted / total_weight).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return node.progress
