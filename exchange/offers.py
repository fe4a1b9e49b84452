"""Writes of the offer catalogue and of the councils' requests for offers.

Offers are kept by their provider's people (the state office's staff or an NGO's
representatives); the provider and the state are never taken from a form. A request moves
only through ``OfferRequest``'s state machine: every step locks the row, runs the transition,
is recorded as an ``OfferRequestEvent`` and is told to the other side after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext
from django_fsm import can_proceed

from core.transitions import fire
from councils.models import Organisation, Region, Role, User
from councils.permissions import people_with_role
from councils.topics import Topic
from notifications.messages import translatable
from notifications.services import Text, notify_many

from .models import (
    OPEN_REQUESTS,
    PROVIDER_ROLES,
    REPORT_PUBLISHED,
    Offer,
    OfferedResource,
    OfferKind,
    OfferRequest,
    OfferRequestEvent,
    OfferTopic,
    ResourceKind,
)
from .models import OfferRequestStatus as RS
from .permissions import (
    is_ngo_representative,
    is_provider_for,
    is_provider_member,
    is_requester,
    provider_organisations,
    requesting_councils,
)

#: The fields of an offer its provider sets in the form (provider, state and source never).
OFFER_FIELDS = (
    "kind",
    "title",
    "description",
    "audience",
    "statewide",
    "is_free",
    "cost",
    "contact_name",
    "contact_email",
    "contact_phone",
)

#: The kind of offer an offered resource of an exchange report becomes.
RESOURCE_OFFER_KINDS = {
    ResourceKind.SPEAKERS: OfferKind.SPEAKERS,
    ResourceKind.TRAINING: OfferKind.TRAINING,
    ResourceKind.MATERIAL: OfferKind.MATERIAL,
    ResourceKind.ROOMS: OfferKind.SUPPORT,
    ResourceKind.KNOW_HOW: OfferKind.ADVICE,
}

#: The longest subject a notification holds.
SUBJECT_LENGTH = 200


class ResourceAlreadyOffered(ValidationError):
    """The resource became an offer before; ``offer`` is that offer."""

    def __init__(self, offer: Offer) -> None:
        super().__init__(
            _("An offer was already made from this resource: “%(title)s”.")
            % {"title": offer.title},
            code="already_offered",
        )
        self.offer = offer


# Offers --------------------------------------------------------------------------------------


def _regions_of_state(state_id: int, statewide: bool, regions: Iterable[Region]) -> list[Region]:
    """The regions an offer names; none when it is available statewide."""
    chosen = list(regions)
    if any(region.state_id != state_id for region in chosen):
        raise ValidationError({"regions": _("Choose regions of the offer's state.")})
    if statewide:
        return []
    if not chosen:
        raise ValidationError(
            {
                "regions": _(
                    "Choose the regions where the offer is available, "
                    "or mark it as available statewide."
                )
            }
        )
    return chosen


def _topics(topics: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(topics))
    if any(topic not in Topic.values for topic in chosen):
        raise ValidationError({"topics": _("Choose topics from the list.")})
    return chosen


def _check_offer(offer: Offer) -> None:
    """What every offer needs; a published one also a way to reach the provider."""
    if not offer.is_free and not offer.cost.strip():
        raise ValidationError(
            {"cost": _("Say what the offer costs, or mark it as free of charge.")}
        )
    if offer.is_active and not (offer.contact_email.strip() or offer.contact_phone.strip()):
        raise ValidationError(
            {"contact_email": _("Give an e-mail address or a phone number for enquiries.")}
        )


def _set_topics(offer: Offer, topics: list[str]) -> None:
    current = set(offer.topics.values_list("topic", flat=True))
    wanted = set(topics)
    if current - wanted:
        offer.topics.filter(topic__in=current - wanted).delete()
    OfferTopic.objects.bulk_create(
        OfferTopic(offer=offer, topic=topic) for topic in sorted(wanted - current)
    )


def _set_fields(offer: Offer, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise TypeError(f"not fields of an offer form: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(offer, name, value)


@transaction.atomic
def offer_create(
    *,
    provider: Organisation,
    by: User,
    regions: Iterable[Region] = (),
    topics: Iterable[str] = (),
    publish: bool = True,
    **fields: Any,
) -> Offer:
    """A new offer of an organisation the user acts for, in that organisation's state."""
    if provider.pk not in {organisation.pk for organisation in provider_organisations(by)}:
        raise ValidationError({"provider": _("Choose an organisation you publish offers for.")})
    offer = Offer(provider=provider, state_id=provider.state_id, created_by=by, is_active=publish)
    _set_fields(offer, fields)
    named = _regions_of_state(provider.state_id, offer.statewide, regions)
    chosen_topics = _topics(topics)
    _check_offer(offer)
    offer.full_clean(exclude=["source"])
    offer.save()
    offer.regions.set(named)
    _set_topics(offer, chosen_topics)
    return offer


def _lock_offer(offer: Offer, by: User) -> Offer:
    """The offer's row, locked until the transaction ends; only for its provider's people."""
    locked = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("provider", "state")
        .get(pk=offer.pk)
    )
    if not is_provider_member(by, locked.provider_id):
        raise PermissionDenied
    return locked


@transaction.atomic
def offer_update(
    *,
    offer: Offer,
    by: User,
    regions: Iterable[Region] = (),
    topics: Iterable[str] = (),
    **fields: Any,
) -> Offer:
    """Change an offer's content; its provider, state and source stay."""
    offer = _lock_offer(offer, by)
    _set_fields(offer, fields)
    named = _regions_of_state(offer.state_id, offer.statewide, regions)
    chosen_topics = _topics(topics)
    _check_offer(offer)
    offer.full_clean(exclude=["source"])
    offer.save(update_fields=[*OFFER_FIELDS, "updated_at"])
    offer.regions.set(named)
    _set_topics(offer, chosen_topics)
    return offer


@transaction.atomic
def offer_publish(*, offer: Offer, by: User) -> Offer:
    """Show the offer in the catalogue (a second click changes nothing)."""
    offer = _lock_offer(offer, by)
    if offer.is_active:
        return offer
    offer.is_active = True
    _check_offer(offer)
    offer.save(update_fields=["is_active", "updated_at"])
    return offer


@transaction.atomic
def offer_unpublish(*, offer: Offer, by: User) -> Offer:
    """Take the offer out of the catalogue; its requests stay and can still be answered."""
    offer = _lock_offer(offer, by)
    if not offer.is_active:
        return offer
    offer.is_active = False
    offer.save(update_fields=["is_active", "updated_at"])
    return offer


@transaction.atomic
def offer_from_resource(*, resource: OfferedResource, by: User) -> Offer:
    """Turn a resource of a submitted or accepted report into an unpublished offer.

    The offer is a draft: the resource says nothing of audience, cost or contact details, so
    the NGO checks the prefilled offer and publishes it. A resource becomes an offer once.
    """
    resource = (
        OfferedResource.objects.select_for_update(of=("self",))
        .select_related("report__ngo")
        .get(pk=resource.pk)
    )
    report = resource.report
    if not is_ngo_representative(by, report.ngo_id):
        raise PermissionDenied
    if report.status not in REPORT_PUBLISHED:
        raise ValidationError(
            _("Only a resource of a submitted or accepted report can become an offer.")
        )
    existing = Offer.objects.filter(source=resource).first()
    if existing is not None:
        raise ResourceAlreadyOffered(existing)
    ngo = report.ngo
    regions = list(report.regions.filter(state_id=ngo.state_id)) or list(
        ngo.served_regions.filter(state_id=ngo.state_id)
    )
    offer = Offer(
        state_id=ngo.state_id,
        provider=ngo,
        kind=RESOURCE_OFFER_KINDS[ResourceKind(resource.kind)],
        title=resource.title,
        description=resource.description.strip() or resource.title,
        statewide=not regions,
        is_free=True,
        contact_name=by.get_full_name() or by.username,
        contact_email=by.email or ngo.email,
        contact_phone=ngo.phone,
        is_active=False,
        source=resource,
        created_by=by,
    )
    offer.full_clean(exclude=["source"])
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        # Another click of the same person got there first (without row locks, e.g. SQLite).
        raise ResourceAlreadyOffered(Offer.objects.get(source=resource)) from None
    offer.regions.set(regions)
    _set_topics(offer, list(report.topics.values_list("topic", flat=True)))
    return offer


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
