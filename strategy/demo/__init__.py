"""Demo strategies of Niedersachsen from the LPR's 'Rahmenziele' papers, with measures and progress.

Called by ``manage.py seed_demo`` through ``settings.DEMO_SEEDERS``. Every strategy is drafted,
adopted and reported on through the services at the moments of its history (``seeding``).
Idempotent: a strategy is keyed on state, title and version; one that exists is left as it is.
"""

from __future__ import annotations

from .items import GoalData, IndicatorData, MeasureData, StrategyData
from .papers import MUNICIPAL, NGOS, STRATEGIES
from .seeding import seed

__all__ = [
    "MUNICIPAL",
    "NGOS",
    "STRATEGIES",
    "GoalData",
    "IndicatorData",
    "MeasureData",
    "StrategyData",
    "seed",
]
