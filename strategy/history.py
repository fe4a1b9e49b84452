"""The edit history of a goal or measure, read from its versions (django-simple-history)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import localize
from django.utils.text import Truncator

from councils.models import User

from .models import Goal, MeasureStatus

#: The fields an editor changes; progress comes from reports and has their own history.
EDITED_FIELDS = ("title", "description", "start_date", "end_date", "status", "weight")


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class GoalVersion:
    """One saved version: when, by whom, and what changed against the version before."""

    at: datetime.datetime
    by: User | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def is_first(self) -> bool:
        return not self.changes


def _shown(name: str, value: Any) -> str:
    if value in (None, ""):
        return "–"
    if name == "status" and value in MeasureStatus.values:
        return str(MeasureStatus(value).label)
    if isinstance(value, str):
        return Truncator(value).chars(120)
    return str(localize(value))


def goal_versions(goal: Goal, *, limit: int = 20) -> list[GoalVersion]:
    """The newest versions with a change to an edited field (one query).

    A goal written by bulk_create or COPY (the scale seed, an import) has no history record; it
    has no versions to show.
    """
    records = list(
        goal.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit * 3
        ]
    )
    labels = {
        name: str(getattr(Goal._meta.get_field(name), "verbose_name", name))
        for name in EDITED_FIELDS
    }
    versions: list[GoalVersion] = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if older is None:
            if newer.history_type == "+":
                versions.append(GoalVersion(newer.history_date, newer.history_user))
            break
        delta = newer.diff_against(older, included_fields=list(EDITED_FIELDS))
        if not delta.changes:
            continue
        changes = [
            FieldChange(labels[c.field], _shown(c.field, c.old), _shown(c.field, c.new))
            for c in delta.changes
        ]
        versions.append(GoalVersion(newer.history_date, newer.history_user, changes))
        if len(versions) == limit:
            break
    return versions
