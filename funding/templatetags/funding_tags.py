"""Template filters of the funding pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from notifications.messages import format_money, format_percent

register = template.Library()


@register.filter
def money(value: Decimal | int | None) -> str:
    """{{ amount|money }} → 1.000,00 € in German, €1,000.00 in English."""
    return format_money(value)


@register.filter
def percent(value: Decimal | int | None) -> str:
    """{{ share|percent }} → 12,5 % in German, 12.5% in English."""
    return format_percent(value)
