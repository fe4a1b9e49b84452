"""Permission-matrix rules of the programme pages and the letter-template editor.

Every member of a state reads its programmes; its state staff (admin and staff) and platform
admins change them. Another state's programme answers 404. The letter templates belong to
the user's staff state: everyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from funding.models import Programme
from tests.access import LOGIN, Rule, everyone, signed_in
from tests.funding.factories import funding_world


def _readers() -> dict[str, int]:
    """A first-state programme: every member of the state reads it."""
    return everyone(200, anonymous=LOGIN, other_state_admin=404, other_state_coordinator=404)


def _other_readers() -> dict[str, int]:
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=200,
        other_state_admin=200,
        other_state_coordinator=200,
    )


def _editors() -> dict[str, int]:
    """A first-state programme: its staff change it, its other members get 403."""
    table = _readers()
    table.update(coordinator=403, member=403, ngo_representative=403, other_council_coordinator=403)
    return table


def _other_editors() -> dict[str, int]:
    table = _other_readers()
    table.update(other_state_coordinator=403)
    return table


def _staff_anywhere() -> dict[str, int]:
    """Pages of the user's own staff state: staff of either state and platform admins."""
    return signed_in(
        403, platform_admin=200, state_admin=200, state_staff=200, other_state_admin=200
    )


def _with_guideline(programme: Programme) -> dict[str, Any]:
    programme.guideline.save("richtlinie.pdf", ContentFile(b"%PDF-1.4 Richtlinie"), save=True)
    return {"pk": programme.pk}


ACCESS: dict[str, Rule] = {
    "funding:programme_list": Rule(own=signed_in(200)),
    "funding:programme_detail": Rule(
        own=_readers(),
        kwargs=lambda w: {"pk": funding_world(w).programme.pk},
        other=_other_readers(),
        other_kwargs=lambda w: {"pk": funding_world(w).other_programme.pk},
    ),
    "funding:programme_create": Rule(own=_staff_anywhere()),
    "funding:programme_edit": Rule(
        own=_editors(),
        kwargs=lambda w: {"pk": funding_world(w).programme.pk},
        other=_other_editors(),
        other_kwargs=lambda w: {"pk": funding_world(w).other_programme.pk},
    ),
    "funding:programme_guideline": Rule(
        own=_readers(),
        kwargs=lambda w: _with_guideline(funding_world(w).programme),
        other=_other_readers(),
        other_kwargs=lambda w: _with_guideline(funding_world(w).other_programme),
    ),
    "funding:letter_template_list": Rule(own=_staff_anywhere()),
    "funding:letter_template_edit": Rule(
        own=_staff_anywhere(), kwargs=lambda w: {"kind": "approval"}
    ),
    "funding:letter_template_reset": Rule(
        own=_staff_anywhere(), kwargs=lambda w: {"kind": "rejection"}
    ),
    "funding:letter_template_preview": Rule(
        own=_staff_anywhere(), kwargs=lambda w: {"kind": "approval"}
    ),
}
