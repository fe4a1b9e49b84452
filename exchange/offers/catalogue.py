"""Writes of the offer catalogue: offers are kept by their provider's people.

The provider (the state office or an NGO) and the state are never taken from a form.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from councils.models import Organisation, Region, User
from councils.topics import Topic

from ..models import (
    REPORT_PUBLISHED,
    Offer,
    OfferedResource,
    OfferKind,
    OfferTopic,
    ResourceKind,
)
from ..permissions import (
    is_ngo_representative,
    is_provider_member,
    provider_organisations,
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
