"""Shared pieces of the request services: sums in cents, the state machine's log, notices."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from core.transitions import fire as fire_transition
from councils.models import STATE_ROLES, Organisation, Role, User
from councils.permissions import people_with_role
from notifications.services import Text, notify_many

from ..models import (
    FundingRequest,
    StatusChange,
)

CENT = Decimal("0.01")
#: What a money field of twelve digits holds.
LARGEST_AMOUNT = Decimal("9999999999.99")

#: The fields of the request that the applicant's steps set (everything else is computed).
PROJECT_FIELDS = (
    "title",
    "carrier_name",
    "carrier_contact",
    "carrier_street",
    "carrier_postcode",
    "carrier_city",
    "applicant_street",
    "applicant_postcode",
    "applicant_city",
    "description",
    "aims",
    "target_group",
    "topic",
    "region",
    "start_date",
    "end_date",
    "early_start",
)
FINANCING_FIELDS = ("tier", "own_contribution", "third_party_funds")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Recording and notifying ---------------------------------------------------------------------


def fire(request: FundingRequest, name: str, by: User | None, reason: str = "") -> None:
    """Run a transition of the state machine, save the status and record the change."""
    fire_transition(
        request,
        name,
        log=StatusChange,
        by=by,
        reason=reason,
        refused=_("This step is not possible while the request is “%(status)s”."),
        conflict=_("Someone else changed the request at the same moment. Please reload the page."),
    )


def lock(request: FundingRequest) -> FundingRequest:
    """The request's row, locked until the transaction ends, with its current status."""
    locked: FundingRequest = (
        FundingRequest.objects.select_for_update(of=("self",))
        .select_related("programme__state", "applicant")
        .get(pk=request.pk)
    )
    return locked


def staff_of(state_id: int) -> QuerySet[User]:
    """Active state staff and admins of a state network (in its active state office)."""
    return people_with_role(*STATE_ROLES, state=state_id)


def coordinators_of(organisation: Organisation) -> QuerySet[User]:
    return people_with_role(Role.COUNCIL_COORDINATOR, organisation=organisation)


def notify(
    recipients: Iterable[User], request: FundingRequest, kind: str, subject: Text, body: Text = ""
) -> None:
    """Queue a notification for each recipient after the transaction commits."""
    people = [user for user in recipients]
    url = reverse("funding:request_detail", kwargs={"pk": request.pk})
    transaction.on_commit(
        lambda: notify_many(
            recipients=people, kind=f"funding.{kind}", subject=subject, body=body, url=url
        )
    )


def notify_applicant(request: FundingRequest, kind: str, subject: Text, body: Text = "") -> None:
    notify(coordinators_of(request.applicant), request, kind, subject, body)


def notify_staff(
    request: FundingRequest, kind: str, subject: Text, body: Text = "", exclude: User | None = None
) -> None:
    people = staff_of(request.programme.state_id)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    notify(people, request, kind, subject, body)
