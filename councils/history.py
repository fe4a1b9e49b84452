"""A council's history: every change of its seats, its profile and its invitations, newest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from .models import Invitation, Membership, Organisation

#: What the history compares between two versions of a seat.
SEAT_FIELDS = ("role", "position", "affiliation", "home_organisation", "start_date", "end_date")
#: What it compares between two versions of the council's profile.
PROFILE_FIELDS = (
    "name",
    "region",
    "area",
    "founded_on",
    "description",
    "contact_name",
    "email",
    "phone",
    "website",
    "logo",
    "public_description",
    "public_founded_on",
    "public_chair",
    "public_contact",
    "public_logo",
    "is_active",
)


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    """One line of the history: when, who, about what, and what changed."""

    when: datetime
    actor: Any
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _display(model: type[models.Model], name: str, value: Any) -> str:
    model_field = _field(model, name)
    if value in (None, ""):
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "isoformat") and not isinstance(value, datetime):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if name == "description" and len(str(value)) > 80:
        return str(value)[:77] + "…"
    return str(value)


def _changes(model: type[models.Model], names: tuple[str, ...], old: Any, new: Any) -> list[Change]:
    found = []
    for name in names:
        model_field = _field(model, name)
        attname = model_field.attname
        if getattr(old, attname) != getattr(new, attname):
            # A related object (the region) is shown by its name, not its id.
            before, after = getattr(old, name), getattr(new, name)
            found.append(
                Change(
                    str(model_field.verbose_name),
                    _display(model, name, before),
                    _display(model, name, after),
                )
            )
    return found


def _versions(records: list[Any], model: type[models.Model], names: tuple[str, ...]) -> list[Entry]:
    """Entries from simple-history records of one or several objects (grouped by id)."""
    entries: list[Entry] = []
    previous: dict[int, Any] = {}
    actions = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        changes = _changes(model, names, before, record) if before is not None else []
        previous[record.id] = record
        if record.history_type == "~" and not changes:
            continue
        subject = str(record.user) if model is Membership else str(record.name)
        entries.append(
            Entry(
                record.history_date,
                record.history_user,
                subject,
                actions.get(record.history_type, record.history_type),
                changes,
            )
        )
    return entries


def council_history(council: Organisation) -> list[Entry]:
    """Every recorded change of the council, newest first (a few queries, whatever the size)."""
    seats = list(
        Membership.history.filter(organisation_id=council.pk).select_related("user", "history_user")
    )
    profile = list(
        Organisation.history.filter(id=council.pk).select_related("region", "history_user")
    )
    entries = _versions(seats, Membership, SEAT_FIELDS)
    entries += _versions(profile, Organisation, PROFILE_FIELDS)
    for invitation in Invitation.objects.filter(organisation=council).select_related("invited_by"):
        entries.append(
            Entry(
                invitation.created_at,
                invitation.invited_by,
                invitation.email,
                _("invited as %(role)s") % {"role": invitation.get_role_display()},
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries
