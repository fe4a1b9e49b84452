"""The rules of the proof of use's receipts: dates within the project period (with the
programme's tolerance) and deviations from the cost plan over the programme's share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .formatting import percent
from .models import ZERO, FundingRequest

if TYPE_CHECKING:
    from .payments import ProofFigures


def _day(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def receipt_window(request: FundingRequest) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day a receipt may carry: the project period widened by the tolerance."""
    if request.start_date is None or request.end_date is None:
        return None
    tolerance = datetime.timedelta(days=request.programme.receipt_tolerance_days)
    return request.start_date - tolerance, request.end_date + tolerance


def receipt_date_error(request: FundingRequest, day: datetime.date) -> str | None:
    """Why the receipt's date is refused, or None when it lies in the allowed window."""
    window = receipt_window(request)
    if window is None or window[0] <= day <= window[1]:
        return None
    assert request.start_date is not None and request.end_date is not None
    days = request.programme.receipt_tolerance_days
    period = {"start": _day(request.start_date), "end": _day(request.end_date)}
    if not days:
        return (
            _("The receipt date must lie within the project period (%(start)s – %(end)s).") % period
        )
    return ngettext(
        "The receipt date must lie within the project period (%(start)s – %(end)s) or at most "
        "%(days)s day before or after it.",
        "The receipt date must lie within the project period (%(start)s – %(end)s) or at most "
        "%(days)s days before or after it.",
        days,
    ) % {**period, "days": days}


@dataclass(frozen=True)
class Deviation:
    """A cost category whose receipts differ from the cost plan by more than the allowed share."""

    label: str
    planned: Decimal
    actual: Decimal

    @property
    def share(self) -> Decimal | None:
        """The difference as a percentage of the plan; None for a category that was not planned."""
        if not self.planned:
            return None
        return ((self.actual - self.planned) * 100 / self.planned).quantize(Decimal("0.01"))

    @property
    def text(self) -> str:
        if self.share is None:
            return _("%(category)s: not in the cost plan, spent according to the receipts.") % {
                "category": self.label
            }
        if self.share > 0:
            return _("%(category)s: %(share)s more than planned.") % {
                "category": self.label,
                "share": percent(self.share),
            }
        return _("%(category)s: %(share)s less than planned.") % {
            "category": self.label,
            "share": percent(-self.share),
        }


def cost_deviations(request: FundingRequest, figures: ProofFigures) -> list[Deviation]:
    """The cost categories whose actual sum deviates from the plan by more than the programme's
    share (a category spent without a plan always counts)."""
    limit = request.programme.deviation_share
    deviations = []
    for row in figures.costs:
        if not row.planned:
            if row.actual > ZERO:
                deviations.append(Deviation(row.label, row.planned, row.actual))
            continue
        if abs(row.actual - row.planned) * 100 > limit * row.planned:
            deviations.append(Deviation(row.label, row.planned, row.actual))
    return deviations
