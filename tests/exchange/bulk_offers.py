"""Many offers and requests at once, for the query-count tests (bulk inserts, no services)."""

from __future__ import annotations

from councils.models import Organisation, Region
from councils.topics import Topic
from exchange.models import Offer, OfferKind, OfferRequest, OfferTopic

KINDS = list(OfferKind)
TOPICS = list(Topic)


def bulk_offers(
    provider: Organisation, regions: list[Region], count: int, *, start: int = 0
) -> list[Offer]:
    """Published offers of every kind; every third statewide, the others in one region each."""
    offers = Offer.objects.bulk_create(
        Offer(
            state_id=provider.state_id,
            provider=provider,
            kind=KINDS[n % len(KINDS)],
            title=f"Angebot {n:05d}",
            description="Ein Angebot für die Präventionsräte.",
            audience="Fachkräfte",
            statewide=n % 3 == 0,
            is_free=n % 2 == 0,
            cost="" if n % 2 == 0 else "100 € je Termin",
            contact_email="kontakt@example.org",
        )
        for n in range(start, start + count)
    )
    through = Offer.regions.through
    through.objects.bulk_create(
        through(offer_id=offer.pk, region_id=regions[n % len(regions)].pk)
        for n, offer in enumerate(offers)
        if not offer.statewide
    )
    OfferTopic.objects.bulk_create(
        OfferTopic(offer=offer, topic=TOPICS[(n + k) % len(TOPICS)])
        for n, offer in enumerate(offers)
        for k in range(2)
    )
    return offers


def bulk_requests(offers: list[Offer], councils: list[Organisation]) -> list[OfferRequest]:
    """One new request per offer, from the councils in turn."""
    return OfferRequest.objects.bulk_create(
        OfferRequest(offer=offer, council=councils[n % len(councils)], group=f"Gruppe {n}")
        for n, offer in enumerate(offers)
    )
