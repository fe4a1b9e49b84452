"""Demo offer catalogue of Niedersachsen (and a little of Mecklenburg-Vorpommern) with requests.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``, after the demo exchange
reports. The offers of the state office and the NGOs cover the four regions of Niedersachsen
with deliberate gaps: no training in Weser-Ems, nothing on cybercrime in Lüneburg. Offers and
requests go through the services, each step at its moment in the past (``seeding``), so the
history, the notifications and the times are what the portal writes. One resource of a
submitted report of the demo NGO becomes an (unpublished) offer, when the reports exist.
Idempotent: an offer is known by its provider and title, a request by its offer, council and
group.
"""

from __future__ import annotations

from .catalogue import MV_OFFERS, NI_OFFERS, OfferData
from .plans import MV_REQUESTS, NI_REQUESTS, PLANS, RequestData, StatePlan
from .seeding import seed

__all__ = [
    "MV_OFFERS",
    "MV_REQUESTS",
    "NI_OFFERS",
    "NI_REQUESTS",
    "PLANS",
    "OfferData",
    "RequestData",
    "StatePlan",
    "seed",
]
