"""Money in German format: 1.000,00 € (the format does not follow the interface language)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def money(value: Decimal | int | str | None) -> str:
    """1234.5 → '1.234,50 €'; None → '–'."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, fraction = f"{abs(amount):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{fraction}\N{NO-BREAK SPACE}€"


def percent(value: Decimal | int | None) -> str:
    """12.5 → '12,5 %'."""
    if value is None:
        return "–"
    text = f"{Decimal(value).normalize():f}".replace(".", ",")
    return f"{text}\N{NO-BREAK SPACE}%"
