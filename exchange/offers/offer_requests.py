"""Writes of the councils' requests for offers.

A request moves only through ``OfferRequest``'s state machine: every step locks the row, runs the
transition, is recorded as an ``OfferRequestEvent`` and is told to the other side after the commit.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from django_fsm import can_proceed

from core.transitions import fire
from councils.models import Organisation, Role, User
from councils.permissions import people_with_role
from notifications.messages import translatable
from notifications.services import Text, notify_many

from ..models import (
    OPEN_REQUESTS,
    PROVIDER_ROLES,
    Offer,
    OfferRequest,
    OfferRequestEvent,
)
from ..models import OfferRequestStatus as RS
from ..permissions import (
    is_provider_for,
    is_requester,
    requesting_councils,
)

#: The longest subject a notification holds.
SUBJECT_LENGTH = 200


# Who hears of a request ----------------------------------------------------------------------


def provider_people(offer: Offer) -> QuerySet[User]:
    """The active people who act for the offer's provider."""
    return people_with_role(*PROVIDER_ROLES, organisation=offer.provider_id)


def council_coordinators(council_id: int) -> QuerySet[User]:
    """The active coordinators of a council: they answer for its requests."""
    return people_with_role(Role.COUNCIL_COORDINATOR, organisation=council_id)


def _notify(
    recipients: QuerySet[User],
    offer_request: OfferRequest,
    kind: str,
    subject: Text,
    body: Text = "",
    *,
    exclude: User | None = None,
) -> None:
    """Queue one notification per recipient after the transaction commits."""
    if exclude is not None:
        recipients = recipients.exclude(pk=exclude.pk)
    people = list(recipients)
    url = offer_request.get_absolute_url()
    if isinstance(subject, str):
        subject = Truncator(subject).chars(SUBJECT_LENGTH)
    transaction.on_commit(
        lambda: notify_many(
            recipients=people, kind=f"exchange.{kind}", subject=subject, body=body, url=url
        )
    )


def _tell_council(
    offer_request: OfferRequest, kind: str, subject: Text, body: Text = "", by: User | None = None
) -> None:
    _notify(
        council_coordinators(offer_request.council_id),
        offer_request,
        kind,
        subject,
        body,
        exclude=by,
    )


def _tell_provider(
    offer_request: OfferRequest, kind: str, subject: Text, body: Text = "", by: User | None = None
) -> None:
    _notify(provider_people(offer_request.offer), offer_request, kind, subject, body, exclude=by)


# Requests ------------------------------------------------------------------------------------


def _fire(
    offer_request: OfferRequest,
    name: str,
    by: User,
    *,
    note: str = "",
    proposed_date: date | None = None,
) -> None:
    """Run a transition of the state machine, save the row and record the step."""
    fire(
        offer_request,
        name,
        log=OfferRequestEvent,
        by=by,
        reason=note,
        refused=pgettext(
            "offer request", "This step is not possible while the request is “%(status)s”."
        ),
        update_fields=["status", "proposed_date", "agreed_date", "updated_at"],
        proposed_date=proposed_date,
    )


def _lock(offer_request: OfferRequest) -> OfferRequest:
    """The request's row, locked until the transaction ends, with its current status."""
    return (
        OfferRequest.objects.select_for_update(of=("self",))
        .select_related("offer__provider", "offer__state", "council")
        .get(pk=offer_request.pk)
    )


@transaction.atomic
def offer_request_create(
    *,
    offer: Offer,
    council: Organisation,
    by: User,
    group: str,
    wished_date: date | None = None,
    note: str = "",
) -> tuple[OfferRequest, bool]:
    """A council coordinator asks for a published offer of the council's state.

    Returns the request and whether it is new: the same request sent twice (a double click)
    finds the open one instead of making a second.
    """
    councils = requesting_councils(by)
    if not councils:
        raise PermissionDenied
    if council.pk not in {c.pk for c in councils}:
        raise ValidationError({"council": _("Choose a council you coordinate.")})
    # The offer's row lock lets a second click wait for the first and then find its request.
    offer = (
        Offer.objects.select_for_update(of=("self",)).select_related("provider").get(pk=offer.pk)
    )
    if council.state_id != offer.state_id:
        raise ValidationError({"council": _("Choose a council of the offer's state.")})
    if not offer.is_active:
        raise ValidationError(_("This offer is not published; it cannot be requested."))
    if wished_date is not None and wished_date < timezone.localdate():
        raise ValidationError({"wished_date": _("Choose a date from today on.")})
    group, note = group.strip(), note.strip()
    if not group:
        raise ValidationError({"group": _("Say who takes part.")})
    same = (
        OfferRequest.objects.filter(
            offer=offer,
            council=council,
            status__in=OPEN_REQUESTS,
            group=group,
            wished_date=wished_date,
            note=note,
        )
        .order_by("pk")
        .first()
    )
    if same is not None:
        return same, False
    offer_request = OfferRequest(
        offer=offer,
        council=council,
        requested_by=by,
        wished_date=wished_date,
        group=group,
        note=note,
    )
    offer_request.full_clean(exclude=["status"])
    offer_request.save()
    OfferRequestEvent.record(
        offer_request, by=by, source="", target=offer_request.status, reason=note
    )
    body: Text = f"{council.name}: {group}"
    if wished_date:
        body = translatable(
            gettext_noop("%(council)s: %(group)s. Preferred date: %(date)s"),
            council=council.name,
            group=group,
            date=wished_date,
        )
    _tell_provider(
        offer_request,
        "offer_request_new",
        translatable(gettext_noop("New request for your offer: %(title)s"), title=offer.title),
        body,
        by,
    )
    return offer_request, True


def _require_provider(by: User, offer_request: OfferRequest) -> None:
    if not is_provider_for(by, offer_request):
        raise PermissionDenied


def _require_requester(by: User, offer_request: OfferRequest) -> None:
    if not is_requester(by, offer_request):
        raise PermissionDenied


@transaction.atomic
def offer_request_accept(*, offer_request: OfferRequest, by: User, note: str = "") -> OfferRequest:
    """The provider accepts the request on the council's preferred date."""
    offer_request = _lock(offer_request)
    _require_provider(by, offer_request)
    offer_request.agreed_date = offer_request.wished_date
    _fire(offer_request, "accept", by, note=note.strip())
    when = (
        translatable(
            gettext_noop("Agreed date: %(date)s. %(note)s"),
            date=offer_request.agreed_date,
            note=note.strip(),
        )
        if offer_request.agreed_date
        else translatable(
            gettext_noop("The provider will arrange the date with you. %(note)s"),
            note=note.strip(),
        )
    )
    _tell_council(
        offer_request,
        "offer_request_accepted",
        translatable(
            gettext_noop("Your request was accepted: %(title)s"), title=offer_request.offer.title
        ),
        when,
        by,
    )
    return offer_request


@transaction.atomic
def offer_request_propose_date(
    *, offer_request: OfferRequest, by: User, proposed_date: date | None, note: str = ""
) -> OfferRequest:
    """The provider proposes another date; it must lie in the future."""
    if proposed_date is None:
        raise ValidationError({"proposed_date": _("Give the date you propose.")})
    if proposed_date <= timezone.localdate():
        raise ValidationError({"proposed_date": _("Propose a date in the future.")})
    offer_request = _lock(offer_request)
    _require_provider(by, offer_request)
    if offer_request.status == RS.DATE_PROPOSED and offer_request.proposed_date == proposed_date:
        return offer_request  # the same proposal again: a double click
    offer_request.proposed_date = proposed_date
    _fire(offer_request, "propose_date", by, note=note.strip(), proposed_date=proposed_date)
    _tell_council(
        offer_request,
        "offer_request_date_proposed",
        translatable(
            gettext_noop("Another date was proposed for your request: %(title)s"),
            title=offer_request.offer.title,
        ),
        translatable(
            gettext_noop("Proposed date: %(date)s. %(note)s"),
            date=proposed_date,
            note=note.strip(),
        ),
        by,
    )
    return offer_request


@transaction.atomic
def offer_request_decline(*, offer_request: OfferRequest, by: User, reason: str) -> OfferRequest:
    """The provider declines the request and says why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline the request.")})
    offer_request = _lock(offer_request)
    _require_provider(by, offer_request)
    _fire(offer_request, "decline", by, note=reason)
    _tell_council(
        offer_request,
        "offer_request_declined",
        translatable(
            gettext_noop("Your request was declined: %(title)s"), title=offer_request.offer.title
        ),
        reason,
        by,
    )
    return offer_request


@transaction.atomic
def offer_request_accept_proposal(*, offer_request: OfferRequest, by: User) -> OfferRequest:
    """The council agrees to the date the provider proposed."""
    offer_request = _lock(offer_request)
    _require_requester(by, offer_request)
    offer_request.agreed_date = offer_request.proposed_date
    _fire(offer_request, "accept_proposal", by)
    _tell_provider(
        offer_request,
        "offer_request_proposal_accepted",
        translatable(
            gettext_noop("The council agreed to the proposed date: %(title)s"),
            title=offer_request.offer.title,
        ),
        translatable(
            gettext_noop("%(council)s: %(date)s"),
            council=offer_request.council.name,
            date=offer_request.agreed_date,
        ),
        by,
    )
    return offer_request


@transaction.atomic
def offer_request_withdraw(
    *, offer_request: OfferRequest, by: User, reason: str = ""
) -> OfferRequest:
    """The council no longer needs the offer."""
    offer_request = _lock(offer_request)
    _require_requester(by, offer_request)
    _fire(offer_request, "withdraw", by, note=reason.strip())
    _tell_provider(
        offer_request,
        "offer_request_withdrawn",
        translatable(
            gettext_noop("A request was withdrawn: %(title)s"), title=offer_request.offer.title
        ),
        "\n".join(part for part in (offer_request.council.name, reason.strip()) if part),
        by,
    )
    return offer_request


@transaction.atomic
def offer_request_finish(*, offer_request: OfferRequest, by: User, note: str = "") -> OfferRequest:
    """Either side records that the accepted offer took place."""
    offer_request = _lock(offer_request)
    provider, requester = is_provider_for(by, offer_request), is_requester(by, offer_request)
    if not (provider or requester):
        raise PermissionDenied
    _fire(offer_request, "finish", by, note=note.strip())
    subject = translatable(
        gettext_noop("The offer took place: %(title)s"), title=offer_request.offer.title
    )
    if provider:
        rate = translatable(gettext_noop("You can rate it now."))
        _tell_council(offer_request, "offer_request_done", subject, rate, by)
    if requester:
        _tell_provider(offer_request, "offer_request_done", subject, by=by)
    return offer_request


@transaction.atomic
def offer_request_rate(
    *, offer_request: OfferRequest, by: User, rating: int, comment: str = ""
) -> OfferRequest:
    """The council rates a finished request once (1 to 5 and a comment)."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    offer_request = _lock(offer_request)
    _require_requester(by, offer_request)
    if offer_request.status != RS.DONE:
        raise ValidationError(_("Only a request that took place can be rated."), code="status")
    if offer_request.rating is not None:
        raise ValidationError(_("This request has already been rated."), code="rated")
    offer_request.rating = rating
    offer_request.rating_comment = comment.strip()
    offer_request.save(update_fields=["rating", "rating_comment", "updated_at"])
    # The rating is a step of the history, though not a change of the status.
    OfferRequestEvent.record(
        offer_request,
        by=by,
        source=offer_request.status,
        target=offer_request.status,
        reason=offer_request.rating_comment,
    )
    _tell_provider(
        offer_request,
        "offer_request_rated",
        translatable(
            gettext_noop("Your offer was rated %(rating)s of 5: %(title)s"),
            rating=rating,
            title=offer_request.offer.title,
        ),
        offer_request.rating_comment,
        by,
    )
    return offer_request


def request_actions(user: User, offer_request: OfferRequest) -> frozenset[str]:
    """The steps the user may take on the request now (what its page offers)."""
    provider, requester = is_provider_for(user, offer_request), is_requester(user, offer_request)
    actions: set[str] = set()
    if provider:
        for name in ("accept", "propose_date", "decline"):
            if can_proceed(getattr(offer_request, name)):
                actions.add(name)
    if requester:
        for name in ("accept_proposal", "withdraw"):
            if can_proceed(getattr(offer_request, name)):
                actions.add(name)
        if offer_request.status == RS.DONE and offer_request.rating is None:
            actions.add("rate")
    if (provider or requester) and can_proceed(offer_request.finish):
        actions.add("finish")
    return frozenset(actions)
