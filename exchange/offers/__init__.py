"""Writes of the offer catalogue and of the councils' requests for offers.

Offers are kept by their provider's people (the state office's staff or an NGO's
representatives); the provider and the state are never taken from a form. A request moves
only through ``OfferRequest``'s state machine: every step locks the row, runs the transition,
is recorded as an ``OfferRequestEvent`` and is told to the other side after the commit.
"""

from __future__ import annotations

from .catalogue import (
    OFFER_FIELDS,
    RESOURCE_OFFER_KINDS,
    ResourceAlreadyOffered,
    offer_create,
    offer_from_resource,
    offer_publish,
    offer_unpublish,
    offer_update,
)
from .offer_requests import (
    SUBJECT_LENGTH,
    council_coordinators,
    offer_request_accept,
    offer_request_accept_proposal,
    offer_request_create,
    offer_request_decline,
    offer_request_finish,
    offer_request_propose_date,
    offer_request_rate,
    offer_request_withdraw,
    provider_people,
    request_actions,
)

__all__ = [
    "OFFER_FIELDS",
    "RESOURCE_OFFER_KINDS",
    "SUBJECT_LENGTH",
    "ResourceAlreadyOffered",
    "council_coordinators",
    "offer_create",
    "offer_from_resource",
    "offer_publish",
    "offer_request_accept",
    "offer_request_accept_proposal",
    "offer_request_create",
    "offer_request_decline",
    "offer_request_finish",
    "offer_request_propose_date",
    "offer_request_rate",
    "offer_request_withdraw",
    "offer_unpublish",
    "offer_update",
    "provider_people",
    "request_actions",
]
