"""Demo funding of Niedersachsen and Mecklenburg-Vorpommern: programmes of ten years and
requests in every status of the workflow.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS`` (``funding.demo.seed``).
Every file, of this year and of the nine before, is written by the services as the people
would have done it then, under a backdated clock (``flow``): its log, submission copies,
reviews, decisions, payments, proofs and the programmes' sums are the portal's own. Nobody
is e-mailed about the past and no letter is rendered while seeding: the periodic task
``funding.tasks.make_missing_letters`` makes the letters. Idempotent: a state that already
has its demo programme is left alone.
"""

from __future__ import annotations

from .seeding import PLANS, YEARS, seed
from .setup import FEDERAL_TITLE, STATE_TITLE

__all__ = ["FEDERAL_TITLE", "PLANS", "STATE_TITLE", "YEARS", "seed"]
