"""Money and percentages in the active language's format: 1.000,00 € and 4,17 % in German,
€1,000.00 and 4.17 % in English (Django's localisation supplies the separators)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language


def _german() -> bool:
    return (get_language() or "de").startswith("de")


def money(value: Decimal | int | str | None) -> str:
    """1234.5 → '1.234,50 €' (German) or '€1,234.50' (English); None → '–'."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    number = number_format(abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    sign = "-" if amount < 0 else ""
    if _german():
        return f"{sign}{number}\N{NO-BREAK SPACE}€"
    return f"{sign}€{number}"


def percent(value: Decimal | int | None) -> str:
    """12.5 → '12,5 %' (German) or '12.5 %' (English); None → '–'."""
    if value is None:
        return "–"
    number = Decimal(value).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    text = number_format(number, use_l10n=True, force_grouping=True)
    return f"{text}\N{NO-BREAK SPACE}%"
