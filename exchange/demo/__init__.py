"""Demo exchange reports: half-year reporting periods of Niedersachsen (and a little of
Mecklenburg-Vorpommern) with the reports of the demo NGOs.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``. The periods are the
half-year that runs today and the three before it. Every report is written through the services
as its NGO and the state staff would have written it: the reports of earlier periods at the
moments their story tells (among them late ones, one returned with a question and accepted
ones), with the reminders the reminder task sent on its days; the running period has drafts
being written now, one early submission and NGOs that have not started. Idempotent: a period
that exists is left as it is.
"""

from __future__ import annotations

from .plans import DUE_AFTER_END_DAYS, PLANS, Current, StatePlan, Story, half_year
from .profiles import PROFILES, Profile, Texts
from .seeding import Cast, seed

__all__ = [
    "DUE_AFTER_END_DAYS",
    "PLANS",
    "PROFILES",
    "Cast",
    "Current",
    "Profile",
    "StatePlan",
    "Story",
    "Texts",
    "half_year",
    "seed",
]
