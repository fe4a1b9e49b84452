"""The funding vocabulary every model shares: money's zero, the deadline of the proof of use,
the choices of sources, financing types and cost categories."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")

#: The proof of use is due this many months after the project ends.
PROOF_DUE_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (the month's last day when it is shorter)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class FundingSource(models.TextChoices):
    STATE = "state", _("State")
    FEDERAL = "federal", _("Federal")
    OTHER = "other", _("Other")


class FinancingType(models.TextChoices):
    SHARE = "share", _("Share financing (Anteilfinanzierung)")
    DEFICIT = "deficit", _("Deficit financing (Fehlbedarfsfinanzierung)")
    FIXED = "fixed", _("Fixed amount (Festbetragsfinanzierung)")


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    FEES = "fees", _("Fees and honoraria")
    MATERIAL = "material", _("Material and supplies")
    TRAVEL = "travel", _("Travel")
    ROOMS = "rooms", _("Rooms and catering")
    PUBLICITY = "publicity", _("Public relations and printing")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other costs")
