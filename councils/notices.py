"""Notifications to the person whose seat a council's keeper changed, in the reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from notifications.messages import translatable
from notifications.services import notification_create

from .models import Affiliation, Position, Role

if TYPE_CHECKING:
    from .models import Membership, User


def _seat_url(membership: Membership) -> str:
    organisation = membership.organisation
    if organisation.is_council:
        return reverse("councils:council_roster", kwargs={"pk": organisation.pk})
    return organisation.get_absolute_url()


def _notify(membership: Membership, kind: str, subject: str, body: str, by: User | None) -> None:
    """Tell the seat's holder after the commit, unless they made the change themselves."""
    if by is not None and by.pk == membership.user_id:
        return
    recipient = membership.user
    organisation = membership.organisation.name
    params = {
        "organisation": organisation,
        "role": Role(membership.role).label,
        "position": Position(membership.position).label,
        "affiliation": Affiliation(membership.affiliation).label,
        "start": membership.start_date,
        "end": membership.end_date,
    }
    url = _seat_url(membership)
    transaction.on_commit(
        lambda: notification_create(
            recipient=recipient,
            kind=f"councils.{kind}",
            subject=translatable(subject, organisation=organisation),
            body=translatable(body, **params),
            url=url,
        )
    )


def tell_membership_changed(membership: Membership, *, by: User | None) -> None:
    if membership.end_date is None:
        body = gettext_noop(
            "Your membership in %(organisation)s now reads: role %(role)s, position "
            "%(position)s, affiliation %(affiliation)s, member since %(start)s."
        )
    else:
        body = gettext_noop(
            "Your membership in %(organisation)s now reads: role %(role)s, position "
            "%(position)s, affiliation %(affiliation)s, from %(start)s until %(end)s."
        )
    subject = gettext_noop("Your membership in %(organisation)s was changed")
    _notify(membership, "membership_changed", subject, body, by)


def tell_membership_ended(membership: Membership, *, by: User | None) -> None:
    _notify(
        membership,
        "membership_ended",
        gettext_noop("Your membership in %(organisation)s has ended"),
        gettext_noop(
            "Your membership in %(organisation)s (%(role)s) ended on %(end)s. You are now listed "
            "as a former member; your account and your other memberships stay as they are."
        ),
        by,
    )
